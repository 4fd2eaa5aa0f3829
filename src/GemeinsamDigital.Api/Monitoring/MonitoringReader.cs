using System.Data;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using JasperFx.Events;
using Marten;

namespace GemeinsamDigital.Api.Monitoring;

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
public sealed class MonitoringReader(IDocumentStore store, DashboardClock clock, MonitoringRowCache cache, DashboardSettings settings, MeasurementSeries series)
{
    public const string ProjectionBasis = "projection";
    public const string EventsBasis = "events";

    // Rows whose measurement series are read in one query.
    private const int SeriesBatch = 2_000;

    /// <summary>
    /// The projection's rows and its progression, read in one REPEATABLE READ snapshot. The daemon
    /// commits projected rows and its progression together, so the rows reflect exactly that sequence.
    /// Rows are kept in memory (<see cref="MonitoringRowCache"/>), reduced to what the dashboards read: while the projection has not moved,
    /// a dashboard costs one progression query; when it has, only the rows it changed since are
    /// loaded (each row carries the sequence of the last event folded into it, indexed).
    /// </summary>
    public async Task<MonitoringSnapshot> LiveAsync(CancellationToken ct)
    {
        var now = clock.Now;
        ProjectionPosition position;
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            position = (await ProjectionProgress.ReadAsync(connection, null, [MonitoringProjection.ProjectionName], ct))[0];
        }
        var kept = cache.Current;
        if (Usable(kept, position) is { } cached)
        {
            return Snapshot(cached, position, now);
        }
        // One loader at a time, detached from the request that started it: a burst of dashboard
        // requests after the projection moved loads the changes once, and no request (not even the
        // one that started the load) waits for it longer than for newer figures (DashboardSettings);
        // then it answers from the rows kept before, stating their sequence and lag. The very first
        // rows are always waited for.
        for (var attempt = 1; ; attempt++)
        {
            var load = cache.LoadOnce(LoadChangesAsync);
            if (kept is not null && await Task.WhenAny(load, Task.Delay(settings.RecomputeWait, ct)) != load)
            {
                return Snapshot(kept, position, now);
            }
            var rows = await load;
            if (Usable(rows, position) is not null || attempt == 3)
            {
                // (After a rebuild that restarted the projection, rows may stay behind for a while: say so.)
                return Snapshot(rows, position, now);
            }
            // That load had begun before the position this request read: load again.
            kept = rows;
        }
    }

    /// <summary>The rows changed since those kept (all rows the first time), read in one snapshot with the progression.</summary>
    private async Task<MonitoringRowSet> LoadChangesAsync()
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var position = (await ProjectionProgress.ReadAsync(connection, transaction, [MonitoringProjection.ProjectionName], CancellationToken.None))[0];
        var generation = cache.Generation;
        var known = cache.Current;
        var rows = Usable(known, position);
        if (rows is null)
        {
            await using var session = store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction));
            var query = known is null ? session.Query<MonitoringRow>() : session.Query<MonitoringRow>().Where(r => r.Sequence > known.Sequence);
            // Each batch of rows gets its series and is reduced as it is read (MonitoringRow.ForDashboards):
            // the full rows are never all in memory at once.
            var changed = new List<MonitoringRow>();
            var batch = new List<MonitoringRow>(SeriesBatch);
            async Task KeepAsync()
            {
                // A changed row's series is read on from the row kept before.
                var measures = await series.WithSeriesAsync([.. batch.Select(r => r.Measure)], id => known?.Find(id)?.Measure, CancellationToken.None);
                changed.AddRange(batch.Select((r, i) => (r with { Measure = measures[i] }).ForDashboards()));
                batch.Clear();
            }
            await foreach (var row in query.ToAsyncEnumerable())
            {
                batch.Add(row);
                if (batch.Count == SeriesBatch)
                {
                    await KeepAsync();
                }
            }
            await KeepAsync();
            rows = known is null ? MonitoringRowSet.Of(position.Sequence, changed) : known.With(position.Sequence, changed);
            cache.Publish(rows, generation);
        }
        await transaction.CommitAsync();
        return rows;
    }

    // Rows kept at or beyond the projection's position are exact: rows only ever change together with
    // the progression, and a rebuild (which replays to the same rows) clears the cache when it ends.
    private static MonitoringRowSet? Usable(MonitoringRowSet? kept, ProjectionPosition position) =>
        kept is not null && kept.Sequence >= position.Sequence ? kept : null;

    private static MonitoringSnapshot Snapshot(MonitoringRowSet rows, ProjectionPosition position, DateTimeOffset now) =>
        new(rows, new Freshness(ProjectionBasis, rows.Sequence, Math.Max(0, position.Newest - rows.Sequence), null, now), now);

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

