using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Subjects;

/// <summary>A subject's address names its pseudonym, not a UUID: the document states its exact shape.</summary>
public sealed class SubjectOpenApi : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith("api/admin/subjects/{id}", StringComparison.Ordinal) != true)
        {
            return;
        }
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p is { Name: "id", In: ParameterLocation.Path }))
        {
            parameter.Description = "The subject's pseudonym (the 'actor' of its events).";
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = SubjectDirectory.PseudonymLength,
                MaxLength = SubjectDirectory.PseudonymLength,
                Pattern = SubjectDirectory.PseudonymPattern,
            };
        }
    }
}
