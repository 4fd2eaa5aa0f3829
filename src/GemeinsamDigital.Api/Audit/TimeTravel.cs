using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>
/// A measure as it was at a version or a point in time, folded from its events by the same projection
/// as today's state: from the newest stored snapshot that covers it, so no read folds more than
/// <see cref="MeasureSnapshots.Interval"/> events once the snapshots are there.
/// </summary>
public static class TimeTravel
{
    public static async Task<IResult> ReadAsync(Guid id, long? version, string? asOf, IQuerySession session, ResolvedEvents events, MeasureSnapshots snapshots,
        IntegrityMonitor integrity, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (version is not null && !string.IsNullOrWhiteSpace(asOf))
        {
            return Problems.Validation(AsOf.Field, "Give either 'version' or 'asOf', not both.");
        }
        if (version is < 1)
        {
            return Problems.Validation("version", "'version' must be a whole number from 1.");
        }
        var errors = new FieldErrors();
        var at = AsOf.Parse(asOf, clock.GetUtcNow(), errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        // Folded by the projection's own evolve, as Marten's live aggregation would, from events
        // resolved in one synchronous pass (a third of the CPU of AggregateStreamAsync).
        var snapshot = await snapshots.NewestAsync(session, id, version, at, ct);
        var folded = await events.StreamAsync(id, version, at, ct, afterVersion: snapshot?.Version ?? 0);
        var (state, last, reached) = Fold(id, snapshot, folded);
        await snapshots.StoreAsync(reached, ct);
        // A version beyond the stream's last one is not there (not the latest state).
        if (version is { } wanted && last < wanted)
        {
            state = null;
        }
        if (state is null)
        {
            var stream = await session.Events.FetchStreamStateAsync(id, ct);
            if (stream is null)
            {
                return Problems.MeasureNotFound(id);
            }
            if (version is { } v)
            {
                return Problems.NotFound("measure-version",
                    $"Measure '{id}' has {stream.Version} version(s); version {v} does not exist.");
            }
            var first = await session.Events.FetchStreamAsync(id, version: 1, token: ct);
            var proposedAt = first.Count > 0 ? $"; it was proposed at {first[0].Timestamp.ToUniversalTime():O}" : "";
            return Problems.NotFound("measure-not-yet",
                $"Measure '{id}' did not exist yet at {at!.Value.ToUniversalTime():O}{proposedAt}.");
        }
        ETags.Set(http.Response, state.Version);
        return ETags.NoneMatch(http.Request, state.Version)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : IntegrityNotice.Answer(http, state, await integrity.NoticeAsync(id, ct));
    }

    /// <summary>
    /// Folds the events on top of the snapshot (or from nothing) as the projection does, but keeping
    /// the measurement series the stored state leaves out, so snapshots carry it and no read of it
    /// is needed; returns the state, the version of the last event folded, and a snapshot at each
    /// interval boundary passed on the way.
    /// </summary>
    private static (MeasureState? State, long Last, List<MeasureSnapshot> Reached) Fold(Guid id, MeasureSnapshot? snapshot, List<JasperFx.Events.IEvent> events)
    {
        var state = snapshot?.State;
        var last = snapshot?.Version ?? 0;
        var latest = snapshot?.LatestTimestamp ?? DateTimeOffset.MinValue;
        // A boundary's state is only the fold of every event up to it if none was left out on the way
        // (an asOf leaves out events stamped after it, whatever their version).
        var complete = true;
        var reached = new List<MeasureSnapshot>();
        foreach (var e in events)
        {
            complete &= e.Version == last + 1;
            state = MeasureProjection.Fold(state, e);
            last = e.Version;
            latest = e.Timestamp > latest ? e.Timestamp : latest;
            if (complete && state is not null && last % MeasureSnapshots.Interval == 0)
            {
                reached.Add(new MeasureSnapshot
                {
                    Id = MeasureSnapshot.IdOf(id, last),
                    MeasureId = id,
                    Revision = MeasureProjection.FoldRevision,
                    Version = last,
                    LatestTimestamp = latest,
                    State = state,
                });
            }
        }
        return (state, last, reached);
    }
}
