using GemeinsamDigital.Domain.Measures;
using S = GemeinsamDigital.Domain.Measures.MeasureStage;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Every (stage × command) pair: a measure is brought into each stage by real events, each command
/// is decided against it, and the outcome is checked against this test's own copy of the state
/// machine (written out here, not read from MeasureLifecycle, so a change to the table shows up).
/// </summary>
public class LifecycleTableSpecs
{
    /// <summary>One command: where it is allowed, what it appends, and where it leads (null = stays).</summary>
    public sealed record Row(string Command, Func<MeasureState, Decision> Decide, MeasureStage[] AllowedIn, Type[] Events, MeasureStage? To);

    private static readonly MeasureStage[] _allButArchived = [.. Enum.GetValues<MeasureStage>().Where(s => s != S.Archived)];

    private static Row R<TCommand>(TCommand command, MeasureStage[] allowedIn, Type[] events, MeasureStage? to = null)
        where TCommand : IMeasureCommand =>
        new(TCommand.Name, state => MeasureLifecycle.Decide(state, command), allowedIn, events, to);

    // Samples are adapted where the stage's history already holds what the sample would add
    // (the pilot already recorded risk "r1").
    public static readonly IReadOnlyDictionary<string, Row> Rows = new[]
    {
        R(SampleCommands.UnderstandProblem(), [S.Idea], [typeof(ProblemUnderstood)], S.ProblemUnderstood),
        R(SampleCommands.DefineGoals(), [S.ProblemUnderstood], [typeof(GoalsDefined)], S.GoalsDefined),
        R(SampleCommands.Mandate(), [S.GoalsDefined], [typeof(MeasureMandated)], S.Mandated),
        R(SampleCommands.StartPilot(), [S.Mandated, S.Iterated], [typeof(PilotStarted)], S.Pilot),
        R(SampleCommands.ReachMilestone(), [S.Pilot], [typeof(MilestoneReached)]),
        R(SampleCommands.MissMilestone(), [S.Pilot], [typeof(MilestoneMissed)]),
        R(SampleCommands.RescheduleMilestone(), [S.Pilot], [typeof(MilestoneRescheduled)]),
        R(SampleCommands.RecordParticipation(), [S.Pilot], [typeof(ParticipationHeld)]),
        R(SampleCommands.RecordMeasurement(), [S.Pilot, S.Evaluation], [typeof(IndicatorMeasured)]),
        R(SampleCommands.RecordRisk() with { RiskId = "r2" }, [S.Pilot, S.Evaluation], [typeof(RiskRecorded)]),
        R(SampleCommands.ResolveRisk(), [S.Pilot, S.Evaluation], [typeof(RiskResolved)]),
        R(SampleCommands.StartEvaluation(), [S.Pilot], [typeof(EvaluationStarted)], S.Evaluation),
        R(SampleCommands.CompleteEvaluation(), [S.Evaluation], [typeof(EvaluationCompleted)], S.Evaluated),
        R(SampleCommands.Scale(), [S.Evaluated], [typeof(MeasureScaled)], S.Scaled),
        R(SampleCommands.Iterate(), [S.Evaluated], [typeof(MeasureIterated)], S.Iterated),
        R(SampleCommands.Stop(), [S.Evaluated], [typeof(MeasureStopped)], S.Stopped),
        R(SampleCommands.Withdraw(), [S.Idea, S.ProblemUnderstood, S.GoalsDefined], [typeof(MeasureWithdrawn)], S.Withdrawn),
        R(SampleCommands.Archive(), [S.Scaled, S.Stopped, S.Withdrawn], [typeof(MeasureArchived)], S.Archived),
        R(SampleCommands.AmendDetails(), _allButArchived, [typeof(DetailsAmended)]),
        R(SampleCommands.ChangeTeam(), _allButArchived, [typeof(TeamChanged)]),
        R(SampleCommands.AssignExternalId(), _allButArchived, [typeof(ExternalIdAssigned)]),
        R(SampleCommands.AttachToProgramme(), _allButArchived, [typeof(AttachedToProgramme)]),
        // Detaching needs a programme to leave: the measure in each stage is part of one.
        new(DetachFromProgramme.Name, state => MeasureLifecycle.Decide(state with { ProgrammeId = SampleCommands.Programme }, SampleCommands.DetachFromProgramme()),
            _allButArchived, [typeof(DetachedFromProgramme)], null),
        R(SampleCommands.ReportStatus(), [S.Mandated, S.Pilot, S.Evaluation, S.Evaluated, S.Scaled, S.Iterated], [typeof(StatusReported)]),
        R(SampleCommands.LinkPlan(), _allButArchived, [typeof(PlanLinked)]),
        // Unlinking needs a plan to leave: the measure in each stage serves the sample's plan.
        new(UnlinkPlan.Name, state => MeasureLifecycle.Decide(state with { Plans = [new PlanLink("bek-2030", null, state.LastActivityAt, state.Version)] }, SampleCommands.UnlinkPlan()),
            _allButArchived, [typeof(PlanUnlinked)], null),
    }.ToDictionary(r => r.Command);

