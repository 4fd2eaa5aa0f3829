using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class CompleteEvaluationEndpoint
{
    [WolverinePost("/api/measures/{id}/complete-evaluation", OperationId = "completeEvaluation")]
    [EndpointSummary("Complete the evaluation.")]
    [EndpointDescription("Findings per indicator and per Leitgedanke, lessons learned. Evaluation → Evaluated.")]
    public static Task<IResult> Post(Guid id, CompleteEvaluation? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
