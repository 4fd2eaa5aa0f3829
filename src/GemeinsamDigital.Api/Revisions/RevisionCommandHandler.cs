using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Api.Measures;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Revisions;

/// <summary>What a revision phase command answers on success.</summary>
/// <param name="PhaseId">The phase's id.</param>
/// <param name="Version">The phase stream's version after the command; also the new ETag.</param>
/// <param name="Status">Open or Closed.</param>
/// <param name="Events">Stored names of the events the command appended.</param>
/// <param name="AsOfSequence">Close: the global event sequence the snapshot reflects.</param>
/// <param name="SnapshotHash">Close: the snapshot's content hash.</param>
public sealed record RevisionCommandAccepted(
    Guid PhaseId, long Version, RevisionPhaseStatus Status, IReadOnlyList<string> Events, long? AsOfSequence = null, string? SnapshotHash = null);

/// <summary>
/// The one path every revision phase command takes: read (honouring If-Match), decide with the
/// pure domain function, append, save. Endpoints add nothing but their route.
/// </summary>
public sealed class RevisionCommandHandler(IDocumentSession session, IDocumentStore store, EventLedger ledger)
{
    private const int Attempts = 3;

    public async Task<IResult> Open(OpenRevisionPhase? command, HttpContext http, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        if (Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        var open = await OpenPhaseAsync(session, ct);
        var previous = await session.Query<RevisionPhaseState>()
            .Where(p => p.Status == RevisionPhaseStatus.Closed)
            .OrderByDescending(p => p.AsOfSequence)
            .FirstOrDefaultAsync(ct);
        var id = Guid.CreateVersion7();
        var decision = RevisionPhases.Open(id, command, open, previous);
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }
        EventLedger.StartStream<RevisionPhaseState>(session, id, ledger.Now(decision.Events), metadata);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IsSecondOpenPhase(e))
        {
            // Another open committed between our read and our write: the unique index refused this one.
            await using var fresh = store.QuerySession();
            var winner = await OpenPhaseAsync(fresh, ct);
            return Problems.From(new AnotherRevisionPhaseOpen(winner?.Id ?? Guid.Empty, winner?.Name ?? "?"));
        }
        ETags.Set(http.Response, decision.Events.Count);
        return Results.Created($"/api/revisions/{id}", Accepted(id, decision.Events.Count, RevisionPhaseStatus.Open, decision.Events));
    }

    public async Task<IResult> RecordLesson(Guid id, RecordRevisionLesson? command, HttpContext http, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        if (IfMatch(http, out var expected) is { } badIfMatch)
        {
            return badIfMatch;
        }
        if (Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        for (var attempt = 1; ; attempt++)
        {
            // A fresh session per attempt: a retry must not see the aggregate the last attempt read.
            await using var attemptSession = store.LightweightSession();
            var stream = await attemptSession.Events.FetchForWriting<RevisionPhaseState>(id, ct);
            if (stream.Aggregate is null)
            {
                return Problems.RevisionPhaseNotFound(id);
            }
            if (expected is { } v && v != stream.CurrentVersion)
            {
                return Problems.StaleVersion(v, stream.CurrentVersion ?? 0, "revision phase");
            }
            // The projected state and the stream version are read by separate statements: a close
            // committing in between gives the old (open) state with the new version, and appending
            // behind that version would put a lesson after the close. Decide only on a state that
            // is exactly the version the append will expect.
            if (stream.Aggregate.Version != stream.CurrentVersion)
            {
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite();
            }
            var measure = command.MeasureId is { } measureId ? await attemptSession.LoadAsync<MeasureState>(measureId, ct) : null;
            var decision = RevisionPhases.RecordLesson(stream.Aggregate, command, measure);
            if (decision.Rejection is { } rejection)
            {
                return Problems.From(rejection);
            }
            await ledger.AppendNowAsync(attemptSession, stream, decision.Events, metadata, ct);
            try
            {
                await attemptSession.SaveChangesAsync(ct);
            }
            catch (Exception e) when (MeasureCommandHandler.IsConcurrencyConflict(e))
            {
                if (expected is { } pinned)
                {
                    await using var fresh = store.QuerySession();
                    var current = await fresh.Events.FetchStreamStateAsync(id, ct);
                    return Problems.StaleVersion(pinned, current?.Version ?? 0, "revision phase");
                }
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite();
            }
            var version = stream.Aggregate.Version + decision.Events.Count;
            ETags.Set(http.Response, version);
            return Results.Ok(Accepted(id, version, RevisionPhaseStatus.Open, decision.Events));
        }
    }

    public async Task<IResult> Close(Guid id, HttpContext http, CancellationToken ct)
    {
        if (IfMatch(http, out var expected) is { } badIfMatch)
        {
            return badIfMatch;
        }
        if (Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        var result = await CloseAsync(store, id, expected, metadata, ledger.UtcNow, ct);
        if (result.Problem is { } problem)
        {
            return problem;
        }
        ETags.Set(http.Response, result.Accepted!.Version);
        return Results.Ok(result.Accepted);
    }

    /// <summary>
    /// Closes the phase with its snapshot as of one global event sequence. The event table is
    /// locked against writers (SHARE ROW EXCLUSIVE: readers go on, appends wait a moment) for the
    /// whole close: the lock waits for every write in flight to commit, so the highest sequence read
    /// then has no uncommitted event below it, and no event can join below it later. The snapshot
    /// is computed from exactly the events up to that sequence, with the same function that
    /// recomputes it later (RevisionReader.ComputeAsync), and appended with the closing event.
    /// </summary>
    /// <param name="store">The document store.</param>
    /// <param name="id">The phase.</param>
    /// <param name="expected">If-Match: the phase stream's version as last read; null for "the latest".</param>
    /// <param name="metadata">Who closes, why, correlation.</param>
    /// <param name="at">The time to record the closing events at (now, or a demo date).</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<(RevisionCommandAccepted? Accepted, IResult? Problem)> CloseAsync(
        IDocumentStore store, Guid id, long? expected, CommandMetadata metadata, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await ExecuteAsync(connection, transaction, $"lock table {Persistence.Schema}.mt_events in share row exclusive mode", ct);
            await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
            var stream = await session.Events.FetchForWriting<RevisionPhaseState>(id, ct);
            if (stream.Aggregate is null)
            {
                return (null, Problems.RevisionPhaseNotFound(id));
            }
            if (expected is { } v && v != stream.CurrentVersion)
            {
                return (null, Problems.StaleVersion(v, stream.CurrentVersion ?? 0, "revision phase"));
            }
            if (RevisionPhases.Unchangeable(stream.Aggregate, RevisionPhases.CloseCommandName) is { } closed)
            {
                return (null, Problems.From(closed));
            }
            if (stream.Aggregate.Version != stream.CurrentVersion)
            {
                return (null, ConcurrentWrite()); // see RecordLesson; under the lock this does not happen
            }

            var sequence = (long)(await ExecuteAsync(connection, transaction, $"select coalesce(max(seq_id), 0) from {Persistence.Schema}.mt_events", ct))!;
            var snapshot = await RevisionReader.ComputeAsync(session, id, sequence, ct);
            var decision = RevisionPhases.Close(stream.Aggregate, snapshot);
            if (decision.Rejection is { } rejection)
            {
                return (null, Problems.From(rejection));
            }
            await EventLedger.AppendAsync(session, stream, [.. decision.Events.Select(e => ((object)e, at))], metadata, ct);
            await session.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            var closedEvent = decision.Events.OfType<RevisionPhaseClosed>().Single();
            return (Accepted(id, stream.Aggregate.Version + decision.Events.Count, RevisionPhaseStatus.Closed, decision.Events) with
            {
                AsOfSequence = closedEvent.AsOfSequence,
                SnapshotHash = closedEvent.SnapshotHash,
            }, null);
        }
        catch (Exception e) when (MeasureCommandHandler.IsConcurrencyConflict(e) || IsDeadlock(e))
        {
            return (null, ConcurrentWrite());
        }
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync(ct);
    }

    public static Task<RevisionPhaseState?> OpenPhaseAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<RevisionPhaseState>().Where(p => p.Status == RevisionPhaseStatus.Open).FirstOrDefaultAsync(ct);

    private static RevisionCommandAccepted Accepted(Guid id, long version, RevisionPhaseStatus status, IEnumerable<IRevisionEvent> events) =>
        new(id, version, status, [.. events.Select(e => EventTypes.NameOf(e.GetType()))]);

    private static IResult ConcurrentWrite() =>
        Problems.Problem(StatusCodes.Status409Conflict, "concurrent-write", "The revision phase is being changed by others right now.",
            "Other commands changed the revision phase while this one was decided. Retry, or send If-Match.");

    private static IResult? IfMatch(HttpContext http, out long? expected)
    {
        var (version, error) = ETags.ParseIfMatch(http.Request);
        expected = version;
        return error is null ? null : Problems.Validation(CommandMetadata.IfMatchErrorKey, error);
    }

    private static IResult? Metadata(HttpContext http, out CommandMetadata metadata)
    {
        metadata = CommandMetadata.From(http);
        return metadata.Reason?.Length > CommandMetadata.MaxReason
            ? Problems.Validation(CommandMetadata.ReasonErrorKey, $"The reason must be at most {CommandMetadata.MaxReason} characters long.")
            : null;
    }

    private static bool IsSecondOpenPhase(Exception e) =>
        Causes(e).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName == RevisionSetup.OnlyOneOpenIndex);

    private static bool IsDeadlock(Exception e) =>
        Causes(e).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.DeadlockDetected);

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