    public static TheoryData<MeasureStage, string> Pairs()
    {
        var data = new TheoryData<MeasureStage, string>();
        foreach (var stage in Enum.GetValues<MeasureStage>())
        {
            foreach (var command in Rows.Keys)
            {
                data.Add(stage, command);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_command_in_every_stage_is_accepted_or_refused_as_the_state_machine_says(MeasureStage stage, string command)
    {
        var row = Rows[command];
        var history = Histories.For(stage);
        var state = Given(history);
        state.Stage.ShouldBe(stage);

        var decision = row.Decide(state);

        if (row.AllowedIn.Contains(stage))
        {
            var events = decision.ThenEvents();
            events.Select(e => e.GetType()).ShouldBe(row.Events);
            var after = Given([.. history, .. events]);
            var expected = row.To ?? stage;
            after.Stage.ShouldBe(expected);
            after.Version.ShouldBe(state.Version + events.Count);
            if (row.To is { } entered)
            {
                after.StageHistory.Count.ShouldBe(state.StageHistory.Count + 1);
                after.StageHistory[^1].Stage.ShouldBe(entered);
                after.StageHistory[^1].Version.ShouldBe(after.Version);
                after.StageEnteredAt.ShouldBe(after.LastActivityAt);
            }
            else
            {
                after.StageHistory.ShouldBe(state.StageHistory);
                after.StageEnteredAt.ShouldBe(state.StageEnteredAt);
            }
        }
        else
        {
            var refused = decision.ThenRejected<TransitionNotAllowed>();
            refused.CurrentStage.ShouldBe(stage);
            refused.Command.ShouldBe(command);
            refused.AllowedCommands.ShouldBe(MeasureLifecycle.AllowedFrom(stage));
            refused.AllowedCommands.ShouldBe(ExpectedAllowedFrom(stage), ignoreOrder: true);
            refused.AllowedCommands.ShouldNotContain(command);
        }
    }

    [Fact]
    public void The_table_covers_every_command_in_every_stage()
    {
        Rows.Keys.ShouldBe(MeasureLifecycle.Commands, ignoreOrder: true);
        var pairs = Pairs().Select(p => ((MeasureStage)p[0], (string)p[1])).ToList();
        pairs.Distinct().Count().ShouldBe(Enum.GetValues<MeasureStage>().Length * MeasureLifecycle.Commands.Count);
        foreach (var stage in Enum.GetValues<MeasureStage>())
        {
            foreach (var command in MeasureLifecycle.Commands)
            {
                pairs.ShouldContain((stage, command));
            }
        }
    }

    [Fact]
    public void The_domain_state_machine_is_exactly_the_one_written_out_here()
    {
        foreach (var (command, row) in Rows)
        {
            MeasureLifecycle.AllowedStages[command].ShouldBe(row.AllowedIn, ignoreOrder: true, customMessage: command);
        }
    }

    [Fact]
    public void Every_stage_but_archived_allows_some_command_and_archived_allows_none()
    {
        foreach (var stage in _allButArchived)
        {
            MeasureLifecycle.AllowedFrom(stage).ShouldNotBeEmpty(stage.ToString());
        }
        MeasureLifecycle.AllowedFrom(S.Archived).ShouldBeEmpty();
    }

    [Fact]
    public void Withdrawal_is_possible_only_before_the_mandate()
    {
        foreach (var stage in Enum.GetValues<MeasureStage>())
        {
            MeasureLifecycle.IsAllowed(WithdrawMeasure.Name, stage).ShouldBe(stage is S.Idea or S.ProblemUnderstood or S.GoalsDefined, stage.ToString());
        }
    }

    [Fact]
    public void An_evaluated_measure_gets_exactly_one_outcome()
    {
        string[] outcomes = [ScaleMeasure.Name, IterateMeasure.Name, StopMeasure.Name];
        MeasureLifecycle.AllowedFrom(S.Evaluated).Intersect(outcomes).ShouldBe(outcomes, ignoreOrder: true);
        foreach (var after in new[] { S.Scaled, S.Iterated, S.Stopped })
        {
            MeasureLifecycle.AllowedFrom(after).Intersect(outcomes).ShouldBeEmpty(after.ToString());
        }
    }

    private static IEnumerable<string> ExpectedAllowedFrom(MeasureStage stage) =>
        Rows.Values.Where(r => r.AllowedIn.Contains(stage)).Select(r => r.Command);
}
