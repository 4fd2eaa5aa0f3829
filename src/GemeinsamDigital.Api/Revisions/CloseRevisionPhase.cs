using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

public static class CloseRevisionPhaseEndpoint
{
    /// <summary>Close the revision phase: link the measures' lessons and freeze the immutable snapshot.</summary>
    [WolverinePost("/api/revisions/{id}/close", OperationId = "closeRevisionPhase")]
    [EndpointSummary("Close a revision phase")]
    [EndpointDescription("Takes the snapshot as of the event store's highest sequence (every measure in scope, portfolio figures, indicator values, lessons) "
        + "with its SHA-256 content hash. No body. A closed phase and its snapshot never change again (409).")]
    public static Task<IResult> Post(Guid id, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.CloseAsync(id, http, ct);
}
