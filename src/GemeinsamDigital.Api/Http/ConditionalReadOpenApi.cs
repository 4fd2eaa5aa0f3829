using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Documents <see cref="ConditionalReads"/> on every operation marked <see cref="ConditionalReadAttribute"/>:
/// the optional If-None-Match header, the 304 answer, and ETag, Cache-Control and Vary on 200 and 304.
/// </summary>
public sealed class ConditionalReadOpenApi : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!(context.ApiDescription.ActionDescriptor.EndpointMetadata ?? []).OfType<ConditionalReadAttribute>().Any())
        {
            return;
        }
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Required = false,
            Description = "The ETag of the answer the client has (several comma-separated, `W/` accepted, or `*`). "
                + "When it is still the current answer's tag, the answer is 304 without a body. One that cannot be read matches nothing.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ConditionalReads.MaxIfNoneMatch },
            Example = JsonValue.Create("\"q8TqYk3Nf0sVb2m7XyQa1w9c\""),
        });
        var responses = operation.Responses ??= [];
        responses.TryAdd("304", new OpenApiResponse
        {
            Description = "Not modified: If-None-Match lists the current answer's ETag (or is `*`). No body; the headers of the 200 answer (ETag, X-Event-Sequence, Link, …).",
        });
        foreach (var status in (string[])["200", "304"])
        {
            if (responses.TryGetValue(status, out var found) && found is OpenApiResponse response)
            {
                var headers = response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                headers.TryAdd("ETag", Header("The answer's tag, to send in If-None-Match: a hash of its bytes, Content-Type and X-Event-Sequence "
                    + "(or the endpoint's own version tag).", ConditionalReads.TagLength));
                headers.TryAdd("Cache-Control", Header($"`{ConditionalReads.CachePolicy}`: ask again each time (with If-None-Match), keep in no shared cache.", 100));
                headers.TryAdd("Vary", Header($"What the answer depends on besides its address: {string.Join(", ", ConditionalReads.VaryBy)}.", 200));
            }
        }
    }

    private static OpenApiHeader Header(string description, int maxLength) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
    };
}
