using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class DetachFromProgrammeEndpoint
{
    [WolverinePost("/api/measures/{id}/detach-from-programme", OperationId = "detachFromProgramme")]
    [EndpointSummary("Take the measure out of its programme.")]
    [EndpointDescription("Body: {} or the programme it leaves (programmeId: refused with 422 when the measure belongs to another one meanwhile). At any stage but Archived; strategy office only. A measure in no programme: 422.")]
    public static Task<IResult> Post(Guid id, DetachFromProgramme? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
