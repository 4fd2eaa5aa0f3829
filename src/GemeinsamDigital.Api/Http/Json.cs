using System.Text.Json;
using System.Text.Json.Serialization;

namespace GemeinsamDigital.Api.Http;

/// <summary>One JSON convention for HTTP and storage: camelCase, enums by name, no nulls on the wire.</summary>
public static class Json
{
    public const int MaxDepth = 32;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.MaxDepth = MaxDepth;
        // A typo in a field name must not be silently ignored by a ledger.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter());
        }
    }
}

/// <summary>The API's serializer options, for places that serialize outside the HTTP pipeline.</summary>
public static class ApiJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = Create();

    private static System.Text.Json.JsonSerializerOptions Create()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        Json.Configure(options);
        return options;
    }
}
