using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using JasperFx.Events;
using Marten;

namespace GemeinsamDigital.Api.Revisions;

/// <summary>A closed phase's stored snapshot, as its closing event holds it.</summary>
/// <param name="Phase">The phase, folded from its events.</param>
/// <param name="Closed">The closing event with the snapshot and its hash.</param>
/// <param name="ClosedAt">When the closing event was recorded.</param>
/// <param name="ClosedVersion">The phase stream's version (its ETag): the closing event's version.</param>
public sealed record StoredSnapshot(RevisionPhaseState Phase, RevisionPhaseClosed Closed, DateTimeOffset ClosedAt, long ClosedVersion);

/// <summary>Reads revision phases' snapshots and recomputes them from the events.</summary>
public sealed class RevisionReader(IDocumentStore store)
{
    /// <summary>The phase's events; null when <paramref name="id"/> is not a revision phase.</summary>
    public static async Task<IReadOnlyList<IEvent>?> PhaseEventsAsync(IQuerySession session, Guid id, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        return events.Count > 0 && events[0].Data is RevisionPhaseOpened ? events : null;
    }

    /// <summary>The phase folded from its events among <paramref name="events"/> (e.g. every event up to a sequence).</summary>
    public static RevisionPhaseState PhaseOf(Guid id, IEnumerable<IEvent> events) =>
        RevisionPhaseEvolution.Fold(events
            .Where(e => e.StreamId == id && e.Data is IRevisionEvent)
            .OrderBy(e => e.Version)
            .Select(e => ((IRevisionEvent)e.Data, new EventInfo(e.Version, e.Timestamp))));

    /// <summary>
    /// The snapshot of phase <paramref name="id"/> as of <paramref name="sequence"/>, computed from
    /// the events up to it: the same function the close uses, over the same events.
    /// </summary>
    /// <param name="session">The store.</param>
    /// <param name="id">The phase.</param>
    /// <param name="sequence">The global sequence the snapshot reflects.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="format">The snapshot format.</param>
    /// <param name="withCatalogVersion">Name the catalogue version (false only to recompute a format-2 snapshot closed before it was recorded).</param>
    public static async Task<RevisionSnapshot> ComputeAsync(IQuerySession session, Guid id, long sequence, CancellationToken ct,
        int format = RevisionSnapshots.Format, bool withCatalogVersion = true)
    {
        var events = await MonitoringReader.EventsUpToAsync(session, sequence, ct);
        return RevisionSnapshots.Build(PhaseOf(id, events), MonitoringReader.MeasureEvents(events), sequence, format,
            withCatalogVersion ? CatalogVersionOf(events) : null);
    }

    /// <summary>
    /// The catalogue's version among events up to a sequence: its last event's version (the shipped
    /// catalogue, 1, when none of its events lies up to there: it was in force before it was recorded).
    /// </summary>
    public static long CatalogVersionOf(IEnumerable<IEvent> events) =>
        events.Where(e => e.Data is Domain.Catalog.ICatalogEvent).Select(e => e.Version).DefaultIfEmpty(1).Max();

    /// <summary>The stored snapshot recomputed from the events, in the format it was taken in.</summary>
    public async Task<RevisionSnapshot> RecomputeAsync(StoredSnapshot stored, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await ComputeAsync(session, stored.Phase.Id, stored.Closed.AsOfSequence, ct, stored.Closed.Snapshot.Format,
            stored.Closed.Snapshot.CatalogVersion is not null);
    }

    /// <summary>The stored snapshot, or the problem answer: 404 unknown phase, 409 phase still open.</summary>
    public async Task<(StoredSnapshot? Snapshot, IResult? Problem)> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await PhaseEventsAsync(session, id, ct);
        if (events is null)
        {
            return (null, Problems.RevisionPhaseNotFound(id));
        }
        var phase = PhaseOf(id, events);
        var closing = events.LastOrDefault(e => e.Data is RevisionPhaseClosed);
        if (closing is null)
        {
            return (null, Problems.RevisionPhaseStillOpen(id, phase.Name));
        }
        return (new StoredSnapshot(phase, (RevisionPhaseClosed)closing.Data, closing.Timestamp, closing.Version), null);
    }
}
