using GemeinsamDigital.Domain.Revisions;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

public static class RecordRevisionLessonEndpoint
{
    /// <summary>Record a lesson of the strategy office in an open revision phase.</summary>
    [WolverinePost("/api/revisions/{id}/lessons", OperationId = "recordRevisionLesson")]
    [EndpointSummary("Record a lesson")]
    [EndpointDescription("A lesson entered by the strategy office, optionally about one measure (measureId) and tagged with Leitgedanken and Zukunftsperspektiven. "
        + "Lessons of evaluated, iterated and stopped measures are linked automatically when the phase closes.")]
    public static Task<IResult> Post(Guid id, RecordRevisionLesson? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RecordLessonAsync(id, command, http, ct);
}
