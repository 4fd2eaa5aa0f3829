using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using static GemeinsamDigital.Domain.Tests.Revisions.RevisionSpec;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>What changed between two snapshots: measure movements, figures per perspective and Leitgedanke, indicators.</summary>
public class ComparisonSpecs
{
    private static Guid Id(char c) => Guid.Parse($"0193a000-0000-7000-8000-00000000000{c}");

    private static RecordMeasurement Measured(decimal value) => SampleCommands.RecordMeasurement() with { Value = value };

    /// <summary>Two snapshots around a known set of events.</summary>
    private static (RevisionSnapshot First, RevisionSnapshot Second) Snapshots()
    {
        IMeasureEvent[] a = Measure(Id('a'), MeasureStage.Evaluated);
        IMeasureEvent[] b = Then(Measure(Id('b'), MeasureStage.Pilot), Measured(9.5m));
        IMeasureEvent[] c = Then(Measure(Id('c'), MeasureStage.Pilot), Measured(9.5m));
        IMeasureEvent[] d = Measure(Id('d'), MeasureStage.GoalsDefined);
        IMeasureEvent[] e = Measure(Id('e'), MeasureStage.Idea);
        IMeasureEvent[] g = Measure(Id('7'), MeasureStage.Withdrawn);
        IMeasureEvent[] h = Measure(Id('8'), MeasureStage.Idea);
        var log = new EventLog().Record(a).Record(b).Record(c).Record(d).Record(e).Record(g).Record(h);
        var first = RevisionSnapshots.Build(Given(Opened()), log.Events, log.Sequence);

        log.Record(Then(a, SampleCommands.Scale()))
            .Record(Then(b, Measured(7m)))
            .Record(Then(Then(Then(Then(c, Measured(14m)), SampleCommands.StartEvaluation()), SampleCommands.CompleteEvaluation()), SampleCommands.Stop()))
            .Record(Then(d, SampleCommands.Mandate("ba-pankow") with { Responsibilities = [new ResponsibilityInput("ba-pankow", "Projektleitung")] }))
            .Record(Then(g, SampleCommands.Archive()))
            .Record(Then(h, SampleCommands.Withdraw()))
            .Record(Measure(Id('f'), MeasureStage.Idea).Select(x => x is MeasureProposed p ? p with { Perspectives = ["zp7"] } : x).ToArray());
        var second = RevisionSnapshots.Build(Given(Opened(since: first.AsOfSequence)), log.Events, log.Sequence);
        return (first, second);
    }

