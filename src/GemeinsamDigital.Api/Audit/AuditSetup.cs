using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GemeinsamDigital.Api.Audit;

public static class AuditSetup
{
    /// <summary>The clock every event is stamped with, the ledger that chains events, the transparency log and the auditors' reads.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(configuration.GetSection(AuditSettings.Section).Get<AuditSettings>() ?? new AuditSettings());
        services.AddSingleton<EventLedger>();
        services.AddSingleton<StoredEvents>();
        services.AddSingleton<Checkpoints>();
        services.AddSingleton<MerkleLog>();
        services.AddSingleton<TreeHeadSigner>();
        services.AddHostedService<TreeHeadSchedule>();
        services.AddSingleton<IntegrityMonitor>();
        services.AddSingleton<MeasureSnapshots>();
        services.AddHostedService<IntegrityVerifier>();
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<AuditCheckpoint>().Identity(c => c.Id);
            opts.Schema.For<SignedTreeHeadRecord>().Identity(h => h.Id);
            opts.Schema.For<StreamIntegrity>().Identity(s => s.Id);
            MeasureSnapshots.Register(opts);
            foreach (var table in MerkleLog.Definitions())
            {
                opts.Storage.ExtendedSchemaObjects.Add(table);
            }
            opts.Projections.Subscribe(new MerkleAppender());
        });
        return services;
    }
}
