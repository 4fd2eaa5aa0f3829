using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class AttachToProgrammeEndpoint
{
    [WolverinePost("/api/measures/{id}/attach-to-programme", OperationId = "attachToProgramme")]
    [EndpointSummary("Make the measure a part of a programme, or move it to another.")]
    [EndpointDescription("A programme is another measure; its roll-up is GET /api/measures/{id}/rollup. At any stage but Archived; strategy office only. Refused (422): the measure itself, a cycle (the programme is part of this measure's tree), an unknown or archived programme, and a tree deeper than 3 levels.")]
    public static Task<IResult> Post(Guid id, AttachToProgramme? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
