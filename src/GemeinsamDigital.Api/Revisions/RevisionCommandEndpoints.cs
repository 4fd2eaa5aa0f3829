using GemeinsamDigital.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Domain.Revisions;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

// Every WRITE endpoint of revision phases is in this file (the strategy office's commands); the
// reads are in RevisionQueryEndpoints. Each is a thin shell around RevisionCommandHandler.
// Answers: 200/201 with ETag (the phase stream's version), 400 invalid, 404 unknown phase,
// 409 another phase open / phase closed, 412 stale If-Match, 422 a broken rule.

public static class RevisionCommandEndpoints
{
    public const string Tag = "Revision phases";

    /// <summary>Open a revision phase: name, period and scope. Only one phase is open at a time.</summary>
    [Authorize(Policy = Policies.StrategyOffice)]
    [WolverinePost("/api/revisions", OperationId = "openRevisionPhase")]
    [Tags(Tag)]
    [EndpointSummary("Open a revision phase")]
    [EndpointDescription("Name, period (from/to, days inclusive) and scope (optional catalogue codes type, lead, district, perspective; none = every measure). "
        + "A phase starts after the previous one's period ended; only one phase is open at a time (409 otherwise).")]
    [ProducesResponseType<RevisionCommandAccepted>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Open(OpenRevisionPhase? command, RevisionCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Open(command, http, ct);

    /// <summary>Record a lesson of the strategy office in an open revision phase.</summary>
    [Authorize(Policy = Policies.StrategyOffice)]
    [WolverinePost("/api/revisions/{id}/lessons", OperationId = "recordRevisionLesson")]
    [Tags(Tag)]
    [EndpointSummary("Record a lesson")]
    [EndpointDescription("A lesson entered by the strategy office, optionally about one measure (measureId) and tagged with Leitgedanken and Zukunftsperspektiven. "
        + "Lessons of evaluated, iterated and stopped measures are linked automatically when the phase closes.")]
    [ProducesResponseType<RevisionCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> RecordLesson(Guid id, RecordRevisionLesson? command, RevisionCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.RecordLesson(id, command, http, ct);

    /// <summary>Close the revision phase: link the measures' lessons and freeze the immutable snapshot.</summary>
    [Authorize(Policy = Policies.StrategyOffice)]
    [WolverinePost("/api/revisions/{id}/close", OperationId = "closeRevisionPhase")]
    [Tags(Tag)]
    [EndpointSummary("Close a revision phase")]
    [EndpointDescription("Takes the snapshot as of the event store's highest sequence (every measure in scope, portfolio figures, indicator values, lessons) "
        + "with its SHA-256 content hash. No body. A closed phase and its snapshot never change again (409).")]
    [ProducesResponseType<RevisionCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    public static Task<IResult> Close(Guid id, RevisionCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Close(id, http, ct);
}
