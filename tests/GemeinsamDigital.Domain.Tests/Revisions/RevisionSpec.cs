using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Domain.Tests.Measures;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>Given a revision phase's events, when a command, then events or a rejection. Plus a small event store of measures.</summary>
public static class RevisionSpec
{
    public static readonly Guid PhaseId = Guid.Parse("0193b000-0000-7000-8000-0000000000a1");
    public static readonly Guid PreviousId = Guid.Parse("0193b000-0000-7000-8000-0000000000a0");
    public static readonly DateTimeOffset T0 = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    public static OpenRevisionPhase Open2025() => new("Revisionsphase 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), null);

    public static RevisionPhaseOpened Opened(long since = 0, RevisionScope? scope = null) =>
        new(PhaseId, "Revisionsphase 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), scope ?? RevisionScope.Everything, since > 0 ? PreviousId : null, since);

    public static RevisionPhaseState Given(params IRevisionEvent[] events) =>
        RevisionPhaseEvolution.Fold(events.Select((e, i) => (e, new EventInfo(i + 1, T0.AddDays(i)))));

    public static RevisionPhaseState ClosedPhase(long asOf = 10) =>
        Given(Opened(), new RevisionPhaseClosed(asOf, "hash", RevisionSnapshots.Build(Given(Opened()), [], asOf)));

    /// <summary>Records hold lists, which compare by reference: compare values by their JSON.</summary>
    public static void ShouldEqualAsJson<T>(this T actual, T expected, string? customMessage = null) =>
        System.Text.Json.JsonSerializer.Serialize(actual).ShouldBe(System.Text.Json.JsonSerializer.Serialize(expected), customMessage);

    public static IReadOnlyList<IRevisionEvent> ThenEvents(this RevisionDecision decision)
    {
        decision.Rejection.ShouldBeNull();
        return decision.Events;
    }

    public static T ThenRejected<T>(this RevisionDecision decision) where T : Rejection
    {
        decision.Events.ShouldBeEmpty();
        return decision.Rejection.ShouldBeOfType<T>();
    }

    /// <summary>A measure's history up to a stage (from the sample commands), under its own id and lead.</summary>
    public static IMeasureEvent[] Measure(Guid id, MeasureStage stage, string lead = "ba-pankow") =>
        [.. Histories.For(stage).Select(e => e switch
        {
            MeasureProposed p => p with { MeasureId = id, Lead = lead },
            MeasureMandated m => m with { Lead = lead, Responsibilities = [new Responsibility(lead, "Projektleitung")] },
            _ => e,
        })];

    /// <summary>The sample history continued by one more accepted command.</summary>
    public static IMeasureEvent[] Then<TCommand>(IMeasureEvent[] history, TCommand command) where TCommand : IMeasureCommand =>
        Histories.Then(history, command);
}

/// <summary>Measure events with the versions and global sequences a store would give them, one minute apart.</summary>
public sealed class EventLog
{
    private readonly List<RecordedMeasureEvent> _events = [];

    public IReadOnlyList<RecordedMeasureEvent> Events => _events;

    public long Sequence => _events.Count == 0 ? 0 : _events[^1].Sequence;

    /// <summary>Appends the events of <paramref name="history"/> not yet recorded for the measure (a history grows by its tail).</summary>
    public EventLog Record(IMeasureEvent[] history)
    {
        var id = ((MeasureProposed)history[0]).MeasureId;
        var known = _events.Count(e => e.MeasureId == id);
        foreach (var e in history.Skip(known))
        {
            _events.Add(new RecordedMeasureEvent(id, _events.Count(x => x.MeasureId == id) + 1, Sequence + 1, RevisionSpec.T0.AddMinutes(Sequence), e));
        }
        return this;
    }
}
