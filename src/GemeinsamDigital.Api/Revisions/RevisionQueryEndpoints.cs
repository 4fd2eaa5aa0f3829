using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Domain.Revisions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Revisions;

// Every READ endpoint of revision phases is in this file; the commands are in RevisionCommandEndpoints.

/// <summary>A closed phase's snapshot as stored when it closed.</summary>
/// <param name="PhaseId">The phase.</param>
/// <param name="Name">The phase's name.</param>
/// <param name="ClosedAt">When the phase closed.</param>
/// <param name="AsOfSequence">The global event sequence the snapshot reflects.</param>
/// <param name="Snapshot">The snapshot content the hash covers.</param>
/// <param name="SnapshotHash">SHA-256 of the snapshot's canonical JSON (see README "Revision phases").</param>
public sealed record RevisionSnapshotView(Guid PhaseId, string Name, DateTimeOffset ClosedAt, long AsOfSequence, string SnapshotHash, RevisionSnapshot Snapshot);

/// <summary>The stored snapshot checked against its hash and against a recomputation from the events.</summary>
/// <param name="PhaseId">The phase.</param>
/// <param name="AsOfSequence">The global event sequence the snapshot reflects.</param>
/// <param name="StoredHash">The hash recorded when the phase closed.</param>
/// <param name="StoredContentHash">The hash of the stored snapshot content as read now.</param>
/// <param name="RecomputedHash">The hash of the snapshot recomputed from the events up to AsOfSequence.</param>
/// <param name="Matches">All three hashes are equal.</param>
/// <param name="Differences">Top-level snapshot members where the recomputation differs from the stored snapshot.</param>
public sealed record SnapshotVerification(
    Guid PhaseId, long AsOfSequence, string StoredHash, string StoredContentHash, string RecomputedHash, bool Matches, IReadOnlyList<string> Differences);

public static class RevisionQueryEndpoints
{
    public const string Tag = "Revision phases";

    /// <summary>Every revision phase, the most recently opened first.</summary>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one row per phase, lessons as JSON.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/revisions", OperationId = "listRevisionPhases")]
    [Tags(Tag)]
    [EndpointSummary("List revision phases")]
    [ProducesResponseType<ItemList<RevisionPhaseState>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? format, IQuerySession session, HttpContext http, CancellationToken ct) =>
        Tables.Answer(http, format, new ItemList<RevisionPhaseState>([.. await session.Query<RevisionPhaseState>().OrderByDescending(p => p.OpenedAt).ToListAsync(ct)]), "revision-phases");

    /// <summary>One revision phase: name, period, scope, status, lessons and, once closed, its snapshot's sequence and hash.</summary>
    [AllowAnonymous]
    [WolverineGet("/api/revisions/{id}", OperationId = "getRevisionPhase")]
    [Tags(Tag)]
    [EndpointSummary("Read a revision phase")]
    [ProducesResponseType<RevisionPhaseState>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var phase = await session.LoadAsync<RevisionPhaseState>(id, ct);
        if (phase is null)
        {
            return Problems.RevisionPhaseNotFound(id);
        }
        ETags.Set(http.Response, phase.Version);
        return ETags.NoneMatch(http.Request, phase.Version) ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(phase);
    }

