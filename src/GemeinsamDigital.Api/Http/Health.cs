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
