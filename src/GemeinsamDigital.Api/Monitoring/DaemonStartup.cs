using JasperFx.Events.Daemon;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>
/// In Solo mode the daemon starts its agents in the background; holding the host's start until
/// they run means the service only takes traffic (and reports ready) once its projections move.
/// Bounded: a daemon that cannot start is reported by the readiness check instead.
/// </summary>
public sealed class DaemonStartup(IProjectionCoordinator coordinator, ProjectionSettings settings, ILogger<DaemonStartup> logger) : IHostedService
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.DaemonMode != DaemonMode.Solo)
        {
            return;
        }
        var daemon = coordinator.DaemonForMainDatabase();
        foreach (var projection in ProjectionSetup.DaemonShards)
        {
            try
            {
                await daemon.WaitForShardToBeRunning(ProjectionProgress.ShardOf(projection), Timeout).WaitAsync(cancellationToken);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Projection {Projection} is not running {Seconds} s after start; /health/ready reports it.", projection, Timeout.TotalSeconds);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
