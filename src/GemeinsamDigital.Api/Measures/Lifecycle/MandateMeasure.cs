using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class MandateMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/mandate", OperationId = "mandate")]
    [EndpointSummary("Mandate the measure.")]
    [EndpointDescription("Lead, project team, budget and funding, responsibilities: mandate and commitment before any pilot. GoalsDefined → Mandated.")]
    public static Task<IResult> Post(Guid id, MandateMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
