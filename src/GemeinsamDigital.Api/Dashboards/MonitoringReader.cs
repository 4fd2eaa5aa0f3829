using System.Data;
using GemeinsamDigital.Api.Projections;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using JasperFx.Events;
using Marten;

namespace GemeinsamDigital.Api.Dashboards;

/// <summary>"Now" for dashboards (overdue days, future asOf). Replaceable so tests get exact figures.</summary>
public sealed class DashboardClock(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();
}

/// <summary>What the figures reflect.</summary>
/// <param name="Basis">"projection": live, from the async projection; "events": folded from the events up to <paramref name="AsOf"/>.</param>
/// <param name="EventSequence">Global sequence of the last event the figures include.</param>
/// <param name="Lag">Events stored but not yet in the figures (always 0 for asOf figures).</param>
/// <param name="AsOf">The moment asked for, or null for live figures.</param>
/// <param name="ComputedAt">When the figures were computed (server time).</param>
public sealed record Freshness(string Basis, long EventSequence, long Lag, DateTimeOffset? AsOf, DateTimeOffset ComputedAt);

/// <summary>Monitoring rows and what they reflect; "Now" is the moment time-dependent figures refer to.</summary>
public sealed record MonitoringSnapshot(IReadOnlyList<MonitoringRow> Rows, Freshness Freshness, DateTimeOffset Now);

/// <summary>Loads monitoring rows: live from the async projection, or as of a moment from the events.</summary>
public sealed class MonitoringReader(IDocumentStore store, DashboardClock clock)
{
    public const string ProjectionBasis = "projection";
    public const string EventsBasis = "events";

    /// <summary>
    /// The projection's rows and its progression, read in one REPEATABLE READ snapshot. The daemon
    /// commits projected rows and its progression together, so the rows reflect exactly that sequence.
    /// </summary>
    public async Task<MonitoringSnapshot> LiveAsync(CancellationToken ct)
    {
        var now = clock.Now;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        IReadOnlyList<MonitoringRow> rows;
        await using (var session = store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            rows = await session.Query<MonitoringRow>().ToListAsync(ct);
        }
        var position = (await ProjectionProgress.ReadAsync(connection, transaction, [MonitoringProjection.ProjectionName], ct))[0];
        await transaction.CommitAsync(ct);
        return new MonitoringSnapshot(rows, new Freshness(ProjectionBasis, position.Sequence, position.Lag, null, now), now);
    }

    /// <summary>
    /// Every measure as it was at <paramref name="asOf"/>: each stream's events in version order up
    /// to the first one recorded after that moment, folded by the domain's evolve.
    /// </summary>
    public async Task<MonitoringSnapshot> AsOfAsync(DateTimeOffset asOf, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= asOf)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        var rows = MonitoringRows.Fold(MeasureEvents(events));
        var sequence = rows.Count == 0 ? 0 : rows.Max(r => r.Sequence);
        return new MonitoringSnapshot(rows, new Freshness(EventsBasis, sequence, 0, asOf, clock.Now), asOf);
    }

    /// <summary>Every stored event with a global sequence up to <paramref name="sequence"/>, in sequence order.</summary>
    public static async Task<IReadOnlyList<IEvent>> EventsUpToAsync(IQuerySession session, long sequence, CancellationToken ct) =>
        await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence <= sequence)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);

    /// <summary>The measure events among stored events, as the domain's fold (MonitoringRows.Fold) takes them.</summary>
    public static IReadOnlyList<RecordedMeasureEvent> MeasureEvents(IEnumerable<IEvent> events) =>
        [.. events.Where(e => e.Data is IMeasureEvent).Select(e => new RecordedMeasureEvent(e.StreamId, e.Version, e.Sequence, e.Timestamp, (IMeasureEvent)e.Data))];
}
