using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class DefineGoalsEndpoint
{
    [WolverinePost("/api/measures/{id}/define-goals", OperationId = "defineGoals")]
    [EndpointSummary("Define goals.")]
    [EndpointDescription("Contribution to each Leitgedanke, Zukunftsperspektiven served, impact indicators. ProblemUnderstood → GoalsDefined.")]
    public static Task<IResult> Post(Guid id, DefineGoals? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
