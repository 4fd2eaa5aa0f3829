using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class LinkPlanEndpoint
{
    [WolverinePost("/api/measures/{id}/link-plan", OperationId = "linkPlan")]
    [EndpointSummary("Record that the measure serves a plan of the Land.")]
    [EndpointDescription("A plan or departmental strategy from the catalogue's list plans (e.g. bek-2030), with what the measure contributes to it. At any stage but Archived; by the lead or the strategy office. A plan the measure already serves: 422.")]
    public static Task<IResult> Post(Guid id, LinkPlan? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