/// <summary>
/// The live monitoring rows as of one projection sequence, ordered by measure id (the order the
/// dashboards' math selects them in), with the portfolio's sums over them. Immutable: a newer
/// sequence is a new set sharing the unchanged rows, its tally updated by the changed ones.
/// </summary>
public sealed class MonitoringRowSet : IReadOnlyList<MonitoringRow>, IPortfolioTallied
{
    private readonly MonitoringRow[] _rows;
    private readonly Dictionary<Guid, int> _positions;

    private MonitoringRowSet(long sequence, MonitoringRow[] rows, Dictionary<Guid, int>? positions, PortfolioTally tally)
    {
        Sequence = sequence;
        _rows = rows;
        Portfolio = tally;
        if (positions is null)
        {
            positions = new Dictionary<Guid, int>(rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                positions.Add(rows[i].Id, i);
            }
        }
        _positions = positions;
    }

    /// <summary>Global sequence of the last event the projection had applied when these rows were read.</summary>
    public long Sequence { get; }

    public PortfolioTally Portfolio { get; }

    public int Count => _rows.Length;

    /// <summary>The row of this measure, if it has one.</summary>
    public MonitoringRow? Find(Guid id) => _positions.TryGetValue(id, out var at) ? _rows[at] : null;

    public MonitoringRow this[int index] => _rows[index];

    public IEnumerator<MonitoringRow> GetEnumerator() => ((IEnumerable<MonitoringRow>)_rows).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public static MonitoringRowSet Of(long sequence, IEnumerable<MonitoringRow> rows)
    {
        MonitoringRow[] ordered = [.. rows.OrderBy(r => r.Id)];
        return new(sequence, ordered, null, PortfolioTally.Of(ordered));
    }

    /// <summary>These rows with <paramref name="changed"/> (rows the projection wrote after <see cref="Sequence"/>) in place of their old versions.</summary>
    public MonitoringRowSet With(long sequence, IReadOnlyCollection<MonitoringRow> changed)
    {
        var rows = (MonitoringRow[])_rows.Clone();
        var tally = Portfolio.Copy();
        List<MonitoringRow>? added = null;
        foreach (var row in changed)
        {
            if (_positions.TryGetValue(row.Id, out var at))
            {
                tally.Remove(rows[at].Measure);
                rows[at] = row;
            }
            else
            {
                (added ??= []).Add(row);
            }
            tally.Add(row.Measure);
        }
        // New measures are rare beside changes of existing ones: only then is the order (and the index) rebuilt.
        return added is null
            ? new MonitoringRowSet(sequence, rows, _positions, tally)
            : new MonitoringRowSet(sequence, [.. rows.Concat(added).OrderBy(r => r.Id)], null, tally);
    }
}

/// <summary>The live monitoring rows this node keeps (at most one set), and the lock of the one loader.</summary>
public sealed class MonitoringRowCache
{
    private readonly Lock _lock = new();
    private MonitoringRowSet? _current;
    private long _generation;

    private Task<MonitoringRowSet>? _loading;

    /// <summary>The load in progress, or a new one started on the thread pool (not on a request's time).</summary>
    public Task<MonitoringRowSet> LoadOnce(Func<Task<MonitoringRowSet>> load)
    {
        lock (_lock)
        {
            if (_loading is { IsCompleted: false } running)
            {
                return running;
            }
            var started = Task.Run(load);
            // Requests that stopped waiting for it do not observe a failure; the next request loads again.
            _ = started.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return _loading = started;
        }
    }

    public MonitoringRowSet? Current => Volatile.Read(ref _current);

    /// <summary>The measure as the kept rows hold it (with its series), if they do: where reads of a series start from.</summary>
    public MeasureState? Measure(Guid id) => Current?.Find(id)?.Measure;

    /// <summary>Changes with every <see cref="Clear"/>: a load begun before it must not publish.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Publish(MonitoringRowSet rows, long generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                Volatile.Write(ref _current, rows);
            }
        }
    }

    /// <summary>After a rebuild, or rows changed behind the projection's back: load every row again.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Volatile.Write(ref _current, null);
            Interlocked.Increment(ref _generation);
        }
    }
}
