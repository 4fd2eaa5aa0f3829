using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Tests.Measures;

namespace GemeinsamDigital.Domain.Tests.Monitoring;

/// <summary>The roll-up's math on folded rows: budgets per currency, withdrawn parts, parts of other programmes.</summary>
public class ProgrammeRollupSpecs
{
    private static readonly Guid _programme = Guid.Parse("0193d000-0000-7000-8000-0000000000a1");
    private static readonly Guid _other = Guid.Parse("0193d000-0000-7000-8000-0000000000a2");

    private static MonitoringRow Row(Guid id, MeasureStage stage, Guid? programme, string currency = "EUR")
    {
        var history = Histories.For(stage).Select(e => e is MeasureProposed p ? p with { MeasureId = id } : e is MeasureMandated m ? m with { Budget = m.Budget with { Currency = currency } } : e);
        IMeasureEvent[] events = programme is { } p ? [.. history, new AttachedToProgramme(p, null)] : [.. history];
        return MonitoringRow.Of(MeasureEvolution.Fold(events.Select((e, i) => (e, new EventInfo(i + 1, DateTimeOffset.UnixEpoch.AddDays(i))))), events.Length);
    }

    private static Guid Id(int n) => Guid.Parse($"0193d000-0000-7000-8000-{n:D12}");

    [Fact]
    public void Budgets_are_summed_per_currency_and_withdrawn_parts_count_but_have_no_progress()
    {
        MonitoringRow[] rows =
        [
            Row(_programme, MeasureStage.Mandated, null),
            Row(Id(1), MeasureStage.Mandated, _programme),
            Row(Id(2), MeasureStage.Scaled, _programme, "CHF"),
            Row(Id(3), MeasureStage.Withdrawn, _programme),
            Row(Id(4), MeasureStage.Evaluated, _other),
        ];
        var rollup = ProgrammeRollup.Of(_programme, rows);
        rollup.Parts.ShouldBe(3);
        rollup.Stage.ShouldBe(MeasureStage.Mandated);
        rollup.Budgets.ShouldBe([new BudgetSum("CHF", 250_000m, 1), new BudgetSum("EUR", 250_000m, 1)]);
        rollup.Measures.Single(m => m.MeasureId == Id(3)).Progress.ShouldBeNull();
        rollup.Progress.ShouldBe(0.65m); // (0.3 + 1) / 2: the withdrawn part is left out
        rollup.Stages.Sum(s => s.Measures).ShouldBe(3);
    }

    [Fact]
    public void A_programme_not_among_the_rows_has_no_title_stage_or_parts_and_no_progress()
    {
        var rollup = ProgrammeRollup.Of(_programme, [Row(Id(1), MeasureStage.Idea, null)]);
        rollup.Title.ShouldBeNull();
        rollup.Stage.ShouldBeNull();
        rollup.Parts.ShouldBe(0);
        rollup.Progress.ShouldBeNull();
    }

    [Theory]
    [InlineData(MeasureStage.Idea, 0)]
    [InlineData(MeasureStage.ProblemUnderstood, 0.1)]
    [InlineData(MeasureStage.GoalsDefined, 0.2)]
    [InlineData(MeasureStage.Mandated, 0.3)]
    [InlineData(MeasureStage.Pilot, 0.3)]
    [InlineData(MeasureStage.Evaluation, 0.8)]
    [InlineData(MeasureStage.Evaluated, 0.9)]
    [InlineData(MeasureStage.Iterated, 0.3)]
    [InlineData(MeasureStage.Scaled, 1)]
    [InlineData(MeasureStage.Stopped, 1)]
    [InlineData(MeasureStage.Archived, 1)]
    public void Progress_follows_the_documented_stage_table(MeasureStage stage, double progress) =>
        ProgrammeRollup.Progress(Histories.StateIn(stage)).ShouldBe((decimal)progress);

    [Fact]
    public void A_pilot_adds_the_reached_share_of_its_current_milestones()
    {
        var reached = Spec.Given(Histories.Then(Histories.For(MeasureStage.Pilot), SampleCommands.ReachMilestone()));
        ProgrammeRollup.Progress(reached).ShouldBe(0.5m);
    }
}
