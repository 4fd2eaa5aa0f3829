using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ScaleMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/scale", OperationId = "scale")]
    [EndpointSummary("Outcome: scale or make permanent.")]
    [EndpointDescription("Evaluated → Scaled.")]
    public static Task<IResult> Post(Guid id, ScaleMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
