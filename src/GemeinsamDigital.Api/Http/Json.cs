using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// The one JSON convention on the wire: camelCase members, codes (enums included) in kebab-case
/// lower like the catalogue's ("problem-understood", "open"), a German label beside every stage and
/// status. Storage does not use these options: Marten and the snapshot hash keep enum names
/// ("ProblemUnderstood"), so stored documents, events and hashes stay as they are.
/// </summary>
public static class Json
{
    public const int MaxDepth = 32;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.MaxDepth = MaxDepth;
        // German text as it is ("Zurückgezogen", not "Zur\u00FCckgezogen"), so every path that writes an
        // answer (first answer, idempotent replay) writes the same bytes. Safe for application/json
        // answers, which are sent with nosniff and never rendered as HTML.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // A typo in a field name must not be silently ignored by a ledger.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        if (options.Converters.OfType<WireCodes>().Any())
        {
            return;
        }
        // A converter in the options wins over the [JsonConverter] attribute on the enum types (which storage uses).
        foreach (var other in options.Converters.OfType<JsonStringEnumConverter>().ToList())
        {
            options.Converters.Remove(other);
        }
        options.Converters.Add(new WireCodes());
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Labels.Add);
    }

    /// <summary>Enums by kebab-case name, read and written; numbers are not codes.</summary>
    private sealed class WireCodes() : JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);
}

/// <summary>
/// Beside every stage or status member an object answers, its German label: "stage" gets
/// "stageLabel", "fromStage" "fromStageLabel", a list of stages "enteredLabels". Figure rows keyed
/// by a stage ("code") carry their "label" already. Written only; a request never needs to send one.
/// </summary>
public static class Labels
{
    public static void Add(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        var names = info.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < info.Properties.Count; i++)
        {
            var property = info.Properties[i];
            if (property.Get is not { } get || LabelOf(property.PropertyType) is not { } label)
            {
                continue;
            }
            var (name, type, labelOf) = label;
            var labelName = property.Name + name;
            if (names.Contains(labelName) || (property.Name == "code" && names.Contains("label")))
            {
                continue;
            }
            var added = info.CreateJsonPropertyInfo(type, labelName);
            added.Get = o => labelOf(get(o));
            info.Properties.Insert(++i, added);
            names.Add(labelName);
        }
    }

    private static (string Suffix, Type Type, Func<object?, object?> Label)? LabelOf(Type type)
    {
        if (type == typeof(MeasureStage) || type == typeof(MeasureStage?))
        {
            return ("Label", typeof(string), v => v is MeasureStage s ? s.Label() : null);
        }
        if (type == typeof(RevisionPhaseStatus) || type == typeof(RevisionPhaseStatus?))
        {
            return ("Label", typeof(string), v => v is RevisionPhaseStatus s ? s.Label() : null);
        }
        if (typeof(IEnumerable<MeasureStage>).IsAssignableFrom(type))
        {
            return ("Labels", typeof(IReadOnlyList<string>), v => v is IEnumerable<MeasureStage> stages ? stages.Select(s => s.Label()).ToList() : null);
        }
        return null;
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
