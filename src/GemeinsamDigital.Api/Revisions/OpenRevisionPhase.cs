using GemeinsamDigital.Domain.Revisions;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

public static class OpenRevisionPhaseEndpoint
{
    /// <summary>Open a revision phase: name, period and scope. Only one phase is open at a time.</summary>
    [WolverinePost("/api/revisions", OperationId = "openRevisionPhase")]
    [EndpointSummary("Open a revision phase")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    [EndpointDescription("Name, period (from/to, days inclusive) and scope (optional catalogue codes type, lead, district, perspective; none = every measure). "
        + "A phase starts after the previous one's period ended; only one phase is open at a time (409 otherwise).")]
    public static Task<IResult> Post(OpenRevisionPhase? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.OpenAsync(command, http, ct);
}
