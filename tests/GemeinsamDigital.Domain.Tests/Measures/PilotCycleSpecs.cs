using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Histories;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Pilot cycles, milestones, outcomes and the team: the rules the lifecycle table alone does not show.</summary>
public class PilotCycleSpecs
{
    private static readonly DateOnly _cycle2Start = new(2025, 6, 1);

    private static StartPilot SecondPilot() => new("Zweiter Zyklus.", _cycle2Start, _cycle2Start.AddMonths(9),
        [new MilestoneInput("m1", "Neue Sitzmöbel", _cycle2Start.AddMonths(2)), new MilestoneInput("m3", "Abschlussfest", _cycle2Start.AddMonths(8))]);

    private static IMeasureEvent[] SecondCycle() => Then(For(MeasureStage.Iterated), SecondPilot());

    [Fact]
    public void The_first_pilot_is_cycle_one()
    {
        var started = When(StateIn(MeasureStage.Mandated), SampleCommands.StartPilot()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<PilotStarted>();
        started.Cycle.ShouldBe(1);
        started.Milestones.Select(m => m.Id).ShouldBe(["m1", "m2"]);
    }

    [Fact]
    public void Iterating_announces_the_next_cycle_and_the_next_pilot_is_that_cycle()
    {
        var iterated = When(StateIn(MeasureStage.Evaluated), SampleCommands.Iterate()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<MeasureIterated>();
        iterated.NextCycle.ShouldBe(2);

        var state = StateIn(MeasureStage.Iterated);
        state.Outcome!.Kind.ShouldBe(OutcomeKind.Iterated);
        var started = When(state, SecondPilot()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<PilotStarted>();
        started.Cycle.ShouldBe(iterated.NextCycle);

        var inPilot = Given(SecondCycle());
        inPilot.PilotCycle.ShouldBe(2);
        inPilot.Pilot!.Start.ShouldBe(_cycle2Start);
        inPilot.Outcome.ShouldBeNull();
    }

    [Fact]
    public void A_third_cycle_is_numbered_three_and_each_evaluation_keeps_its_cycle()
    {
        var second = Then(Then(Then(SecondCycle(), SampleCommands.StartEvaluation()), SampleCommands.CompleteEvaluation()), SampleCommands.Iterate());
        var iterated = Given(second);
        ((MeasureIterated)second[^1]).NextCycle.ShouldBe(3);

        var third = Then(second, SecondPilot());
        ((PilotStarted)third[^1]).Cycle.ShouldBe(3);
        var evaluated = Given(Then(Then(third, SampleCommands.StartEvaluation()), SampleCommands.CompleteEvaluation()));
        evaluated.Evaluations.Select(e => e.Cycle).ShouldBe([1, 2, 3]);
        iterated.Evaluations.Select(e => e.Cycle).ShouldBe([1, 2]);
    }

    [Fact]
    public void The_evaluation_is_of_the_current_cycle()
    {
        var events = Then(SecondCycle(), SampleCommands.StartEvaluation());
        ((EvaluationStarted)events[^1]).Cycle.ShouldBe(2);
        var completed = When(Given(events), SampleCommands.CompleteEvaluation()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<EvaluationCompleted>();
        completed.Cycle.ShouldBe(2);
    }

    [Fact]
    public void Milestones_belong_to_their_cycle()
    {
        var state = Given(SecondCycle());
        state.Milestones.Select(m => (m.Id, m.Cycle)).ShouldBe([("m1", 1), ("m2", 1), ("m1", 2), ("m3", 2)]);

        // "m1" exists in both cycles: reaching it now touches only cycle 2's.
        var reached = Given(Then(SecondCycle(), new ReachMilestone("m1", _cycle2Start.AddMonths(2))));
        reached.Milestones.Single(m => m is { Id: "m1", Cycle: 2 }).Status.ShouldBe(MilestoneStatus.Reached);
        reached.Milestones.Single(m => m is { Id: "m1", Cycle: 1 }).Status.ShouldBe(MilestoneStatus.Open);

        // "m2" was a milestone of cycle 1 only: the current pilot has no such milestone.
        When(state, SampleCommands.MissMilestone()).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["milestoneId"]);
    }

    [Fact]
    public void A_milestone_of_the_new_cycle_cannot_be_reached_before_that_cycle_starts()
    {
        When(Given(SecondCycle()), new ReachMilestone("m3", _cycle2Start.AddDays(-1)))
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
    }

    [Fact]
    public void A_missed_milestone_is_reopened_by_rescheduling_and_can_then_be_reached()
    {
        var missed = Then(For(MeasureStage.Pilot), SampleCommands.MissMilestone());
        Given(missed).Milestones.Single(m => m.Id == "m2").Status.ShouldBe(MilestoneStatus.Missed);

        var rescheduled = Then(missed, SampleCommands.RescheduleMilestone());
        var e = (MilestoneRescheduled)rescheduled[^1];
        (e.PreviousDue, e.NewDue).ShouldBe((new DateOnly(2024, 10, 1), new DateOnly(2024, 12, 1)));
        var open = Given(rescheduled).Milestones.Single(m => m.Id == "m2");
        (open.Status, open.Due).ShouldBe((MilestoneStatus.Open, new DateOnly(2024, 12, 1)));
        open.PreviousDues.ShouldBe([new DateOnly(2024, 10, 1)]);
        var twice = Given(Then(rescheduled, new RescheduleMilestone("m2", new DateOnly(2025, 1, 15)))).Milestones.Single(m => m.Id == "m2");
        twice.Due.ShouldBe(new DateOnly(2025, 1, 15));
        twice.PreviousDues.ShouldBe([new DateOnly(2024, 10, 1), new DateOnly(2024, 12, 1)]);

        var reached = Given(Then(rescheduled, new ReachMilestone("m2", new DateOnly(2024, 11, 20)))).Milestones.Single(m => m.Id == "m2");
        (reached.Status, reached.ReachedOn).ShouldBe((MilestoneStatus.Reached, new DateOnly(2024, 11, 20)));
    }

    [Fact]
    public void An_open_risk_does_not_block_the_evaluation_but_an_open_conflict_does_until_resolved()
    {
        When(StateIn(MeasureStage.Pilot), SampleCommands.StartEvaluation()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<EvaluationStarted>();

        var conflict = Then(Then(For(MeasureStage.Mandated), SampleCommands.StartPilot()), SampleCommands.RecordRisk());
        When(Given(conflict), SampleCommands.StartEvaluation()).ThenRejected<RuleViolated>();
        var resolved = Then(conflict, SampleCommands.ResolveRisk());
        Given(resolved).Risks.Single().ShouldBe(new RiskState("r1", "conflict", "Lieferverkehr gegen Aufenthalt.", true, "Lieferzonen zeitlich begrenzt."));
        When(Given(resolved), SampleCommands.StartEvaluation()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<EvaluationStarted>();
    }

    [Fact]
    public void Measurements_are_recorded_during_pilot_and_evaluation()
    {
        var evaluating = Then(Then(For(MeasureStage.Pilot), SampleCommands.RecordMeasurement()), SampleCommands.StartEvaluation());
        var state = Given(Then(evaluating, SampleCommands.RecordMeasurement() with { Value = 14m }));
        state.Measurements.Select(m => m.Value).ShouldBe([9.5m, 14m]);
        state.Stage.ShouldBe(MeasureStage.Evaluation);
    }

    [Fact]
    public void A_measurement_appended_to_a_state_leaves_that_state_and_its_other_successors_unchanged()
    {
        var pilot = Given(Then(Then(For(MeasureStage.Pilot), SampleCommands.RecordMeasurement()), SampleCommands.RecordMeasurement() with { Value = 10m }));
        var before = pilot.Measurements.Select(m => m.Value).ToList();
        var info = new EventInfo(pilot.Version + 1, pilot.LastActivityAt.AddDays(1));

        // Two successors of the same state (a retried decision, a time travel beside today's state).
        var first = MeasureEvolution.Evolve(pilot, new IndicatorMeasured("aufenthalt", 1m, new(2024, 3, 1), "Zählung"), info);
        var second = MeasureEvolution.Evolve(pilot, new IndicatorMeasured("aufenthalt", 2m, new(2024, 3, 2), "Zählung"), info);
        var third = MeasureEvolution.Evolve(first, new IndicatorMeasured("aufenthalt", 3m, new(2024, 3, 3), "Zählung"), info with { Version = info.Version + 1 });

        pilot.Measurements.Select(m => m.Value).ShouldBe(before);
        first.Measurements.Select(m => m.Value).ShouldBe([.. before, 1m]);
        second.Measurements.Select(m => m.Value).ShouldBe([.. before, 2m]);
        third.Measurements.Select(m => m.Value).ShouldBe([.. before, 1m, 3m]);
        Should.Throw<ArgumentOutOfRangeException>(() => pilot.Measurements[before.Count]);
    }

    [Fact]
    public void Ten_thousand_measurements_fold_completely_and_in_order()
    {
        var measured = Enumerable.Range(1, 10_000)
            .Select(i => (IMeasureEvent)new IndicatorMeasured("aufenthalt", i, new DateOnly(2024, 3, 1).AddDays(i % 365), "Zählung"));
        var state = Given([.. For(MeasureStage.Pilot), .. measured]);
        state.Measurements.Count.ShouldBe(10_000);
        state.Measurements.Select(m => m.Value).ShouldBe(Enumerable.Range(1, 10_000).Select(i => (decimal)i));
    }

    [Fact]
    public void Scaling_and_making_permanent_are_both_the_scaled_outcome()
    {
        var scaled = StateIn(MeasureStage.Scaled).Outcome!;
        (scaled.Kind, scaled.Mode, scaled.Detail).ShouldBe((OutcomeKind.Scaled, "scaled", "Übertragung auf zwei Plätze."));
        scaled.RolloutTo.ShouldBe(["ba-mitte", "ba-pankow"]);

        var permanent = Given(Then(For(MeasureStage.Evaluated), new ScaleMeasure("permanent", null, "Dauerbetrieb ab 2026.")));
        permanent.Stage.ShouldBe(MeasureStage.Scaled);
        permanent.Outcome!.Mode.ShouldBe("permanent");
        permanent.Outcome.RolloutTo.ShouldBeEmpty();
    }

    [Fact]
    public void A_stopped_measure_keeps_its_reason_and_lessons_when_archived()
    {
        var archived = StateIn(MeasureStage.Archived);
        archived.StageHistory.Select(h => h.Stage).ShouldBe(
        [
            MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated, MeasureStage.Pilot,
            MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Stopped, MeasureStage.Archived,
        ]);
        archived.Outcome!.Kind.ShouldBe(OutcomeKind.Stopped);
        archived.Outcome.Detail.ShouldBe("Kein Nutzen messbar.");
        archived.Outcome.Lessons.ShouldBe(["Ziele früher schärfen."]);
    }

    [Fact]
    public void A_withdrawn_measure_records_why_and_can_be_archived()
    {
        var withdrawn = StateIn(MeasureStage.Withdrawn);
        withdrawn.Outcome!.Kind.ShouldBe(OutcomeKind.Withdrawn);
        withdrawn.Outcome.Detail.ShouldBe("Doppelt zu einer anderen Maßnahme.");
        Given(Then(For(MeasureStage.Withdrawn), SampleCommands.Archive())).Stage.ShouldBe(MeasureStage.Archived);
    }

    [Fact]
    public void The_stage_history_records_every_entry_with_its_version_even_a_second_pilot()
    {
        var state = Given(SecondCycle());
        state.StageHistory.Select(h => h.Stage).Count(s => s == MeasureStage.Pilot).ShouldBe(2);
        state.StageHistory.Select(h => h.Version).ShouldBeInOrder();
        state.StageHistory.Select(h => h.EnteredAt).ShouldBeInOrder();
        state.StageHistory[^1].ShouldBe(new StageEntry(MeasureStage.Pilot, state.StageEnteredAt, state.Version));
    }

    [Fact]
    public void The_mandate_sets_lead_team_budget_and_responsibilities()
    {
        var state = Given(Then(For(MeasureStage.GoalsDefined), SampleCommands.Mandate("senmvku", "ba-charlottenburg-wilmersdorf")));
        state.Lead.ShouldBe("senmvku");
        state.Team.ShouldBe(["senmvku", "ba-charlottenburg-wilmersdorf"]);
        state.Budget.ShouldBe(new Budget(250_000m, "EUR"));
        state.Responsibilities.ShouldBe([new Responsibility("senmvku", "Projektleitung")]);
    }

    [Fact]
    public void Changing_the_team_keeps_the_responsibilities_of_those_who_stay()
    {
        var mandated = Then(For(MeasureStage.GoalsDefined), SampleCommands.Mandate(participating: ["senmvku", "sensbw"]) with
        {
            Responsibilities = [new ResponsibilityInput("ba-charlottenburg-wilmersdorf", "Projektleitung"), new ResponsibilityInput("sensbw", "Bauplanung")],
        });
        var changed = (TeamChanged)When(Given(mandated), new ChangeTeam(["senmvku"], null)).ThenEvents().Single();
        changed.Participating.ShouldBe(["senmvku"]);
        changed.Responsibilities.ShouldBe([new Responsibility("ba-charlottenburg-wilmersdorf", "Projektleitung")]);
    }

    [Fact]
    public void Before_the_mandate_the_team_may_be_set_without_the_leads_responsibility()
    {
        var changed = When(StateIn(MeasureStage.Idea), new ChangeTeam(["senmvku"], [new ResponsibilityInput("senmvku", "Fachliche Beratung")]))
            .ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<TeamChanged>();
        changed.Responsibilities.ShouldBe([new Responsibility("senmvku", "Fachliche Beratung")]);
    }

    [Fact]
    public void Amending_records_only_what_changes()
    {
        var amended = When(StateIn(MeasureStage.Pilot), new AmendDetails(SampleCommands.Propose().Title, "Neu gefasst.", null))
            .ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<DetailsAmended>();
        amended.ShouldBe(new DetailsAmended(null, "Neu gefasst.", null));
        var state = Given(Then(For(MeasureStage.Pilot), new AmendDetails(null, "Neu gefasst.", null)));
        (state.Title, state.ProblemStatement, state.Stage).ShouldBe((SampleCommands.Propose().Title!, "Neu gefasst.", MeasureStage.Pilot));
    }
}
