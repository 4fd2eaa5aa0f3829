using Npgsql;

namespace GemeinsamDigital.Api.Security;

/// <summary>
/// Listens on PostgreSQL for revoked API keys (<see cref="ApiKeyStore.RevokedChannel"/>) and makes
/// the key store forget them. Only while it listens may the store remember valid keys; when the
/// connection is lost it stops that at once and listens again when PostgreSQL is back.
/// </summary>
public sealed class ApiKeyRevocationListener(ApiKeyStore keys, IConfiguration configuration, ILogger<ApiKeyRevocationListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Keep-alives make a silently dropped connection fail instead of waiting forever.
        var connectionString = new NpgsqlConnectionStringBuilder(EventStoreSetup.ConnectionString(configuration))
        {
            KeepAlive = 10,
            Pooling = false,
            ApplicationName = "gd-api-key-revocations",
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, n) => keys.Forget(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ApiKeyStore.RevokedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                keys.RevocationsArrive(true);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                keys.RevocationsArrive(false);
                logger.LogWarning(e, "Not listening for API key revocations (every request looks its key up meanwhile); retrying in {Delay}.", RetryAfter);
            }
            try
            {
                await Task.Delay(RetryAfter, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        keys.RevocationsArrive(false);
    }
}
