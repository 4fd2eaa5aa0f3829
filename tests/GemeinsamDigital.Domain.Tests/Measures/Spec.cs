using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Given events, when a command, then events or a rejection. No database, no clock.</summary>
public static class Spec
{
    public static readonly Guid MeasureId = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset _t0 = new(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static MeasureState Given(params IMeasureEvent[] events) =>
        MeasureEvolution.Fold(events.Select((e, i) => (e, new EventInfo(i + 1, _t0.AddDays(i)))));

    public static Decision When<TCommand>(MeasureState state, TCommand command) where TCommand : IMeasureCommand =>
        MeasureLifecycle.Decide(state, command);

    public static IReadOnlyList<IMeasureEvent> ThenEvents(this Decision decision)
    {
        decision.Rejection.ShouldBeNull();
        return decision.Events;
    }

    public static T ThenRejected<T>(this Decision decision) where T : Rejection
    {
        decision.Events.ShouldBeEmpty();
        return decision.Rejection.ShouldBeOfType<T>();
    }
}
