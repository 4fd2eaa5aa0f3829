using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using JasperFx.Events;
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
/// Loads the demo measures and revision phases through the same pure decisions the API uses (and
/// the API's own close), so every demo stream is one the API itself could have written.
/// Timestamps are backdated to the measures' real periods.
/// </summary>
public sealed class DemoSeeder(IDocumentStore store, SubjectDirectory subjects, ILogger<DemoSeeder> logger) : IHostedService
{
    /// <summary>The seed's subject: recorded under a pseudonym like everyone who acts; history readers see this as its name.</summary>
    public const string Actor = "demo-seed";

    public static readonly SubjectIdentity Subject = new("seed", null, Actor, null, null);

    // Revision phases belong to the strategy office at the Senatskanzlei.
    // One seeding run is one causal chain.
    private static readonly string _correlationId = Guid.NewGuid().ToString("N");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        if (await query.Query<MeasureState>().AnyAsync(cancellationToken))
        {
            return;
        }
        var count = await SeedAsync(store, subjects, cancellationToken);
        logger.LogInformation("Loaded {Count} demo measures and {Phases} revision phases", count, DemoRevisions.All().Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stores the demo measures and revision phases: the measures' events before the first phase,
    /// then per phase its opening, the measures' events of its period, its lessons and its close.
    /// </summary>
    public static async Task<int> SeedAsync(IDocumentStore store, SubjectDirectory subjects, CancellationToken ct)
    {
        var actor = await subjects.PseudonymOfAsync(Subject, ct);
        var office = new CommandMetadata(actor, StrategyCatalog.SenateChancellery, null, _correlationId);
        var measures = DemoMeasures.All().Select(d => (Demo: d, Events: Run(d))).ToList();
        var phases = DemoRevisions.All();
        var started = new HashSet<Guid>();
        await StoreMeasureEventsAsync(store, actor, measures, started, DateTimeOffset.MinValue, Start(phases[0]), ct);
        RevisionPhaseState? previous = null;
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            var opened = await OpenAsync(store, office, phase, previous, ct);
            var until = i + 1 < phases.Count ? Start(phases[i + 1]) : DateTimeOffset.MaxValue;
            if (DemoControlling.CadenceSetAt >= Start(phase) && DemoControlling.CadenceSetAt < until)
            {
                await SetCadenceAsync(store, office, ct);
            }
            await StoreMeasureEventsAsync(store, actor, measures, started, Start(phase), until, ct);
            await RecordLessonsAsync(store, office, phase, opened, Start(phase).AddMonths(10), ct);
            if (phase.Closed)
            {
                var end = new DateTimeOffset(phase.Opening.To!.Value.ToDateTime(new TimeOnly(16, 0)), TimeSpan.Zero);
                await CloseAsync(store, office, phase, end, ct);
                await using var query = store.QuerySession();
                previous = await query.LoadAsync<RevisionPhaseState>(phase.Id, ct);
            }
        }
        return measures.Count;
    }

    private static DateTimeOffset Start(DemoRevision phase) => new(phase.Opening.From!.Value.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);

    /// <summary>Every measure's events recorded in [from, until), each measure in its own session, in demo order.</summary>
    private static async Task StoreMeasureEventsAsync(IDocumentStore store, string actor, IReadOnlyList<(DemoMeasure Demo, List<(IMeasureEvent Event, DateTimeOffset At)> Events)> measures,
        HashSet<Guid> started, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        foreach (var (demo, all) in measures)
        {
            var events = all.Where(e => e.At >= from && e.At < until).ToList();
            if (events.Count == 0)
            {
                continue;
            }
            await using var session = store.LightweightSession();
            var metadata = new CommandMetadata(actor, demo.Proposal.Lead, null, _correlationId);
            var timed = events.Select(e => ((object)e.Event, e.At)).ToList();
            if (started.Add(demo.Id))
            {
                EventLedger.StartStream<MeasureState>(session, demo.Id, timed, metadata);
            }
            else
            {
                // Appended through FetchForWriting: only then does the inline projection see the
                // events' versions (a plain Append in Marten's quick mode leaves them 0).
                await EventLedger.AppendAsync(session, await session.Events.FetchForWriting<MeasureState>(demo.Id, ct), timed, metadata, ct);
            }
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>The strategy office's reporting cadence, set on its demo day.</summary>
    private static async Task SetCadenceAsync(IDocumentStore store, CommandMetadata metadata, CancellationToken ct)
    {
        var decision = DemoControlling.Cadence.Decide(null);
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"Demo reporting cadence: {rejection.Detail}");
        }
        await using var session = store.LightweightSession();
        EventLedger.StartStream<ReportingCadenceState>(session, DemoControlling.CadenceId,
            [.. decision.Events.Select(e => ((object)e, DemoControlling.CadenceSetAt))], metadata);
        await session.SaveChangesAsync(ct);
    }

    private static async Task<RevisionPhaseState> OpenAsync(IDocumentStore store, CommandMetadata metadata, DemoRevision phase, RevisionPhaseState? previous, CancellationToken ct)
    {
        var decision = RevisionPhases.Open(phase.Id, phase.Opening, null, previous);
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"Demo revision phase '{phase.Opening.Name}': {rejection.Detail}");
        }
        await using var session = store.LightweightSession();
        EventLedger.StartStream<RevisionPhaseState>(session, phase.Id, [.. decision.Events.Select(e => ((object)e, Start(phase)))], metadata);
        await session.SaveChangesAsync(ct);
        return (await session.LoadAsync<RevisionPhaseState>(phase.Id, ct))!;
    }

    private static async Task RecordLessonsAsync(IDocumentStore store, CommandMetadata metadata, DemoRevision phase, RevisionPhaseState state, DateTimeOffset at, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<RevisionPhaseState>(phase.Id, ct);
        var version = state.Version;
        var lessons = new List<(object Event, DateTimeOffset At)>();
        foreach (var lesson in phase.Lessons)
        {
            var decision = RevisionPhases.RecordLesson(state, lesson, null);
            if (decision.Rejection is { } rejection)
            {
                throw new InvalidOperationException($"Demo lesson of '{phase.Opening.Name}': {rejection.Detail}");
            }
            foreach (var e in decision.Events)
            {
                state = RevisionPhaseEvolution.Evolve(state, e, new EventInfo(++version, at));
                lessons.Add((e, at));
            }
        }
        await EventLedger.AppendAsync(session, stream, lessons, metadata, ct);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Closes a demo phase as the API's close does (same exclusive session, same decision), at the phase's end.</summary>
    private static async Task CloseAsync(IDocumentStore store, CommandMetadata metadata, DemoRevision phase, DateTimeOffset at, CancellationToken ct)
    {
        await using var write = await WriteSession.OpenExclusiveAsync(store, ct);
        var stream = await write.Session.Events.FetchForWriting<RevisionPhaseState>(phase.Id, ct);
        var decision = await RevisionPhaseStream.DecideCloseAsync(stream.Aggregate!, write, ct);
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"Demo revision phase '{phase.Opening.Name}' did not close: {rejection.Detail}");
        }
        await EventLedger.AppendAsync(write.Session, stream, [.. decision.Events.Select(e => ((object)e, at))], metadata, ct);
        await write.CommitAsync(ct);
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
