using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Seed;

public static class DemoDataSetup
{
    /// <summary>Demo measures on an empty database, when Demo:Seed is true (the default for the run command).</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Demo:Seed", false))
        {
            services.AddHostedService<DemoSeeder>();
        }
        return services;
    }
}

/// <summary>
/// Loads the demo measures through the same pure decisions the API uses, so every demo stream is
/// one the API itself could have written. Timestamps are backdated to the measures' real periods.
/// </summary>
public sealed class DemoSeeder(IDocumentStore store, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Actor = "demo-seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        if (await query.Query<MeasureState>().AnyAsync(cancellationToken))
        {
            return;
        }
        var count = await SeedAsync(store, cancellationToken);
        logger.LogInformation("Loaded {Count} demo measures", count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task<int> SeedAsync(IDocumentStore store, CancellationToken ct)
    {
        var measures = DemoMeasures.All();
        // One seeding run is one causal chain.
        var correlationId = Guid.NewGuid().ToString("N");
        foreach (var demo in measures)
        {
            await using var session = store.LightweightSession();
            EventLedger.StartStream(session, demo.Id, Run(demo), new CommandMetadata(Actor, demo.Proposal.Lead, null, correlationId));
            await session.SaveChangesAsync(ct);
        }
        return measures.Count;
    }

    /// <summary>Decides every step of a demo measure in order; a refused step is a bug in the demo data.</summary>
    public static List<(IMeasureEvent Event, DateTimeOffset At)> Run(DemoMeasure demo)
    {
        var result = new List<(IMeasureEvent, DateTimeOffset)>();
        var proposed = MeasureLifecycle.Propose(demo.Id, demo.Proposal);
        var state = Apply(null, proposed, demo.Proposal.Title!, demo.Start, result);
        foreach (var (offset, step) in demo.Steps)
        {
            state = Apply(state, step(state), demo.Proposal.Title!, demo.Start.AddDays(offset), result);
        }
        return result;
    }

    private static MeasureState Apply(MeasureState? state, Decision decision, string title, DateTimeOffset at, List<(IMeasureEvent, DateTimeOffset)> result)
    {
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"Demo measure '{title}': {rejection.Detail} {(rejection as RuleViolated)?.Errors.First().Value[0]} {(rejection as InvalidCommand)?.Errors.First().Value[0]}");
        }
        foreach (var e in decision.Events)
        {
            state = MeasureEvolution.Evolve(state, e, new EventInfo((state?.Version ?? 0) + 1, at));
            result.Add((e, at));
        }
        return state!;
    }
}
