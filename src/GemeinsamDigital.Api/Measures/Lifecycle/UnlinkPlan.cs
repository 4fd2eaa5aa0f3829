using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class UnlinkPlanEndpoint
{
    [WolverinePost("/api/measures/{id}/unlink-plan", OperationId = "unlinkPlan")]
    [EndpointSummary("Record that the measure no longer serves a plan.")]
    [EndpointDescription("The plan's code and optionally why. At any stage but Archived; by the lead or the strategy office. A plan the measure does not serve: 422.")]
    public static Task<IResult> Post(Guid id, UnlinkPlan? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
