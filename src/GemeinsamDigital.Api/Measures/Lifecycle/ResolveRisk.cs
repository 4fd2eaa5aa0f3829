using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ResolveRiskEndpoint
{
    [WolverinePost("/api/measures/{id}/resolve-risk", OperationId = "resolveRisk")]
    [EndpointSummary("Resolve a risk or conflict.")]
    [EndpointDescription("During pilot or evaluation.")]
    public static Task<IResult> Post(Guid id, ResolveRisk? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
