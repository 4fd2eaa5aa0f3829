using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class RecordRiskEndpoint
{
    [WolverinePost("/api/measures/{id}/record-risk", OperationId = "recordRisk")]
    [EndpointSummary("Record a risk or conflict.")]
    [EndpointDescription("Makes a risk or conflict visible. During pilot or evaluation.")]
    public static Task<IResult> Post(Guid id, RecordRisk? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
