using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class MissMilestoneEndpoint
{
    [WolverinePost("/api/measures/{id}/miss-milestone", OperationId = "missMilestone")]
    [EndpointSummary("Record a missed milestone.")]
    [EndpointDescription("During the pilot; an open culture of failure records misses too.")]
    public static Task<IResult> Post(Guid id, MissMilestone? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
