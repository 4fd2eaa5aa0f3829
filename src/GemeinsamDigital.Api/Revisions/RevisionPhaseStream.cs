using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
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

/// <summary>A revision phase's stream as the command pipeline sees it. Only the strategy office sends its commands (endpoint policy).</summary>
public sealed class RevisionPhaseStream : StreamKind<RevisionPhaseState, IRevisionEvent>
{
    public static readonly RevisionPhaseStream Kind = new();

    public override string Noun => "revision phase";

    public override IResult NotFound(Guid id) => Problems.RevisionPhaseNotFound(id);

    public override string Location(Guid id) => $"/api/revisions/{id}";

    public override object Accepted(Guid id, RevisionPhaseState? before, IReadOnlyList<IRevisionEvent> events, long version) =>
        events.OfType<RevisionPhaseClosed>().SingleOrDefault() is { } closed
            ? new RevisionCommandAccepted(id, version, RevisionPhaseStatus.Closed, Names(events), closed.AsOfSequence, closed.SnapshotHash)
            : new RevisionCommandAccepted(id, version, before?.Status ?? RevisionPhaseStatus.Open, Names(events));

    // Another open committed between our read and our write: the unique index refused this one.
    public override async Task<IResult?> ExplainRefusedAsync(Exception e, Guid id, RevisionPhaseState? before, IReadOnlyList<IRevisionEvent> events, IQuerySession session, CancellationToken ct)
    {
        if (!CommandPipeline.Causes(e).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName == RevisionSetup.OnlyOneOpenIndex))
        {
            return null;
        }
        var winner = await OpenPhaseAsync(session, ct);
        return Problems.From(new AnotherRevisionPhaseOpen(winner?.Id ?? Guid.Empty, winner?.Name ?? "?"));
    }

    public static Task<RevisionPhaseState?> OpenPhaseAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<RevisionPhaseState>().Where(p => p.Status == RevisionPhaseStatus.Open).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Closing decides on the snapshot as of the highest global sequence, taken while the session
    /// holds every writer off the events table (<see cref="WriteSession.OpenExclusiveAsync"/>), with
    /// the same function that recomputes it later (<see cref="RevisionReader.ComputeAsync"/>).
    /// </summary>
    public static async ValueTask<IDecision<IRevisionEvent>> DecideCloseAsync(RevisionPhaseState state, WriteSession write, CancellationToken ct)
    {
        if (RevisionPhases.Unchangeable(state, RevisionPhases.CloseCommandName) is { } closed)
        {
            return RevisionDecision.Reject(closed);
        }
        var sequence = await write.HighestSequenceAsync(ct);
        return RevisionPhases.Close(state, await RevisionReader.ComputeAsync(write.Session, state.Id, sequence, ct));
    }
}

/// <summary>How endpoints hand revision phase commands to the pipeline.</summary>
public static class RevisionCommands
{
    public static Task<IResult> OpenAsync(this CommandPipeline pipeline, OpenRevisionPhase? command, HttpContext http, CancellationToken ct) =>
        command is null
            ? Task.FromResult(Problems.MissingBody())
            : pipeline.StartAsync(RevisionPhaseStream.Kind, OpenRevisionPhase.CommandName, async (id, session, ct) =>
            {
                var open = await RevisionPhaseStream.OpenPhaseAsync(session, ct);
                var previous = await session.Query<RevisionPhaseState>()
                    .Where(p => p.Status == RevisionPhaseStatus.Closed)
                    .OrderByDescending(p => p.AsOfSequence)
                    .FirstOrDefaultAsync(ct);
                return RevisionPhases.Open(id, command, open, previous);
            }, http, ct);

    public static Task<IResult> RecordLessonAsync(this CommandPipeline pipeline, Guid id, RecordRevisionLesson? command, HttpContext http, CancellationToken ct) =>
        command is null
            ? Task.FromResult(Problems.MissingBody())
            : pipeline.ChangeAsync(RevisionPhaseStream.Kind, id, RecordRevisionLesson.CommandName, async (state, write, ct) =>
            {
                var measure = command.MeasureId is { } measureId ? await write.Session.LoadAsync<MeasureState>(measureId, ct) : null;
                return RevisionPhases.RecordLesson(state, command, measure);
            }, http, ct);

    public static Task<IResult> CloseAsync(this CommandPipeline pipeline, Guid id, HttpContext http, CancellationToken ct) =>
        pipeline.ChangeAsync(RevisionPhaseStream.Kind, id, RevisionPhases.CloseCommandName, RevisionPhaseStream.DecideCloseAsync, http, ct, exclusive: true);
}
