using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GemeinsamDigital.Domain.Measures;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Makes every schema say what the server enforces and what the wire carries, from the same
/// sources the server uses:
/// <list type="bullet">
/// <item>request bodies: <c>required</c> (and then not nullable), lengths, item counts, ranges and the
/// codes a member may hold, from the attributes on the request records, which name the very
/// constants and catalogue lists the validation checks against (<see cref="FieldErrors"/>, <see cref="CodesAttribute"/>);</item>
/// <item>responses: every member the serializer writes is <c>required</c>; members that can be null
/// are nullable (a member written only when not null, by the options or its own [JsonIgnore], is optional instead);</item>
/// <item>enums: the names the HTTP serializer writes, not the C# names.</item>
/// </list>
/// </summary>
public sealed class ContractSchemas(IOptions<HttpJsonOptions> json) : ISchemaFilter
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private static readonly NullabilityInfoContext _nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || context.MemberInfo is not null || context.ParameterInfo is not null)
        {
            return;
        }
        var type = Nullable.GetUnderlyingType(context.Type) ?? context.Type;
        if (type.IsEnum)
        {
            target.Enum = [.. WireNames(type).Select(n => (JsonNode)JsonValue.Create(n))];
            return;
        }
        if (target.Properties is not { Count: > 0 } || type.IsAbstract)
        {
            return;
        }
        var request = RequestTypes.Contains(type);
        var omitsNulls = _json.DefaultIgnoreCondition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
        target.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? _json.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name;
            if (!target.Properties.TryGetValue(name, out var member))
            {
                continue;
            }
            member = Carried(member, property, context);
            if (request)
            {
                var required = property.GetCustomAttribute<RequiredAttribute>() is not null;
                if (required)
                {
                    target.Required.Add(name);
                }
                target.Properties[name] = WithNullability(member, !required, property.PropertyType);
                Constrain(target.Properties[name], property);
            }
            else
            {
                var nullable = CanBeNull(property);
                // A member left out when null (by its own [JsonIgnore]) is optional, and never null on the wire.
                var leftOutWhenNull = property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
                if (!nullable || !(omitsNulls || leftOutWhenNull))
                {
                    target.Required.Add(name);
                }
                target.Properties[name] = WithNullability(member, nullable && !leftOutWhenNull, property.PropertyType);
            }
        }
    }

    /// <summary>
    /// A member that carries JSON as it is (<see cref="JsonElement"/>): the schema <see cref="AnswerSchemaAttribute"/>
    /// names, else a JSON object (a command's body).
    /// </summary>
    private static IOpenApiSchema Carried(IOpenApiSchema member, PropertyInfo property, SchemaFilterContext context)
    {
        if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) != typeof(JsonElement))
        {
            return member;
        }
        if (property.GetCustomAttribute<AnswerSchemaAttribute>() is { } carried)
        {
            var reference = carried.Type is { } type
                ? context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository)
                : new OpenApiSchemaReference(carried.Component!);
            // The member's own description, not the carried type's.
            if (reference is OpenApiSchemaReference described && member.Description is { } description)
            {
                described.Description = description;
            }
            return reference;
        }
        if (member is OpenApiSchema schema)
        {
            schema.Type = JsonSchemaType.Object;
        }
        return member;
    }

    /// <summary>The values the HTTP serializer writes for an enum's members.</summary>
    public IEnumerable<string> WireNames(Type enumType) =>
        Enum.GetValues(enumType).Cast<object>().Select(v => JsonSerializer.SerializeToNode(v, enumType, _json)!.GetValue<string>());

    /// <summary>Codes and item lengths the attributes name (lengths, counts and ranges Swashbuckle reads from the data annotations).</summary>
    private static void Constrain(IOpenApiSchema member, PropertyInfo property)
    {
        if (member is not OpenApiSchema schema)
        {
            return;
        }
        var items = schema.Items as OpenApiSchema;
        if (property.GetCustomAttribute<CodesAttribute>() is { } codes && (items ?? schema) is { } coded)
        {
            coded.Enum = [.. codes.Codes.Select(c => (JsonNode)JsonValue.Create(c))];
            coded.MaxLength = codes.Codes.Max(c => c.Length);
        }
        if (property.GetCustomAttribute<ItemMaxLengthAttribute>() is { } itemLength && items is not null)
        {
            items.MaxLength = itemLength.Length;
            items.MinLength = 1;
        }
    }

    private static bool CanBeNull(PropertyInfo property) =>
        property.PropertyType.IsValueType
            ? System.Nullable.GetUnderlyingType(property.PropertyType) is not null
            : _nullability.Create(property).ReadState != NullabilityState.NotNull;

    /// <summary>
    /// Marks a member nullable or not. OpenAPI 3.0 cannot say "nullable" beside a $ref, so a nullable
    /// reference becomes <c>allOf: [$ref]</c> with its type and <c>nullable: true</c>.
    /// </summary>
    private static IOpenApiSchema WithNullability(IOpenApiSchema member, bool nullable, Type clrType)
    {
        switch (member)
        {
            case OpenApiSchemaReference reference when nullable:
                var kind = (System.Nullable.GetUnderlyingType(clrType) ?? clrType).IsEnum ? JsonSchemaType.String : JsonSchemaType.Object;
                return new OpenApiSchema { AllOf = [reference], Type = kind | JsonSchemaType.Null, Description = reference.Description };
            case OpenApiSchema { AllOf: [OpenApiSchemaReference only] } wrapped when !nullable && wrapped.Type?.HasFlag(JsonSchemaType.Null) == true:
                return only;
            case OpenApiSchema schema when schema.Type is { } type:
                schema.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
                return schema;
            default:
                return member;
        }
    }

    /// <summary>Every type a request body is made of: the commands, the API's own request types, and the records they nest.</summary>
    public static readonly IReadOnlySet<Type> RequestTypes = Closure([.. SampleCommands.ByRequestType.Keys, typeof(CreateApiKey), typeof(CommandBatch), typeof(CreateSubscription)]);

    private static HashSet<Type> Closure(IEnumerable<Type> roots)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (!found.Add(type))
            {
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var member = System.Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var element = member.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(member)
                    ? member.GetGenericArguments()[0] : member;
                if (element.IsClass && element != typeof(string) && element.Namespace?.StartsWith("GemeinsamDigital", StringComparison.Ordinal) == true)
                {
                    pending.Push(element);
                }
            }
        }
        return found;
    }
}

/// <summary>
/// A member that carries JSON answered elsewhere as it was written (a <see cref="System.Text.Json.JsonElement"/>):
/// the schema of what it carries, by type or by component name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AnswerSchemaAttribute : Attribute
{
    public AnswerSchemaAttribute(Type type) => Type = type;

    public AnswerSchemaAttribute(string component) => Component = component;

    public Type? Type { get; }
    public string? Component { get; }
}
