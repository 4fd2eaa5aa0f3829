using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Marten;

/// <summary>
/// What a node keeps per measure for live dashboards: N monitoring rows of the benchmark's pilot
/// measures, each read from its own JSON as the projection stores it (so no strings are shared by
/// accident), held as read and then reduced (<see cref="MonitoringRow.ForDashboards"/>); the
/// managed heap's growth divided by N, after full collections.
/// </summary>
internal static class RowMemory
{
    public static object Measure(ISerializer serializer, int count, int measurements)
    {
        var json = Enumerable.Range(0, count).Select(_ =>
        {
            var id = Guid.CreateVersion7();
            MeasureState? state = null;
            var version = 0L;
            foreach (var (e, at) in Loader.Pilot(id, measurements))
            {
                state = MeasureEvolution.Evolve(state, e, new EventInfo(++version, at));
            }
            return serializer.ToJson(MonitoringRow.Of(state!, version));
        }).ToArray();
        var jsonBytes = json.Sum(j => (long)System.Text.Encoding.UTF8.GetByteCount(j));

        var fullBytes = Kept(json, serializer, reduce: false);
        var reducedBytes = Kept(json, serializer, reduce: true);
        MonitoringRow[] rows = [.. json.Select(j => serializer.FromJson<MonitoringRow>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(j))).ForDashboards()).OrderBy(r => r.Id)];
        var (allocated, ms) = Portfolio(rows);
        var (movedAllocated, movedMs) = Moved(rows);
        return new
        {
            rows = count,
            measurements,
            json_bytes_per_row = jsonBytes / count,
            full_bytes_per_row = fullBytes / count,
            reduced_bytes_per_row = reducedBytes / count,
            portfolio_allocated_bytes = allocated,
            portfolio_ms = ms,
            moved_allocated_bytes = movedAllocated,
            moved_ms = movedMs,
        };
    }

    /// <summary>
    /// What the live rows cost when the projection moved by one changed measure: the new row set
    /// (its tally updated by that measure) and the unfiltered portfolio from it.
    /// </summary>
    private static (long Allocated, double Ms) Moved(MonitoringRow[] rows)
    {
        var set = MonitoringRowSet.Of(1, rows);
        const int runs = 50;
        var changed = Enumerable.Range(0, runs + 5).Select(i => rows[i * 7 % rows.Length] with { Sequence = 2 + i }).ToArray();
        for (var i = 0; i < 5; i++)
        {
            set = set.With(2 + i, [changed[i]]);
            _ = DashboardMath.Portfolio(set, DashboardFilter.None) with { Places = DashboardMath.Places(set, DashboardFilter.None) };
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 5; i < runs + 5; i++)
        {
            set = set.With(2 + i, [changed[i]]);
            _ = DashboardMath.Portfolio(set, DashboardFilter.None) with { Places = DashboardMath.Places(set, DashboardFilter.None) };
        }
        return ((GC.GetAllocatedBytesForCurrentThread() - before) / runs, Math.Round(clock.Elapsed.TotalMilliseconds / runs, 3));
    }

    /// <summary>What one portfolio computation from scratch (as for a filtered one) allocates and takes over all rows, after 5 unmeasured.</summary>
    private static (long Allocated, double Ms) Portfolio(MonitoringRow[] rows)
    {
        for (var i = 0; i < 5; i++)
        {
            _ = DashboardMath.Portfolio(rows, DashboardFilter.None) with { Places = DashboardMath.Places(rows, DashboardFilter.None) };
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int runs = 20;
        for (var i = 0; i < runs; i++)
        {
            _ = DashboardMath.Portfolio(rows, DashboardFilter.None) with { Places = DashboardMath.Places(rows, DashboardFilter.None) };
        }
        return ((GC.GetAllocatedBytesForCurrentThread() - before) / runs, Math.Round(clock.Elapsed.TotalMilliseconds / runs, 2));
    }

    // Its own frame, so nothing it read stays reachable from the caller's.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long Kept(string[] json, ISerializer serializer, bool reduce)
    {
        var before = Heap();
        var rows = json.Select(j =>
        {
            var row = serializer.FromJson<MonitoringRow>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(j)));
            return reduce ? row.ForDashboards() : row;
        }).ToArray();
        var kept = Heap() - before;
        GC.KeepAlive(rows);
        return kept;
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }
}
