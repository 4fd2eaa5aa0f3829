using GemeinsamDigital.Domain.Measures;
using S = GemeinsamDigital.Domain.Measures.MeasureStage;
using static GemeinsamDigital.Domain.Tests.Measures.Histories;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Dates of what happened: never in the future (one day of clock tolerance), and within the
/// current pilot cycle (from its start, through its end and the evaluation phase).
/// </summary>
public class DateRuleSpecs
{
    /// <summary>Today, as the pipeline hands it in: within the sample pilot (2024-03-01 to 2025-02-28).</summary>
    private static readonly DateOnly _today = new(2024, 9, 1);

    private static Decision At<TCommand>(MeasureState state, TCommand command) where TCommand : IMeasureCommand =>
        MeasureLifecycle.Decide(state, command, _today);

    public static TheoryData<string> Dated() => [ReachMilestone.Name, RecordParticipation.Name, RecordMeasurement.Name];

    private static Decision DecideOn(string command, DateOnly on) => command switch
    {
        "reach-milestone" => At(StateIn(S.Pilot), SampleCommands.ReachMilestone() with { On = on }),
        "record-participation" => At(StateIn(S.Pilot), SampleCommands.RecordParticipation() with { On = on }),
        "record-measurement" => At(StateIn(S.Pilot), SampleCommands.RecordMeasurement() with { On = on }),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };

    [Theory]
    [MemberData(nameof(Dated))]
    public void Today_and_the_day_after_are_accepted(string command)
    {
        DecideOn(command, _today).ThenEvents().ShouldHaveSingleItem();
        // The day after: the local date in Berlin is ahead of UTC late in the evening.
        DecideOn(command, _today.AddDays(MeasureLifecycle.ClockToleranceDays)).ThenEvents().ShouldHaveSingleItem();
    }

    [Theory]
    [MemberData(nameof(Dated))]
    public void Two_days_ahead_lies_in_the_future_and_is_refused_naming_the_date(string command)
    {
        var refused = DecideOn(command, _today.AddDays(2)).ThenRejected<RuleViolated>();
        refused.Errors.Keys.ShouldBe(["on"]);
        refused.Errors["on"].ShouldHaveSingleItem().ShouldContain("future");
        DecideOn(command, _today.AddYears(1)).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
    }

    [Fact]
    public void Without_a_clock_the_future_is_not_checked()
    {
        // Replaying a history written elsewhere (demo data, scenarios) has no today to compare with.
        When(StateIn(S.Pilot), SampleCommands.RecordMeasurement() with { On = _today.AddYears(1) }).ThenEvents().ShouldHaveSingleItem();
    }

    [Fact]
    public void The_stage_is_checked_before_the_date()
    {
        At(StateIn(S.Mandated), SampleCommands.RecordMeasurement() with { On = _today.AddYears(1) }).ThenRejected<TransitionNotAllowed>();
    }

    [Fact]
    public void Invalid_fields_are_reported_before_the_date()
    {
        At(StateIn(S.Pilot), SampleCommands.RecordMeasurement() with { On = _today.AddYears(1), Source = null }).ThenRejected<InvalidCommand>();
    }

    [Theory]
    [InlineData("record-participation")]
    [InlineData("record-measurement")]
    public void Participation_and_measurements_before_the_pilot_start_are_refused_alike(string command)
    {
        var before = SampleCommands.PilotStart.AddDays(-1);
        DecideOn(command, before).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
        DecideOn(command, SampleCommands.PilotStart).ThenEvents().ShouldHaveSingleItem();
    }

    [Fact]
    public void A_measurement_after_the_pilot_end_during_the_evaluation_is_accepted()
    {
        var afterEnd = SampleCommands.PilotEnd.AddDays(20);
        var evaluating = StateIn(S.Evaluation);
        MeasureLifecycle.Decide(evaluating, SampleCommands.RecordMeasurement() with { On = afterEnd }, afterEnd.AddDays(1)).ThenEvents().ShouldHaveSingleItem();
        MeasureLifecycle.Decide(evaluating, SampleCommands.RecordMeasurement() with { On = SampleCommands.PilotStart.AddDays(-1) }, afterEnd)
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
    }

    [Fact]
    public void In_a_later_cycle_a_measurement_belongs_to_that_cycle()
    {
        var cycle2Start = new DateOnly(2025, 6, 1);
        var iterated = Then(For(S.Evaluated), SampleCommands.Iterate());
        var second = Given(Then(iterated, new StartPilot("Zweiter Zyklus.", cycle2Start, cycle2Start.AddMonths(9),
            [new MilestoneInput("m1", "Neue Sitzmöbel", cycle2Start.AddMonths(2))])));
        var today = cycle2Start.AddMonths(3);
        MeasureLifecycle.Decide(second, SampleCommands.RecordMeasurement() with { On = cycle2Start.AddDays(-1) }, today)
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
        MeasureLifecycle.Decide(second, SampleCommands.RecordMeasurement() with { On = cycle2Start }, today).ThenEvents().ShouldHaveSingleItem();
    }
}
