using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class StartEvaluationEndpoint
{
    [WolverinePost("/api/measures/{id}/start-evaluation", OperationId = "startEvaluation")]
    [EndpointSummary("Start the evaluation.")]
    [EndpointDescription("Pilot → Evaluation; open conflicts must be resolved first.")]
    public static Task<IResult> Post(Guid id, StartEvaluation? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