    [Fact]
    public void Every_measure_lands_in_exactly_one_list()
    {
        var (first, second) = Snapshots();
        var c = RevisionComparisons.Compare(first, "h1", second, "h2");

        c.Added.Select(m => m.MeasureId).ShouldBe([Id('f')]);
        c.Advanced.ShouldHaveSingleItem().ShouldEqualAsJson(new MeasureMovement(Id('d'), "Smart Space Hardenbergplatz", MeasureStage.GoalsDefined, MeasureStage.Mandated, [MeasureStage.Mandated]));
        c.Stalled.Select(m => m.MeasureId).ShouldBe([Id('b'), Id('e')]);
        c.Scaled.ShouldHaveSingleItem().ShouldEqualAsJson(new MeasureMovement(Id('a'), "Smart Space Hardenbergplatz", MeasureStage.Evaluated, MeasureStage.Scaled, [MeasureStage.Scaled]));
        c.Stopped.ShouldHaveSingleItem().Entered.ShouldBe([MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Stopped]);
        c.Withdrawn.Select(m => m.MeasureId).ShouldBe([Id('8')]);
        c.Finished.ShouldHaveSingleItem().ShouldEqualAsJson(new MeasureMovement(Id('7'), "Smart Space Hardenbergplatz", MeasureStage.Withdrawn, MeasureStage.Archived, [MeasureStage.Archived]));
        c.Removed.ShouldBeEmpty();
        new[] { c.Added, c.Advanced, c.Stalled, c.Scaled, c.Stopped, c.Withdrawn, c.Finished, c.Removed }.Sum(l => l.Count).ShouldBe(second.Measures.Count);
        c.From.ShouldBe(new ComparedPhase(PhaseId, "Revisionsphase 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), first.AsOfSequence, "h1", 7));
        c.To.Measures.ShouldBe(8);
    }

    [Fact]
    public void Figures_per_stage_perspective_and_Leitgedanke_are_deltas_of_the_portfolio()
    {
        var (first, second) = Snapshots();
        var c = RevisionComparisons.Compare(first, "h1", second, "h2");

        c.Stages.Where(s => s.Delta != 0).Select(s => (s.Code.ToString(), s.From, s.To, s.Delta)).ShouldBe(
        [
            ("GoalsDefined", 1, 0, -1), ("Mandated", 0, 1, 1), ("Pilot", 2, 1, -1), ("Evaluated", 1, 0, -1),
            ("Scaled", 0, 1, 1), ("Stopped", 0, 1, 1), ("Archived", 0, 1, 1),
        ]);
        // Idea: e and h before; e and f after (h withdrawn). Withdrawn: g before, h after (g archived).
        c.Stages.Single(s => s.Code == MeasureStage.Idea).ShouldBe(new StageChange(MeasureStage.Idea, "Idee", 2, 2, 0));
        c.Perspectives.Single(p => p.Code == "zp1").ShouldBe(new CountChange("zp1", "Gesunde, vielfältige Kieze", 7, 7, 0));
        c.Perspectives.Single(p => p.Code == "zp7").ShouldBe(new CountChange("zp7", "Ermöglichende Verwaltung", 0, 1, 1));
        c.Perspectives.Count.ShouldBe(7);
        // Four measures with goals throughout (a, b, c, d): the sample weights 2/3/1/3 stay.
        c.Principles.Single(p => p.Code == "nachhaltig").ShouldBe(new PrincipleChange("nachhaltig", "Nachhaltig", 4, 4, 0, 8, 8, 0, 2.67m, 2.67m, 0m));
        c.Principles.Select(p => p.Code).ShouldBe(["nachhaltig", "gemeinwohlorientiert", "resilient", "kooperativ"]);
    }

    [Fact]
    public void Indicators_move_toward_or_away_from_their_target()
    {
        var (first, second) = Snapshots();
        var moves = RevisionComparisons.Compare(first, "h1", second, "h2").Indicators.ToDictionary(m => m.MeasureId);

        moves.Keys.ShouldBe([Id('a'), Id('b'), Id('c'), Id('d')], ignoreOrder: true);
        moves[Id('b')].ShouldBe(moves[Id('b')] with { From = 9.5m, To = 7m, Change = -2.5m, Direction = IndicatorDirection.Away, Baseline = 5, Target = 15 });
        moves[Id('c')].ShouldBe(moves[Id('c')] with { From = 9.5m, To = 14m, Change = 4.5m, Direction = IndicatorDirection.Toward });
        moves[Id('a')].ShouldBe(moves[Id('a')] with { From = null, To = null, Change = null, Direction = IndicatorDirection.NoData, ToStatus = "no-data" });
        moves[Id('d')].Direction.ShouldBe(IndicatorDirection.NoData);
    }

    [Fact]
    public void A_new_indicator_value_is_measured_from_the_baseline_and_equal_distance_is_unchanged()
    {
        var (first, second) = Snapshots();
        var withoutEarlierValue = first with { Measures = [.. first.Measures.Where(m => m.Id != Id('c'))] };
        var c = RevisionComparisons.Compare(withoutEarlierValue, "h1", second, "h2");
        c.Added.Select(m => m.MeasureId).ShouldBe([Id('c'), Id('f')]);
        c.Indicators.Single(m => m.MeasureId == Id('c')).ShouldBe(c.Indicators.Single(m => m.MeasureId == Id('c')) with
        {
            From = null, To = 14m, Change = 9m, Direction = IndicatorDirection.Toward,
        });

        var same = RevisionComparisons.Compare(second, "h2", second, "h2");
        same.Indicators.Where(m => m.To is not null).ShouldAllBe(m => m.Direction == IndicatorDirection.Unchanged && m.Change == 0);
        same.Stalled.Select(m => m.MeasureId).ShouldBe([Id('b'), Id('d'), Id('e'), Id('f')]);
        same.Finished.Select(m => m.MeasureId).ShouldBe([Id('7'), Id('8'), Id('a'), Id('c')], ignoreOrder: true);
        same.Perspectives.ShouldAllBe(p => p.Delta == 0);
    }

    [Fact]
    public void Measures_outside_the_later_scope_are_removed_and_the_earlier_phase_comes_first()
    {
        var (first, second) = Snapshots();
        var narrowed = second with { Measures = [.. second.Measures.Where(m => m.Id != Id('e'))] };
        RevisionComparisons.Compare(first, "h1", narrowed, "h2").Removed.Select(m => m.MeasureId).ShouldBe([Id('e')]);
        Should.Throw<ArgumentException>(() => RevisionComparisons.Compare(second, "h2", first, "h1"));
    }
}
