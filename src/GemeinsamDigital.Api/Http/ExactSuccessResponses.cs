using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// An endpoint that returns <see cref="IResult"/> is described by Wolverine with a 200 whose body is
/// "IResult": not an answer the service gives, but the C# return type. Where the endpoint declares
/// its real success answers (201 for a command that starts a stream), that 200 misleads generated
/// clients into a typed call that returns nothing, so it is removed, and with it the IResult schema.
/// </summary>
public sealed class ExactSuccessResponses : IOperationFilter, IDocumentFilter
{
    private const string ReturnTypeSchema = nameof(IResult);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is { } responses
            && responses.TryGetValue("200", out var ok)
            && ok.Content?.Values.Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: ReturnTypeSchema }) == true
            && responses.Keys.Any(k => k is not "200" && k.StartsWith('2')))
        {
            responses.Remove("200");
        }
    }

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Responses?.Values.AsEnumerable() ?? [])
            .SelectMany(r => r.Content?.Values.AsEnumerable() ?? []).Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: ReturnTypeSchema });
        if (!used)
        {
            document.Components?.Schemas?.Remove(ReturnTypeSchema);
        }
    }
}
