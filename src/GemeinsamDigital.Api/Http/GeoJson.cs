using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Marks a table endpoint (<see cref="AnswersTableAttribute"/>) that also answers
/// <c>application/geo+json</c> when the Accept header prefers it (no "format" sent): its items as
/// a GeoJSON FeatureCollection (RFC 7946). The OpenAPI document lists the media type for it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswersGeoJsonAttribute(Type answer) : Attribute
{
    /// <summary>The type written as GeoJSON (its schema in the OpenAPI document).</summary>
    public Type Answer { get; } = answer;
}

/// <summary>The one negotiation of GeoJSON beside <see cref="Tables"/>.</summary>
public static class GeoJson
{
    public const string MediaType = "application/geo+json";

    /// <summary>
    /// Whether the request asks for GeoJSON: no "format" parameter (it names json or csv and wins),
    /// and among the Accept header's types this service knows (GeoJSON, JSON, CSV and their
    /// wildcards), the one of highest quality (the first of equal ones) is application/geo+json.
    /// </summary>
    public static bool Asked(HttpRequest request)
    {
        if (!string.IsNullOrEmpty(request.Query[Tables.Parameter].ToString()))
        {
            return false;
        }
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }
        var preferred = types
            .Select((t, order) => (type: t.MediaType.Value?.ToLowerInvariant(), quality: t.Quality ?? 1, order))
            .Where(t => t.quality > 0 && t.type is MediaType or "application/json" or "application/*" or "*/*" or "text/csv" or "text/*")
            .OrderByDescending(t => t.quality).ThenBy(t => t.order)
            .FirstOrDefault();
        return preferred.type == MediaType;
    }

    /// <summary>Whether the endpoint answers GeoJSON and the request asks for it.</summary>
    public static bool Answers(Endpoint endpoint, HttpRequest request) =>
        endpoint.Metadata.GetMetadata<AnswersGeoJsonAttribute>() is not null && Asked(request);

    /// <summary>The answer as application/geo+json, written with the API's JSON options (codes and labels as in JSON).</summary>
    public static IResult Answer<T>(HttpContext http, T answer) where T : notnull
    {
        http.Response.Headers.Vary = HeaderNames.Accept;
        return Results.Json(answer, ApiJson.Options, MediaType);
    }

    /// <summary>A GeoJSON geometry as <see cref="GeoShape"/> writes it.</summary>
    public static OpenApiSchema GeometrySchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "A GeoJSON geometry (RFC 7946): WGS84, positions [longitude, latitude]. A Point's coordinates are one position; "
            + "a Polygon's one closed ring of positions, counter-clockwise.",
        Required = new HashSet<string>(["type", "coordinates"]),
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(GeoShape.PointType), JsonValue.Create(GeoShape.PolygonType)] },
            ["coordinates"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Point: [longitude, latitude]. Polygon: [[[longitude, latitude], …]] (one ring; its last position repeats the first).",
                Items = new OpenApiSchema(),
            },
        },
    };
}

/// <summary>Lists application/geo+json beside JSON and CSV on the 200 of endpoints marked <see cref="AnswersGeoJsonAttribute"/>.</summary>
public sealed class GeoJsonOpenApi : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var marked = (context.ApiDescription.ActionDescriptor.EndpointMetadata ?? []).OfType<AnswersGeoJsonAttribute>().FirstOrDefault();
        if (marked is null || operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse response)
        {
            return;
        }
        response.Content ??= new Dictionary<string, IOpenApiMediaType>();
        response.Content[GeoJson.MediaType] = new OpenApiMediaType
        {
            Schema = context.SchemaGenerator.GenerateSchema(marked.Answer, context.SchemaRepository),
        };
    }

    /// <summary>Registers the filter and the geometry's schema.</summary>
    public static void AddGeoJsonDocs(SwaggerGenOptions options)
    {
        options.MapType<GeoShape>(GeoJson.GeometrySchema);
        options.OperationFilter<GeoJsonOpenApi>();
    }
}
