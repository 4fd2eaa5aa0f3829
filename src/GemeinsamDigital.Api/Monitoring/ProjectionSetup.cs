using GemeinsamDigital.Domain.Monitoring;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>Configuration section "Projections".</summary>
public sealed class ProjectionSettings
{
    public const string Section = "Projections";

    /// <summary>Solo (default): this node runs every async projection; exactly one node may run.
    /// HotCold: every node runs the daemon, a PostgreSQL advisory lock elects the one that projects.</summary>
    public DaemonMode DaemonMode { get; set; } = DaemonMode.Solo;

    /// <summary>Readiness fails when an async projection is more than this many events behind the newest event.</summary>
    public long MaxLag { get; set; } = 1000;

    /// <summary>
    /// Readiness fails when an event has waited longer than this for an async projection: no node
    /// projects it (in HotCold this is what tells a stalled cluster from a node on standby).
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the daemon waits for a sequence number whose transaction has not committed before it
    /// skips it (Marten's default 3 s): an append committing later than this is missed by every async
    /// projection and subscription, and the integrity sweep reports it as not in the transparency log.
    /// </summary>
    public TimeSpan StaleSequenceThreshold { get; set; } = TimeSpan.FromSeconds(3);
}

public static class ProjectionSetup
{
    /// <summary>The async projections, by the names the rebuild command and the freshness figures use.</summary>
    public static readonly IReadOnlyList<string> AsyncProjections = [MonitoringProjection.ProjectionName];

    /// <summary>What the daemon runs and readiness watches: the async projections and the subscription that hands changes on (feed, webhooks).</summary>
    public static readonly IReadOnlyList<string> DaemonShards = [.. AsyncProjections, ChangeFanOut.SubscriptionName, Audit.MerkleAppender.SubscriptionName];

    public static ProjectionSettings Settings(IConfiguration configuration)
    {
        var settings = configuration.GetSection(ProjectionSettings.Section).Get<ProjectionSettings>() ?? new ProjectionSettings();
        if (settings.DaemonMode is not (DaemonMode.Solo or DaemonMode.HotCold))
        {
            throw new InvalidOperationException($"{ProjectionSettings.Section}:DaemonMode must be Solo or HotCold; the dashboards need the async daemon.");
        }
        if (settings.MaxLag < 0)
        {
            throw new InvalidOperationException($"{ProjectionSettings.Section}:MaxLag must not be negative.");
        }
        if (settings.StallTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{ProjectionSettings.Section}:StallTimeout must be positive.");
        }
        return settings;
    }

    /// <summary>The async projections run by the daemon (a measure's own state is inline, see Measures/MeasuresSetup).</summary>
    private static void AddMonitoringProjections(this StoreOptions opts)
    {
        opts.Projections.Add<MonitoringProjection>(ProjectionLifecycle.Async);
        // Live dashboards load only the rows changed since the sequence they keep (MonitoringReader).
        opts.Schema.For<MonitoringRow>().Identity(r => r.Id).Index(r => r.Sequence);
    }

    /// <summary>Dashboards, projection operations and the daemon's readiness check.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Settings(configuration);
        services.ConfigureMarten(opts =>
        {
            opts.AddMonitoringProjections();
            opts.Projections.StaleSequenceThreshold = settings.StaleSequenceThreshold;
        });
        services.AddSingleton(settings);
        services.AddSingleton(new DashboardClock(TimeProvider.System));
        services.AddSingleton<MonitoringRowCache>();
        services.AddSingleton(DashboardSettings.From(configuration));
        services.AddSingleton<DashboardFigureCache>();
        services.AddScoped<MonitoringReader>();
        services.AddScoped<DashboardResponder>();
        services.AddSingleton<ProjectionReplay>();
        services.AddSingleton<ProjectionOperations>();
        services.AddHostedService<DaemonStartup>();
        services.AddHealthChecks().AddCheck<ProjectionDaemonHealthCheck>("projection-daemon", tags: ["ready"]);
        return services;
    }
}
