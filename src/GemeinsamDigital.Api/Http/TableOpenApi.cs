using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Documents <see cref="Tables"/> on every operation from its metadata: a table endpoint answers
/// 200 as application/json or text/csv (a string, not the JSON schema), takes "format" with its
/// values, and may answer 400 and 406; every other operation may answer 406 to a request for CSV.
/// </summary>
public sealed class TableOpenApi : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        operation.Responses ??= [];
        if (!metadata.OfType<AnswersTableAttribute>().Any())
        {
            ProblemResponses.Add(operation, StatusCodes.Status406NotAcceptable,
                "Only CSV was asked for (format=csv or an Accept allowing only text/csv); this is not a table. The problem lists the endpoints that answer CSV.");
            return;
        }
        if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, IOpenApiMediaType>();
            response.Content[Tables.CsvType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "CSV with a header row: RFC 4180 (comma, dot decimals, CRLF), or with format=csv-de UTF-8 BOM, ';' and decimal comma.",
                },
            };
        }
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == Tables.Parameter && parameter.In == ParameterLocation.Query)
            {
                // The XML doc of the endpoint describes it; parameters bound from a class ([AsParameters]) have none there.
                parameter.Description ??= Tables.ParameterDescription;
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. Tables.Values.Select(v => (JsonNode)JsonValue.Create(v))],
                };
            }
        }
        ProblemResponses.Add(operation, StatusCodes.Status400BadRequest, "A parameter is invalid (format included); see 'errors'.");
        ProblemResponses.Add(operation, StatusCodes.Status406NotAcceptable, "The Accept header allows neither application/json nor text/csv.");
    }
}
