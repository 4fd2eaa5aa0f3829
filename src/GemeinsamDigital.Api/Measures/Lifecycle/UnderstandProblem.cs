using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class UnderstandProblemEndpoint
{
    [WolverinePost("/api/measures/{id}/understand-problem", OperationId = "understandProblem")]
    [EndpointSummary("Record the problem understanding.")]
    [EndpointDescription("Who is affected (incl. Stille Gruppen) and the evidence. Idea → ProblemUnderstood.")]
    public static Task<IResult> Post(Guid id, UnderstandProblem? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
