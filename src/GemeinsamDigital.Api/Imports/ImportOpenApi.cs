using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Imports;

/// <summary>
/// An endpoint that reads its body itself (an import file) has no body parameter for the document
/// to describe: its request body is the file, in the media types it accepts, up to its size limit.
/// </summary>
public sealed class ImportOpenApi : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        if (operation.RequestBody is not null || metadata.OfType<IAcceptsMetadata>().FirstOrDefault() is not { } accepts
            || accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.Ordinal) && !t.Contains("jsonl", StringComparison.Ordinal) && !t.Contains("ndjson", StringComparison.Ordinal)))
        {
            return;
        }
        var limit = metadata.OfType<IRequestSizeLimitMetadata>().FirstOrDefault()?.MaxRequestBodySize ?? ImportSettings.MaxBytes;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The file: CSV (UTF-8, ';' or ',' separated, header row) or JSON Lines; columns in docs/imports.md and GET /api/imports/template.csv.",
            Content = accepts.ContentTypes.ToDictionary(t => t, t => (IOpenApiMediaType)new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = (int)Math.Min(limit, int.MaxValue) },
                Example = JsonValue.Create(t == "text/csv" ? ImportTemplate.Csv.TrimStart('\uFEFF') : ImportTemplate.JsonLines),
            }),
        };
    }
}
