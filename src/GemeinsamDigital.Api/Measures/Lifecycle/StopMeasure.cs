using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class StopMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/stop", OperationId = "stop")]
    [EndpointSummary("Outcome: stop.")]
    [EndpointDescription("With reason and lessons; the measure stays on record. Evaluated → Stopped.")]
    public static Task<IResult> Post(Guid id, StopMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
