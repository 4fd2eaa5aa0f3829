using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class IterateMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/iterate", OperationId = "iterate")]
    [EndpointSummary("Outcome: iterate.")]
    [EndpointDescription("A new pilot cycle follows. Evaluated → Iterated.")]
    public static Task<IResult> Post(Guid id, IterateMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
