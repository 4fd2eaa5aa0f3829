using Marten;
using Wolverine;
using Wolverine.ErrorHandling;

namespace GemeinsamDigital.Api.Imports;

/// <summary>Section Imports.</summary>
public sealed class ImportSettings
{
    public const string Section = "Imports";

    /// <summary>The largest import body: 10,000 rows of a full spreadsheet fit with room to spare.</summary>
    public const long MaxBytes = 32 * 1024 * 1024;

    /// <summary>Most rows in one file.</summary>
    public int MaxRows { get; set; } = 20_000;

    /// <summary>Files up to this many rows run within the request (201); larger ones in the background (202).</summary>
    public int InlineRows { get; set; } = 100;

    /// <summary>Rows a background run takes per message before it queues the next (so progress is visible and work is shared).</summary>
    public int RowsPerMessage { get; set; } = 200;

    /// <summary>A message also ends after this long, well within its execution timeout, whatever the rows cost.</summary>
    public TimeSpan TimePerMessage { get; set; } = TimeSpan.FromSeconds(10);
}

public static class ImportsSetup
{
    /// <summary>The durable local queue background imports run on.</summary>
    public const string Queue = "imports";

    public static IServiceCollection AddImports(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ImportSettings>(configuration.GetSection(ImportSettings.Section));
        services.AddSingleton<ImportRunner>();
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<ImportRowRecord>().Index(r => r.ImportId).Index(r => r.Row);
            opts.Schema.For<ImportJob>().Index(j => j.CreatedAt).Index(j => j.Administration!);
        });
        return services;
    }

    /// <summary>
    /// Background imports go through a durable local queue: the message is stored with the import in
    /// the same transaction (Wolverine's outbox on the Marten session) and stays in Wolverine's inbox
    /// until handled, so a restart picks the import up again where its rows' outcomes end.
    /// One import at a time per node: rows of one import must run in order.
    /// </summary>
    public static WolverineOptions AddImports(this WolverineOptions opts)
    {
        opts.PublishMessage<RunImport>().ToLocalQueue(Queue).UseDurableInbox();
        opts.LocalQueue(Queue).Sequential();
        return opts;
    }
}

/// <summary>Run the next rows of a background import.</summary>
public sealed record RunImport(Guid ImportId);

public static class RunImportHandler
{
    /// <summary>
    /// A share of rows ends after <see cref="ImportSettings.TimePerMessage"/>, far within this timeout. A
    /// failure (the database gone for a moment) is retried with growing pauses; the rows already
    /// recorded are not run again, so a retry starts where the last one stopped.
    /// </summary>
    public static void Configure(Wolverine.Runtime.Handlers.HandlerChain chain)
    {
        chain.ExecutionTimeoutInSeconds = 120;
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
    }

    /// <summary>Runs a share of the rows, then queues the rest as the next message (cascaded only once these are recorded).</summary>
    public static async Task<RunImport?> Handle(RunImport message, ImportRunner runner, Microsoft.Extensions.Options.IOptions<ImportSettings> settings, CancellationToken ct) =>
        await runner.RunAsync(message.ImportId, settings.Value.RowsPerMessage, settings.Value.TimePerMessage, ct) ? message : null;
}
