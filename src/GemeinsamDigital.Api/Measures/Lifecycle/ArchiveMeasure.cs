using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ArchiveMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/archive", OperationId = "archive")]
    [EndpointSummary("Archive the measure.")]
    [EndpointDescription("After its outcome (scaled, stopped) or withdrawal. Nothing changes after this.")]
    public static Task<IResult> Post(Guid id, ArchiveMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
