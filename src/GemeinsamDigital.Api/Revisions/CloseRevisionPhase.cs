using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

public static class CloseRevisionPhaseEndpoint
{
    /// <summary>Close the revision phase: link the measures' lessons and freeze the immutable snapshot.</summary>
    [WolverinePost("/api/revisions/{id}/close", OperationId = "closeRevisionPhase")]
    [EndpointSummary("Close a revision phase")]
    [EndpointDescription("Takes the snapshot as of the event store's highest sequence (every measure in scope, portfolio figures, indicator values, lessons) "
        + "with its SHA-256 content hash. No body. A closed phase and its snapshot never change again (409). "
        + "Refused (409 integrity-broken, naming the streams) while stored events fail their hash chain or differ from the transparency log.")]
    public static async Task<IResult> Post(Guid id, CommandPipeline pipeline, IntegrityMonitor integrity, HttpContext http, CancellationToken ct) =>
        // A snapshot freezes the measures' state: it must not freeze changed events, so every chain is checked first.
        (await integrity.SweepAsync("revision-close", ct)).Broken is { Count: > 0 } broken
            ? Problems.IntegrityBroken("Closing the revision phase", broken)
            : await pipeline.CloseAsync(id, http, ct);
}
