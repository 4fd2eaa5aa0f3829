using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GemeinsamDigital.Api.Audit;

public static class AuditSetup
{
    /// <summary>The clock every event is stamped with, the ledger that chains events, and the auditors' reads.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventLedger>();
        services.AddSingleton<StoredEvents>();
        services.AddSingleton<Checkpoints>();
        services.ConfigureMarten(opts => opts.Schema.For<AuditCheckpoint>().Identity(c => c.Id));
        return services;
    }
}
