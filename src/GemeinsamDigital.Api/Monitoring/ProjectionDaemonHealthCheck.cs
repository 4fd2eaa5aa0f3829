using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>
/// Ready only while the async projections keep up: unhealthy when one is more than
/// Projections:MaxLag events behind the newest event, when an event has waited longer than
/// Projections:StallTimeout for one (no node projects it: read from the progression table, so it
/// holds in HotCold whichever node runs the daemon), and (Solo mode, where this node must run them)
/// when its daemon agent is not running or the daemon's high-water detection is stale.
/// </summary>
public sealed class ProjectionDaemonHealthCheck(IDocumentStore store, IProjectionCoordinator coordinator, ProjectionSettings settings) : IHealthCheck
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        if (settings.DaemonMode == DaemonMode.Solo)
        {
            var daemon = coordinator.DaemonForMainDatabase();
            foreach (var projection in ProjectionSetup.DaemonShards)
            {
                var status = daemon.StatusFor(ProjectionProgress.ShardOf(projection));
                data[$"{projection}.status"] = status.ToString();
                if (status != JasperFx.AgentStatus.Running)
                {
                    problems.Add($"Projection '{projection}' is {status}.");
                }
            }
            if (daemon.IsHighWaterStale)
            {
                problems.Add("The daemon's high-water detection is stale.");
            }
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(timeout.Token);
            foreach (var position in await ProjectionProgress.ReadAsync(connection, null, ProjectionSetup.DaemonShards, timeout.Token))
            {
                data[$"{position.Projection}.lag"] = position.Lag;
                if (position.Lag > settings.MaxLag)
                {
                    problems.Add($"Projection '{position.Projection}' is {position.Lag} events behind (allowed: {settings.MaxLag}).");
                }
            }
            foreach (var (projection, waited) in await ProjectionProgress.WaitingAsync(connection, ProjectionSetup.DaemonShards, timeout.Token))
            {
                data[$"{projection}.waitingSeconds"] = Math.Round(waited.TotalSeconds, 1);
                if (waited > settings.StallTimeout)
                {
                    problems.Add($"Projection '{projection}' has left an event waiting for {waited.TotalSeconds:0} s (allowed: {settings.StallTimeout.TotalSeconds:0} s): no node is projecting it.");
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The projections' progress cannot be read.", e, data);
        }
        return problems.Count == 0
            ? HealthCheckResult.Healthy("The async projections keep up.", data)
            : HealthCheckResult.Unhealthy(string.Join(" ", problems), data: data);
    }
}
