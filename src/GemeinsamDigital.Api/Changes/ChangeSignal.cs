using Npgsql;

namespace GemeinsamDigital.Api.Changes;

/// <summary>
/// Raised whenever newly committed events have passed the high water mark (on any node: the
/// notification comes through PostgreSQL). Waiters take <see cref="Next"/> before they read and
/// await it only when the read found nothing, so no commit between the two is missed.
/// </summary>
public sealed class ChangeSignal
{
    /// <summary>The PostgreSQL channel <see cref="ChangeFanOut"/> notifies once a page of events is handed on.</summary>
    public const string Channel = "gd_changes";

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next raise.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for the next raise or until <paramref name="timeout"/>; false on timeout.</summary>
    public static async Task<bool> WaitAsync(Task next, TimeSpan timeout, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return next.IsCompleted;
        }
        try
        {
            await next.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>
/// Keeps one connection LISTENing on <see cref="ChangeSignal.Channel"/> and raises the signal for
/// each notification. After a lost connection it raises once more when listening again, because
/// notifications sent meanwhile are gone: waiters then read and see for themselves.
/// </summary>
public sealed class ChangeListener(ChangeSignal signal, IConfiguration configuration, ILogger<ChangeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(EventStoreSetup.ConnectionString(configuration))
        {
            // A dead peer is noticed within a minute, not at the next TCP timeout.
            KeepAlive = 30,
            Pooling = false,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Raise();
                await using (var listen = new NpgsqlCommand($"listen {ChangeSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                signal.Raise();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Listening for committed changes failed ({Error}); listening again in 1 s.", e.Message);
                signal.Raise();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