    /// <summary>The closed phase's immutable snapshot, as JSON or CSV.</summary>
    /// <param name="id">The phase.</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one long table with a section column.</param>
    /// <param name="reader">Snapshot reader.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [WolverineGet("/api/revisions/{id}/snapshot", OperationId = "getRevisionSnapshot")]
    [Tags(Tag)]
    [EndpointSummary("Read a revision phase's snapshot")]
    [EndpointDescription("Every measure in scope with stage and key facts, portfolio figures, indicator values against target and the lessons, "
        + "as of one global event sequence (X-Event-Sequence), with its content hash. JSON or CSV (format, or Accept).")]
    [ProducesResponseType<RevisionSnapshotView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Snapshot(Guid id, string? format, RevisionReader reader, HttpContext http, CancellationToken ct)
    {
        var (stored, problem) = await reader.LoadAsync(id, ct);
        if (stored is null)
        {
            return problem!;
        }
        var closed = stored.Closed;
        ETags.Set(http.Response, stored.ClosedVersion);
        http.Response.Headers[DashboardResponder.SequenceHeader] = closed.AsOfSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Tables.Answer(http, format, $"revision-snapshot-{id:D}",
            () => Results.Ok(new RevisionSnapshotView(id, stored.Phase.Name, stored.ClosedAt, closed.AsOfSequence, closed.SnapshotHash, closed.Snapshot)),
            dialect => Csv.Write(DashboardCsv.WithFreshness(SnapshotCsv.Table(closed.Snapshot, closed.SnapshotHash),
                new Freshness(MonitoringReader.EventsBasis, closed.AsOfSequence, 0, null, stored.ClosedAt)), dialect));
    }

    /// <summary>Recompute the snapshot from the events up to its sequence and compare hashes.</summary>
    [AllowAnonymous]
    [WolverineGet("/api/revisions/{id}/snapshot/verify", OperationId = "verifyRevisionSnapshot")]
    [Tags(Tag)]
    [EndpointSummary("Verify a revision phase's snapshot")]
    [EndpointDescription("Folds every event up to the snapshot's sequence again, builds the snapshot with the same function the close used, and answers "
        + "the stored hash, the hash of the stored content and the recomputed hash, and whether they all match.")]
    [ProducesResponseType<SnapshotVerification>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Verify(Guid id, RevisionReader reader, CancellationToken ct)
    {
        var (stored, problem) = await reader.LoadAsync(id, ct);
        if (stored is null)
        {
            return problem!;
        }
        var recomputed = await reader.RecomputeAsync(stored, ct);
        var storedContentHash = SnapshotHash.Compute(stored.Closed.Snapshot);
        var recomputedHash = SnapshotHash.Compute(recomputed);
        return Results.Ok(new SnapshotVerification(id, stored.Closed.AsOfSequence, stored.Closed.SnapshotHash, storedContentHash, recomputedHash,
            stored.Closed.SnapshotHash == storedContentHash && storedContentHash == recomputedHash,
            SnapshotHash.DifferingMembers(stored.Closed.Snapshot, recomputed)));
    }

    /// <summary>What changed between two closed phases' snapshots.</summary>
    /// <param name="id">The earlier phase.</param>
    /// <param name="otherId">The later phase (its snapshot's sequence not below the earlier one's).</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one long table, a row per item of each list, its name in the column section.</param>
    /// <param name="reader">Snapshot reader.</param>
    /// <param name="session">The store (the catalogue's events).</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/revisions/{id}/compare/{otherId}", OperationId = "compareRevisionPhases")]
    [Tags(Tag)]
    [EndpointSummary("Compare two revision phases")]
    [EndpointDescription("Measures added, advanced, stalled (same non-final stage), scaled, stopped, withdrawn, finished before, removed; "
        + "changes per stage, Zukunftsperspektive and Leitgedanke; each indicator's movement toward or away from its target; "
        + "the catalogue's changes between the catalogue versions the two snapshots were taken against.")]
    [ProducesResponseType<RevisionComparison>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Compare(Guid id, Guid otherId, string? format, RevisionReader reader, Marten.IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (from, fromProblem) = await reader.LoadAsync(id, ct);
        if (from is null)
        {
            return fromProblem!;
        }
        var (to, toProblem) = await reader.LoadAsync(otherId, ct);
        if (to is null)
        {
            return toProblem!;
        }
        if (from.Closed.AsOfSequence > to.Closed.AsOfSequence)
        {
            return Problems.Validation("otherId", $"Compare an earlier phase with a later one: '{to.Phase.Name}' closed before '{from.Phase.Name}'; swap them.");
        }
        var comparison = RevisionComparisons.Compare(from.Closed.Snapshot, from.Closed.SnapshotHash, to.Closed.Snapshot, to.Closed.SnapshotHash);
        // Beside the measures' changes: the catalogue's between the versions the snapshots were taken against
        // (a snapshot that names none: the catalogue's version at its sequence).
        var catalog = await CatalogReader.EventsAsync(session, ct);
        long VersionAt(RevisionSnapshot s) => s.CatalogVersion ?? catalog.Where(e => e.Sequence <= s.AsOfSequence).Select(e => e.Version).DefaultIfEmpty(1).Max();
        comparison = RevisionComparisons.WithCatalog(comparison, VersionAt(from.Closed.Snapshot), VersionAt(to.Closed.Snapshot),
            catalog.Where(e => e.Data is Domain.Catalog.ICatalogEvent).Select(e => ((Domain.Catalog.ICatalogEvent)e.Data, CatalogStream.Info(e))));
        return Tables.AnswerSections(http, format, comparison, $"revision-comparison-{id:D}-{otherId:D}");
    }
}
