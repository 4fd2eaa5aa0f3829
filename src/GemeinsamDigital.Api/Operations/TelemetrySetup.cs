using System.Diagnostics.Metrics;
using Marten;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GemeinsamDigital.Api.Operations;

/// <summary>Where /metrics is answered (docs/monitoring.md, "Metrics and traces").</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    /// <summary>
    /// A port of its own for /metrics (add it to Urls): there anonymous, on every other port 404.
    /// Unset: /metrics on the service's port for the strategy office and auditors (API key or token).
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>Record traces even without an OTLP endpoint (tests with an in-memory exporter).</summary>
    public bool Traces { get; set; }
}

/// <summary>
/// OpenTelemetry: traces and metrics of ASP.NET Core, HttpClient, Npgsql, Marten (with its daemon's
/// metrics), Wolverine and our own <see cref="Telemetry"/>. OTLP export is configured by the
/// standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, …); metrics are also
/// scraped from /metrics. Production logs are JSON lines carrying the trace and span ids.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Meters and activity sources of the Critter Stack (Marten's meter carries the daemon's metrics).</summary>
    public static readonly string[] CritterSources = ["Marten", "Wolverine"];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var (services, configuration) = (builder.Services, builder.Configuration);
        var settings = configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        services.AddSingleton(settings);
        if (builder.Environment.IsProduction())
        {
            // One JSON object per line, with the trace id and span id of the request (log scopes).
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }

        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "gemeinsamdigital"))
            .WithMetrics(m => m
                .AddMeter(Telemetry.Name)
                .AddMeter(CritterSources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (otlp || settings.Traces || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]))
        {
            otel.WithTracing(t => t
                .AddSource(Telemetry.Name)
                .AddSource(CritterSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
        }
        if (otlp)
        {
            // Endpoint, protocol, headers, intervals: the OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
        }
        services.AddHostedService<ProjectionLagGauge>();
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<TelemetrySettings>();
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting().ExcludeFromDescription();
        if (settings.MetricsPort is { } port)
        {
            endpoint.RequireHost($"*:{port}").AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.StrategyOffice, Roles.Auditor));
        }
        return app;
    }
}

/// <summary>The gd.projection.lag gauge: each async projection's lag, read from the progression table when metrics are collected.</summary>
public sealed class ProjectionLagGauge(IDocumentStore store, ILogger<ProjectionLagGauge> logger) : IHostedService
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(2);
    private IDisposable? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = Telemetry.ObserveProjectionLag(Read);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<long>> Read()
    {
        try
        {
            // Collection is synchronous; one short query, bounded by a timeout.
            using var timeout = new CancellationTokenSource(_timeout);
            return ReadAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Projection lag not read: {Error}", e.Message);
            return [];
        }
    }

    private async Task<IEnumerable<Measurement<long>>> ReadAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var positions = await ProjectionProgress.ReadAsync(connection, null, ProjectionSetup.DaemonShards, ct);
        return [.. positions.Select(p => new Measurement<long>(p.Lag, new KeyValuePair<string, object?>("shard", ProjectionProgress.ShardOf(p.Projection))))];
    }
}
