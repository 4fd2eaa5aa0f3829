using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class RecordParticipationEndpoint
{
    [WolverinePost("/api/measures/{id}/record-participation", OperationId = "recordParticipation")]
    [EndpointSummary("Record a participation format held.")]
    [EndpointDescription("Format, date, Fünffach-Helix groups reached (incl. Stille Gruppen), participant count. During the pilot.")]
    public static Task<IResult> Post(Guid id, RecordParticipation? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
