using System.Diagnostics;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>A registered projection, its progress and, on this node, its daemon agent's status.</summary>
/// <param name="Name">The name to rebuild it by.</param>
/// <param name="Lifecycle">async (run by the daemon) or inline (written with the events).</param>
/// <param name="Sequence">Async: global sequence of the last event applied.</param>
/// <param name="Lag">Async: events stored but not yet applied.</param>
/// <param name="Status">Async: Running, Stopped or Paused on this node (with HotCold another node may be the one running it); Inline: "inline".</param>
public sealed record ProjectionView(string Name, string Lifecycle, long? Sequence, long? Lag, string Status);

public sealed record RebuiltProjection(string Name, string Lifecycle, long? Sequence, double Seconds);

/// <summary>Lists and rebuilds projections through the running async daemon.</summary>
public sealed class ProjectionOperations(IDocumentStore store, IProjectionCoordinator coordinator, ProjectionReplay replay, MonitoringRowCache rows, DashboardFigureCache figures,
    MeasureSnapshots snapshots)
{
    // Two rebuilds at once would tear down each other's documents: one at a time per node.
    private readonly SemaphoreSlim _rebuilding = new(1, 1);

    private StoreOptions Options => (StoreOptions)store.Options;

    /// <summary>Every registered projection (inline and async), in registration order.</summary>
    public IReadOnlyList<(string Name, ProjectionLifecycle Lifecycle)> All() =>
        [.. Options.Projections.All.Select(p => (p.Name, p.Lifecycle))];

    public async Task<IReadOnlyList<ProjectionView>> DescribeAsync(CancellationToken ct)
    {
        var all = All();
        var asyncNames = all.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name).ToList();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var positions = (await ProjectionProgress.ReadAsync(connection, null, asyncNames, ct)).ToDictionary(p => p.Projection);
        var daemon = coordinator.DaemonForMainDatabase();
        return [.. all.Select(p => p.Lifecycle == ProjectionLifecycle.Async
            ? new ProjectionView(p.Name, "async", positions[p.Name].Sequence, positions[p.Name].Lag, daemon.StatusFor(ProjectionProgress.ShardOf(p.Name)).ToString())
            : new ProjectionView(p.Name, p.Lifecycle.ToString().ToLowerInvariant(), null, null, "inline"))];
    }

    /// <summary>
    /// Rebuilds the projections from the events: the single-stream ones together in one pass
    /// (<see cref="ProjectionReplay"/>), any other through the daemon's own rebuild, one after the
    /// other. Async projections continue from where their rebuild ended.
    /// </summary>
    /// <returns>What was rebuilt, in the order asked, or null when another rebuild is running on this node.</returns>
    public async Task<IReadOnlyList<RebuiltProjection>?> TryRebuildAsync(IEnumerable<string> names, TimeSpan timeout, CancellationToken ct)
    {
        if (!await _rebuilding.WaitAsync(0, ct))
        {
            return null;
        }
        try
        {
            var sources = names.Select(n => Options.Projections.All.Single(p => p.Name == n)).ToList();
            var daemon = coordinator.DaemonForMainDatabase();
            var seconds = new Dictionary<string, double>();
            var together = sources.Where(ProjectionReplay.Replays).ToList();
            if (together.Count > 0)
            {
                var watch = Stopwatch.StartNew();
                await replay.RebuildAsync(together, daemon, timeout, ct);
                together.ForEach(p => seconds[p.Name] = watch.Elapsed.TotalSeconds);
            }
            foreach (var source in sources.Except(together))
            {
                var watch = Stopwatch.StartNew();
                await daemon.RebuildProjectionAsync(source.Name, timeout, ct);
                if (source.Lifecycle == ProjectionLifecycle.Async)
                {
                    // The daemon's rebuild leaves the agent stopped; it continues from where the rebuild ended.
                    await ProjectionProgress.StartAgentAsync(daemon, ProjectionProgress.ShardOf(source.Name), ct);
                }
                seconds[source.Name] = watch.Elapsed.TotalSeconds;
            }
            if (sources.Any(p => p is MeasureProjection))
            {
                // A rebuild of the measures' state is what follows a change of their fold: time travel's
                // snapshots go with it, even if the fold's revision was not bumped.
                await snapshots.DeleteAllAsync(ct);
            }
            var asyncNames = sources.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name).ToList();
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            var positions = (await ProjectionProgress.ReadAsync(connection, null, asyncNames, ct)).ToDictionary(p => p.Projection, p => p.Sequence);
            return [.. sources.Select(p => new RebuiltProjection(p.Name, p.Lifecycle.ToString().ToLowerInvariant(),
                positions.TryGetValue(p.Name, out var sequence) ? sequence : null, Math.Round(seconds[p.Name], 3)))];
        }
        finally
        {
            rows.Clear();
            figures.Clear();
            _rebuilding.Release();
        }
    }

    public bool IsRunning(string projection) =>
        coordinator.DaemonForMainDatabase().StatusFor(ProjectionProgress.ShardOf(projection)) == AgentStatus.Running;
}
