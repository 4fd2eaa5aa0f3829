using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class RescheduleMilestoneEndpoint
{
    [WolverinePost("/api/measures/{id}/reschedule-milestone", OperationId = "rescheduleMilestone")]
    [EndpointSummary("Reschedule a milestone.")]
    [EndpointDescription("During the pilot.")]
    public static Task<IResult> Post(Guid id, RescheduleMilestone? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
