using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ReachMilestoneEndpoint
{
    [WolverinePost("/api/measures/{id}/reach-milestone", OperationId = "reachMilestone")]
    [EndpointSummary("Record a reached milestone.")]
    [EndpointDescription("During the pilot.")]
    public static Task<IResult> Post(Guid id, ReachMilestone? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
