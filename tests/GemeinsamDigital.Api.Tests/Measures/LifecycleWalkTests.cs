using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// Measures walked through every path over HTTP on a real PostgreSQL: scaled (and made permanent),
/// iterated then scaled, stopped then archived, withdrawn then archived. After every step the
/// state is read back and its stage, stage history and the step's facts are checked.
/// </summary>
public class LifecycleWalkTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    /// <summary>Sends one step (with If-Match of the state just read), then reads the measure back and checks stage and history.</summary>
    private async Task<MeasureState> Step<TCommand>(Guid id, TCommand command, MeasureStage expected) where TCommand : IMeasureCommand
    {
        var before = await _measures.Read(id);
        var accepted = await _measures.Send(id, command, ifMatch: ETags.For(before.Version));
        accepted.Stage.ShouldBe(expected);
        accepted.Version.ShouldBe(before.Version + accepted.Events.Count);

        var after = await _measures.Read(id);
        after.Stage.ShouldBe(expected);
        after.Version.ShouldBe(accepted.Version);
        after.LastActivityAt.ShouldBeGreaterThanOrEqualTo(before.LastActivityAt);
        after.StageHistory.Select(h => h.Version).ShouldBeInOrder(SortDirection.Ascending);
        after.StageHistory.Select(h => h.EnteredAt).ShouldBeInOrder(SortDirection.Ascending);
        after.StageHistory[^1].Stage.ShouldBe(expected);
        after.StageEnteredAt.ShouldBe(after.StageHistory[^1].EnteredAt);
        if (expected == before.Stage)
        {
            after.StageHistory.ShouldBe(before.StageHistory);
        }
        else
        {
            after.StageHistory.Count.ShouldBe(before.StageHistory.Count + 1);
            after.StageHistory.Take(before.StageHistory.Count).ShouldBe(before.StageHistory);
            after.StageHistory[^1].Version.ShouldBe(after.Version);
        }
        return after;
    }

    /// <summary>The stage history read back agrees with the stored events: each entry is the event that entered the stage.</summary>
    private async Task StageHistoryMatchesEvents(Guid id, params MeasureStage[] stages)
    {
        var measure = await _measures.Read(id);
        measure.StageHistory.Select(h => h.Stage).ShouldBe(stages);
        var events = (await _measures.Events(id)).ToDictionary(e => e.Version);
        events.Keys.Max().ShouldBe(measure.Version);
        foreach (var entry in measure.StageHistory)
        {
            events[entry.Version].Timestamp.ShouldBe(entry.EnteredAt);
        }
    }

    private async Task<Guid> WalkToEvaluated()
    {
        var id = await _measures.Propose();
        var idea = await _measures.Read(id);
        idea.Stage.ShouldBe(MeasureStage.Idea);
        idea.StageHistory.ShouldBe([new StageEntry(MeasureStage.Idea, idea.ProposedAt, 1)]);

        var understood = await Step(id, SampleCommands.UnderstandProblem(), MeasureStage.ProblemUnderstood);
        understood.AffectedGroups.Select(g => g.UnderHeardGroup).ShouldContain("menschen-mit-behinderung");

        var goals = await Step(id, SampleCommands.DefineGoals(), MeasureStage.GoalsDefined);
        goals.Contributions.Select(c => c.Principle).ShouldBe(["nachhaltig", "gemeinwohlorientiert", "resilient", "kooperativ"]);
        goals.Indicators.ShouldBe([new Indicator("aufenthalt", "Aufenthaltsdauer", "min", 5, 15)]);

        var mandated = await Step(id, SampleCommands.Mandate(), MeasureStage.Mandated);
        mandated.Team.ShouldBe(["ba-charlottenburg-wilmersdorf", "senmvku", "sensbw"]);
        mandated.Budget.ShouldBe(new Budget(250_000m, "EUR"));

        var pilot = await Step(id, SampleCommands.StartPilot(), MeasureStage.Pilot);
        (pilot.PilotCycle, pilot.Pilot!.Start, pilot.Pilot.End).ShouldBe((1, SampleCommands.PilotStart, SampleCommands.PilotEnd));
        pilot.Milestones.Select(m => (m.Id, m.Status)).ShouldBe([("m1", MilestoneStatus.Open), ("m2", MilestoneStatus.Open)]);

        (await Step(id, SampleCommands.ReachMilestone(), MeasureStage.Pilot)).Milestones[0].ReachedOn.ShouldBe(SampleCommands.ReachMilestone().On);
        (await Step(id, SampleCommands.MissMilestone(), MeasureStage.Pilot)).Milestones[1].Status.ShouldBe(MilestoneStatus.Missed);
        var rescheduled = await Step(id, SampleCommands.RescheduleMilestone(), MeasureStage.Pilot);
        (rescheduled.Milestones[1].Status, rescheduled.Milestones[1].Due).ShouldBe((MilestoneStatus.Open, SampleCommands.RescheduleMilestone().NewDue!.Value));
        var participated = await Step(id, SampleCommands.RecordParticipation(), MeasureStage.Pilot);
        participated.Participations.ShouldHaveSingleItem().Participants.ShouldBe(42);
        (await Step(id, SampleCommands.RecordMeasurement(), MeasureStage.Pilot)).Measurements.ShouldHaveSingleItem().Value.ShouldBe(9.5m);
        (await Step(id, SampleCommands.RecordRisk(), MeasureStage.Pilot)).Risks.ShouldHaveSingleItem().Resolved.ShouldBeFalse();
        (await Step(id, SampleCommands.ResolveRisk(), MeasureStage.Pilot)).Risks.ShouldHaveSingleItem().Resolved.ShouldBeTrue();

        await Step(id, SampleCommands.StartEvaluation(), MeasureStage.Evaluation);
        (await Step(id, SampleCommands.RecordMeasurement() with { Value = 14m }, MeasureStage.Evaluation)).Measurements.Count.ShouldBe(2);
        var evaluated = await Step(id, SampleCommands.CompleteEvaluation(), MeasureStage.Evaluated);
        var evaluation = evaluated.Evaluations.ShouldHaveSingleItem();
        evaluation.Cycle.ShouldBe(1);
        evaluation.IndicatorFindings.ShouldHaveSingleItem().TargetMet.ShouldBeTrue();
        evaluation.PrincipleFindings.Count.ShouldBe(4);
        return id;
    }

    private static readonly MeasureStage[] _toEvaluated =
    [
        MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated,
        MeasureStage.Pilot, MeasureStage.Evaluation, MeasureStage.Evaluated,
    ];

    [Fact]
    public async Task Scaled_then_archived()
    {
        var id = await WalkToEvaluated();

        var scaled = await Step(id, SampleCommands.Scale(), MeasureStage.Scaled);
        scaled.Outcome!.Kind.ShouldBe(OutcomeKind.Scaled);
        scaled.Outcome.Mode.ShouldBe("scaled");
        scaled.Outcome.RolloutTo.ShouldBe(["ba-mitte", "ba-pankow"]);

        var archived = await Step(id, SampleCommands.Archive(), MeasureStage.Archived);
        archived.Outcome!.Kind.ShouldBe(OutcomeKind.Scaled);

        await StageHistoryMatchesEvents(id, [.. _toEvaluated, MeasureStage.Scaled, MeasureStage.Archived]);
        (await _measures.Events(id)).Select(e => e.Type).ShouldBe(
        [
            "measure-proposed.v2", "problem-understood", "goals-defined", "measure-mandated", "pilot-started",
            "milestone-reached", "milestone-missed", "milestone-rescheduled", "participation-held", "indicator-measured",
            "risk-recorded", "risk-resolved", "evaluation-started", "indicator-measured", "evaluation-completed",
            "measure-scaled", "measure-archived",
        ]);
    }

    [Fact]
    public async Task Made_permanent()
    {
        var id = await WalkToEvaluated();

        var permanent = await Step(id, new ScaleMeasure("permanent", null, "Dauerbetrieb durch den Bezirk ab 2026."), MeasureStage.Scaled);
        permanent.Outcome!.Kind.ShouldBe(OutcomeKind.Scaled);
        permanent.Outcome.Mode.ShouldBe("permanent");
        permanent.Outcome.RolloutTo.ShouldBeEmpty();
        permanent.Outcome.Detail.ShouldBe("Dauerbetrieb durch den Bezirk ab 2026.");

        await StageHistoryMatchesEvents(id, [.. _toEvaluated, MeasureStage.Scaled]);
    }

    [Fact]
    public async Task Iterated_then_scaled_after_a_second_pilot_cycle()
    {
        var id = await WalkToEvaluated();

        var iterated = await Step(id, SampleCommands.Iterate(), MeasureStage.Iterated);
        iterated.Outcome!.Kind.ShouldBe(OutcomeKind.Iterated);
        iterated.PilotCycle.ShouldBe(1);
        var iterationEvent = (await _measures.Events(id))[^1];
        iterationEvent.Data.GetProperty("nextCycle").GetInt32().ShouldBe(2);

        var cycle2Start = new DateOnly(2025, 6, 1);
        var secondPilot = new StartPilot("Zweiter Zyklus mit mehr Sitzgelegenheiten.", cycle2Start, cycle2Start.AddMonths(9),
            [new MilestoneInput("m1", "Neue Sitzmöbel", cycle2Start.AddMonths(2))]);
        var cycle2 = await Step(id, secondPilot, MeasureStage.Pilot);
        cycle2.PilotCycle.ShouldBe(2);
        cycle2.Outcome.ShouldBeNull();
        cycle2.Pilot!.Start.ShouldBe(cycle2Start);
        cycle2.Milestones.Select(m => (m.Id, m.Cycle, m.Status)).ShouldBe(
            [("m1", 1, MilestoneStatus.Reached), ("m2", 1, MilestoneStatus.Open), ("m1", 2, MilestoneStatus.Open)]);

        var reached = await Step(id, new ReachMilestone("m1", cycle2Start.AddMonths(2)), MeasureStage.Pilot);
        reached.Milestones.Single(m => m.Cycle == 2).Status.ShouldBe(MilestoneStatus.Reached);

        await Step(id, SampleCommands.StartEvaluation(), MeasureStage.Evaluation);
        var evaluated = await Step(id, SampleCommands.CompleteEvaluation(), MeasureStage.Evaluated);
        evaluated.Evaluations.Select(e => e.Cycle).ShouldBe([1, 2]);

        var scaled = await Step(id, SampleCommands.Scale(), MeasureStage.Scaled);
        scaled.Outcome!.Kind.ShouldBe(OutcomeKind.Scaled);

        await StageHistoryMatchesEvents(id,
        [
            .. _toEvaluated, MeasureStage.Iterated, MeasureStage.Pilot, MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Scaled,
        ]);
    }

    [Fact]
    public async Task Stopped_then_archived_and_kept_on_record()
    {
        var id = await WalkToEvaluated();

        var stopped = await Step(id, SampleCommands.Stop(), MeasureStage.Stopped);
        stopped.Outcome!.Kind.ShouldBe(OutcomeKind.Stopped);
        stopped.Outcome.Detail.ShouldBe("Kein Nutzen messbar.");
        stopped.Outcome.Lessons.ShouldBe(["Ziele früher schärfen."]);

        var archived = await Step(id, SampleCommands.Archive(), MeasureStage.Archived);
        archived.Outcome!.Lessons.ShouldBe(["Ziele früher schärfen."]);
        archived.Evaluations.ShouldHaveSingleItem();

        // Archived is the end: nothing is allowed any more, not even amending details.
        var refused = await _measures.Post(id, SampleCommands.AmendDetails());
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await refused.Json();
        body.GetProperty("currentStage").GetString().ShouldBe("archived");
        body.GetProperty("allowedCommands").GetArrayLength().ShouldBe(0);

        await StageHistoryMatchesEvents(id, [.. _toEvaluated, MeasureStage.Stopped, MeasureStage.Archived]);
    }

    [Fact]
    public async Task Withdrawn_before_the_mandate_then_archived()
    {
        var id = await _measures.Propose();
        await Step(id, SampleCommands.UnderstandProblem(), MeasureStage.ProblemUnderstood);
        await Step(id, SampleCommands.ChangeTeam(), MeasureStage.ProblemUnderstood);

        var withdrawn = await Step(id, SampleCommands.Withdraw(), MeasureStage.Withdrawn);
        withdrawn.Outcome!.Kind.ShouldBe(OutcomeKind.Withdrawn);
        withdrawn.Outcome.Detail.ShouldBe("Doppelt zu einer anderen Maßnahme.");
        withdrawn.Participating.ShouldBe(["senmvku", "senwienbe"]);

        await Step(id, SampleCommands.Archive(), MeasureStage.Archived);
        await StageHistoryMatchesEvents(id, MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.Withdrawn, MeasureStage.Archived);
    }

    [Fact]
    public async Task A_mandated_measure_can_no_longer_be_withdrawn()
    {
        var id = await _measures.ProposeIn(MeasureStage.Mandated);
        var refused = await _measures.Post(id, SampleCommands.Withdraw());
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await refused.Json();
        body.GetProperty("currentStage").GetString().ShouldBe("mandated");
        body.GetProperty("command").GetString().ShouldBe("withdraw");
        body.GetProperty("allowedCommands").EnumerateArray().Select(c => c.GetString()).ShouldBe(
            MeasureLifecycle.AllowedFrom(MeasureStage.Mandated), ignoreOrder: true);
        (await _measures.Read(id)).Stage.ShouldBe(MeasureStage.Mandated);
    }

    [Fact]
    public async Task Details_may_be_amended_during_the_pilot_without_changing_the_stage()
    {
        var id = await _measures.ProposeIn(MeasureStage.Pilot);
        var amended = await Step(id, new AmendDetails("Smart Space Hardenbergplatz 2.0", null, "Jetzt mit Kiezlabor."), MeasureStage.Pilot);
        (amended.Title, amended.Description).ShouldBe(("Smart Space Hardenbergplatz 2.0", "Jetzt mit Kiezlabor."));
        amended.ProblemStatement.ShouldBe(SampleCommands.Propose().ProblemStatement!);
    }
}
