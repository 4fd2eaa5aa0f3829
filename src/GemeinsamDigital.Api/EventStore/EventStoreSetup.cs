using GemeinsamDigital.Domain.Measures;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;
using Wolverine.Marten;

namespace GemeinsamDigital.Api.EventStore;

public static class EventStoreSetup
{
    public const string Schema = "gd";

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Marten") is { Length: > 0 } cs
            ? WithStatementReuse(DatabaseFailures.WithTimeouts(cs))
            : throw new InvalidOperationException(
                "No database configured: set ConnectionStrings:Marten (env ConnectionStrings__Marten), or start the service with build/run.sh, which starts a local PostgreSQL.");

    /// <summary>
    /// Every command runs the same few statements (fetch the stream, append, upsert the state):
    /// Npgsql prepares them once per connection instead of PostgreSQL planning them each time, and
    /// a pooled connection keeps them (no DISCARD ALL on return; nothing here leaves session state
    /// behind: transactions are committed or rolled back, advisory locks are taken by the daemon on
    /// its own connections). Explicit settings in the connection string win.
    /// </summary>
    public static string WithStatementReuse(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var autoCreate = Deployment.AutoCreate(configuration, environment);
        var marten = services.AddMarten(opts =>
        {
            opts.Connection(ConnectionString(configuration));
            opts.DatabaseSchemaName = Schema;
            opts.Events.DatabaseSchemaName = Schema;
            // Production: no schema change at start; db-apply applies them (docs/operations.md, "Upgrades").
            opts.AutoCreateSchemaObjects = autoCreate;
            opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

            // Events are stored under stable names, never CLR type names.
            foreach (var (type, name) in EventTypes.Names)
            {
                opts.Events.MapEventType(type, name);
            }
            opts.Events.Upcast<MeasureProposedV1, MeasureProposed>(MeasureProposedV1.StoredName, old => old.Upcast());

            // The ledger presets timestamps because the hash chain covers them (Audit/EventLedger). This mode, despite its
            // name, stores them as set (Marten's default, pinned here); Quick would stamp appends with the server's clock.
            opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;

            // Who, on whose behalf, why, and in which causal chain: recorded with every event.
            opts.Events.MetadataConfig.HeadersEnabled = true;
            opts.Events.MetadataConfig.CorrelationIdEnabled = true;
            opts.Events.MetadataConfig.CausationIdEnabled = true;
            opts.Events.MetadataConfig.UserNameEnabled = true;

            // The inline projection applies a command's events to the very state FetchForWriting
            // loaded, instead of loading it a second time. A retried decision takes a fresh session
            // (Commands/CommandPipeline), so it never decides on its own failed attempt.
            opts.Events.UseIdentityMapForAggregates = true;

            // Spans per session's connection, and a counter of appended events by type (docs/monitoring.md).
            opts.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
            opts.OpenTelemetry.TrackEventCounters();

            // Each feature adds its own projections and documents (AddMeasures, AddRevisions,
            // AddMonitoring, …) through ConfigureMarten.
        })
        .AddAsyncDaemon(ProjectionSetup.Settings(configuration).DaemonMode)
        .UseLightweightSessions()
        .IntegrateWithWolverine();
        if (autoCreate != AutoCreate.None)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }
        services.AddSingleton<ResolvedEvents>();
        services.AddSingleton<MeasurementSeries>();
        return services;
    }
}
