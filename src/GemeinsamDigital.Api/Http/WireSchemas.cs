using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// The schemas say what the wire writes: the label members <see cref="Labels"/> adds beside stages
/// and statuses are not C# properties, so they are added to each schema from the serializer's own
/// contract (read-only: a request never sends one).
/// </summary>
public sealed class WireSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || concrete.Properties is not { } properties || Contract(context.Type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return;
        }
        foreach (var added in info.Properties.Where(p => p.AttributeProvider is null && !properties.ContainsKey(p.Name)))
        {
            // Written like every other member (nulls included): required, and null where its code can be.
            var source = info.Properties.FirstOrDefault(p => p.AttributeProvider is not null && added.Name.StartsWith(p.Name, StringComparison.Ordinal));
            var nullable = source is not null && Nullable.GetUnderlyingType(source.PropertyType) is not null;
            var text = new OpenApiSchema { Type = JsonSchemaType.String, ReadOnly = true, Description = "German label of the code beside it." };
            if (nullable)
            {
                text.Type |= JsonSchemaType.Null;
            }
            properties[added.Name] = added.PropertyType == typeof(string)
                ? text
                : new OpenApiSchema { Type = JsonSchemaType.Array, Items = text, ReadOnly = true, Description = "German labels of the codes beside them." };
            concrete.Required ??= new HashSet<string>(StringComparer.Ordinal);
            concrete.Required.Add(added.Name);
        }
    }

    private static JsonTypeInfo? Contract(Type type)
    {
        try
        {
            return ApiJson.Options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A type the serializer cannot describe (an interface, a framework type) has no labels to add.
            return null;
        }
    }
}
