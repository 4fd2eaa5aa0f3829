using System.Diagnostics;
using GemeinsamDigital.Domain.Measures;
using Marten;

/// <summary>
/// The peer baseline: what a team would build on bare Marten with the same configuration (event
/// type names, inline projections, schema), appending the same event as workload 1's
/// record-measurement the way the Critter Stack samples do: FetchForWriting, AppendOne,
/// SaveChanges. No HTTP, no authorization, no domain decision, no hash chain (the ledger is not
/// used), no idempotency record, no retry on a concurrent write (counted as an error).
/// With <c>daemon</c> the async projections (the monitoring rows) run in the same process, as a
/// team's own would, so both sides pay for them; the service's subscriptions (change fan-out,
/// transparency log) are ours and do not run here.
/// </summary>
internal static class PeerBench
{
    public static async Task<object> RunAsync(IDocumentStore store, Guid[] ids, int clients, int seconds, int warmupSeconds, bool daemon)
    {
        using var projections = daemon ? await store.BuildProjectionDaemonAsync() : null;
        if (projections is not null)
        {
            foreach (var projection in ProjectionSetup.AsyncProjections)
            {
                await ProjectionProgress.StartAgentAsync(projections, ProjectionProgress.ShardOf(projection), CancellationToken.None);
            }
            // The events loaded before (or a previous run's) are projected before anything is measured.
            // (The daemon's own WaitForNonStaleData would wait for the service's subscriptions too.)
            await Loader.WaitForProjectionsAsync(store, [.. ProjectionSetup.AsyncProjections.Select(ProjectionProgress.ShardOf)], TimeSpan.FromMinutes(10));
        }
        if (warmupSeconds > 0)
        {
            // Not measured: the JIT and the connection pool, as the service's warm-up does for it.
            await WritersAsync(store, ids, clients, TimeSpan.FromSeconds(warmupSeconds), expected: 0);
        }
        var clock = Stopwatch.StartNew();
        var (latencies, errors) = await WritersAsync(store, ids, clients, TimeSpan.FromSeconds(seconds), expected: seconds * 2_000);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (projections is not null)
        {
            await projections.StopAllAsync();
        }
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        // Nearest rank over every operation of the run.
        double Percentile(double p) => all.Length == 0 ? 0 : Ms(all[Math.Clamp((int)Math.Ceiling(p / 100 * all.Length) - 1, 0, all.Length - 1)]);
        return new
        {
            commands = all.Length,
            rps = all.Length / elapsed,
            p50_ms = Percentile(50),
            p95_ms = Percentile(95),
            p99_ms = Percentile(99),
            max_ms = all.Length == 0 ? 0 : Ms(all[^1]),
            errors,
            clients,
            seconds = elapsed,
            daemon,
        };
    }

    private static async Task<(List<long>[] Latencies, long Errors)> WritersAsync(IDocumentStore store, Guid[] ids, int clients, TimeSpan duration, int expected)
    {
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(expected)).ToArray();
        var errors = 0L;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(writer => Task.Run(async () =>
        {
            var random = new Random();
            var mine = latencies[writer];
            for (var counter = 1; Stopwatch.GetTimestamp() < end; counter++)
            {
                var id = ids[random.Next(ids.Length)];
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await using var session = store.LightweightSession();
                    var stream = await session.Events.FetchForWriting<MeasureState>(id);
                    // The values build/bench/wrk-commands.lua sends.
                    stream.AppendOne(new IndicatorMeasured("nutzung", counter % 1000, new DateOnly(2025, 3, counter % 28 + 1), "bench"));
                    await session.SaveChangesAsync();
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Two writers on one measure: the later save fails Marten's version check.
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        Console.Error.WriteLine($"peer: first error: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        })));
        return (latencies, errors);
    }
}
