using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GemeinsamDigital.Api.Commands;

public static class CommandSetup
{
    /// <summary>The command pipeline, and the answers it remembers for Idempotency-Keys.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CommandPipeline>();
        services.Configure<IdempotencySettings>(configuration.GetSection(IdempotencySettings.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureMarten(o => o.Schema.For<IdempotencyRecord>().Index(r => r.ExpiresAt));
        services.AddHostedService<IdempotencyCleanup>();
        return services;
    }
}

/// <summary>Deletes remembered answers once their retention has passed.</summary>
public sealed class IdempotencyCleanup(IDocumentStore store, TimeProvider time, IOptions<IdempotencySettings> settings, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.CleanupInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a failed cleanup must not stop the service.
                logger.LogWarning(e, "Deleting expired idempotency records failed");
            }
        }
    }

    public async Task DeleteExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.DeleteWhere<IdempotencyRecord>(r => r.ExpiresAt <= now);
        await session.SaveChangesAsync(ct);
    }
}
