using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace GemeinsamDigital.Api.Http;

/// <summary>Ready only when PostgreSQL answers, within a short timeout so probes never hang.</summary>
public sealed class PostgresHealthCheck(IConfiguration configuration) : IHealthCheck
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(EventStoreSetup.ConnectionString(configuration))
    {
        Timeout = 3,
        CommandTimeout = 3,
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
        }
    }
}

/// <summary>
/// Health answers as JSON, so a probe or an operator sees which component failed and how long each
/// check took; the status codes stay those of ASP.NET Core's health checks (200 healthy or degraded, 503 unhealthy).
/// </summary>
public static class HealthReportJson
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var body = new HealthAnswer(
            report.Status.ToString(),
            Milliseconds(report.TotalDuration),
            report.Entries.ToDictionary(e => e.Key, e => new HealthComponent(e.Value.Status.ToString(), Milliseconds(e.Value.Duration), e.Value.Description)));
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsJsonAsync(body, ApiJson.Options, "application/json", http.RequestAborted);
    }

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 2);
}

/// <summary>The answer of /health/live and /health/ready.</summary>
public sealed record HealthAnswer(string Status, double TotalDurationMs, IReadOnlyDictionary<string, HealthComponent> Components);

/// <summary>One health check: its status, how long it took and what it found (never an exception's text).</summary>
public sealed record HealthComponent(string Status, double DurationMs, string? Description);
