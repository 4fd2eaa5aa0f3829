using System.Diagnostics;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;

namespace GemeinsamDigital.Api.Projections;

/// <summary>A registered projection, its progress and, on this node, its daemon agent's status.</summary>
/// <param name="Name">The name to rebuild it by.</param>
/// <param name="Lifecycle">async (run by the daemon) or inline (written with the events).</param>
/// <param name="Sequence">Async: global sequence of the last event applied.</param>
/// <param name="Lag">Async: events stored but not yet applied.</param>
/// <param name="Status">Async: Running, Stopped or Paused on this node (with HotCold another node may be the one running it); Inline: "inline".</param>
public sealed record ProjectionView(string Name, string Lifecycle, long? Sequence, long? Lag, string Status);

public sealed record RebuiltProjection(string Name, string Lifecycle, long? Sequence, double Seconds);

/// <summary>Lists and rebuilds projections through the running async daemon.</summary>
public sealed class ProjectionOperations(IDocumentStore store, IProjectionCoordinator coordinator)
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
    /// Tears the projection's documents down and replays every event through it; the daemon then
    /// continues from the newest event. Inline projections are rebuilt the same way.
    /// </summary>
    /// <returns>What was rebuilt, or null when another rebuild is running on this node.</returns>
    public async Task<IReadOnlyList<RebuiltProjection>?> TryRebuildAsync(IEnumerable<string> names, TimeSpan timeout, CancellationToken ct)
    {
        if (!await _rebuilding.WaitAsync(0, ct))
        {
            return null;
        }
        try
        {
            var rebuilt = new List<RebuiltProjection>();
            foreach (var name in names)
            {
                rebuilt.Add(await RebuildAsync(name, timeout, ct));
            }
            return rebuilt;
        }
        finally
        {
            _rebuilding.Release();
        }
    }

    private async Task<RebuiltProjection> RebuildAsync(string name, TimeSpan timeout, CancellationToken ct)
    {
        var projection = All().Single(p => p.Name == name);
        var watch = Stopwatch.StartNew();
        var daemon = coordinator.DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(name, timeout, ct);
        long? sequence = null;
        if (projection.Lifecycle == ProjectionLifecycle.Async)
        {
            // A rebuild leaves the projection's agent stopped; it continues from where the rebuild ended.
            await daemon.StartAgentAsync(ProjectionProgress.ShardOf(name), ct);
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            sequence = (await ProjectionProgress.ReadAsync(connection, null, [name], ct))[0].Sequence;
        }
        return new RebuiltProjection(name, projection.Lifecycle.ToString().ToLowerInvariant(), sequence, Math.Round(watch.Elapsed.TotalSeconds, 3));
    }

    public bool IsRunning(string projection) =>
        coordinator.DaemonForMainDatabase().StatusFor(ProjectionProgress.ShardOf(projection)) == AgentStatus.Running;
}
