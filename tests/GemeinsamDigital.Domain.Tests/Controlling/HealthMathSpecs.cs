using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Tests.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Controlling;

public class HealthMathSpecs
{
    private static readonly DateTimeOffset _now = new(2025, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private static MonitoringRow Reported(Guid id, params (string Period, string Health)[] reports)
    {
        var history = Histories.For(MeasureStage.Pilot);
        foreach (var (period, health) in reports)
        {
            ReportingPeriod.TryParse(period, out var p);
            history = Histories.Then(history, SampleCommands.ReportStatus() with { Period = period, Health = health, On = p.End });
        }
        return MonitoringRow.Of(Given(history) with { Id = id }, 1);
    }

    private static readonly Guid _a = Guid.Parse("0193a000-0000-7000-8000-0000000000a1");
    private static readonly Guid _b = Guid.Parse("0193a000-0000-7000-8000-0000000000b2");

    private static readonly MonitoringRow[] _rows =
    [
        Reported(_a, ("2024-Q1", "on-track"), ("2024-Q2", "off-track"), ("2024-Q3", "off-track"), ("2024-Q4", "off-track")),
        Reported(_b, ("2024-Q1", "at-risk"), ("2024-Q2", "off-track"), ("2024-Q4", "off-track")),
    ];

    [Fact]
    public void Health_is_counted_per_period_by_each_measures_current_report()
    {
        var f = HealthMath.Figures(_rows, DashboardFilter.None, null, _now);
        (f.Measures, f.MeasuresReporting).ShouldBe((2, 2));
        f.Periods.Select(p => (p.Period, p.Reported, p.OnTrack, p.AtRisk, p.OffTrack, p.Paused)).ShouldBe([
            ("2024-Q1", 2, 1, 1, 0, 0), ("2024-Q2", 2, 0, 0, 2, 0), ("2024-Q3", 1, 0, 0, 1, 0), ("2024-Q4", 2, 0, 0, 2, 0)]);
    }

    [Fact]
    public void Transitions_pair_each_measures_consecutive_reports()
    {
        var f = HealthMath.Figures(_rows, DashboardFilter.None, null, _now);
        f.Transitions.Select(t => (t.From, t.To, t.Measures)).ShouldBe([("on-track", "off-track", 1), ("at-risk", "off-track", 1), ("off-track", "off-track", 3)]);
    }

    [Fact]
    public void Only_consecutive_periods_make_an_off_track_run_of_two_or_more()
    {
        var f = HealthMath.Figures(_rows, DashboardFilter.None, null, _now);
        // B was off-track in Q2 and Q4 but did not report Q3: no run.
        f.OffTrack.ShouldBe([new OffTrackRun(_a, SampleCommands.Title, SampleCommands.Lead, "2024-Q2", "2024-Q4", 3, true)]);
    }

    [Fact]
    public void Missing_reports_are_the_overdue_ones_of_the_cadence_counted_in_their_period()
    {
        var cadence = ReportingCadenceState.Evolve(null, new ReportingCadenceSet(null, "quarterly", 10), new EventInfo(1, DateTimeOffset.UnixEpoch), Guid.NewGuid());
        var f = HealthMath.Figures(_rows, DashboardFilter.None, cadence, _now);
        f.Missing.ShouldHaveSingleItem().ShouldSatisfyAllConditions(m => m.MeasureId.ShouldBe(_b), m => m.Period.ShouldBe("2024-Q3"));
        f.Periods.Single(p => p.Period == "2024-Q3").Missing.ShouldBe(1);
    }

    [Fact]
    public void The_window_keeps_periods_ending_in_it()
    {
        var f = HealthMath.Figures(_rows, new DashboardFilter(From: new DateOnly(2024, 7, 1), To: new DateOnly(2024, 12, 31)), null, _now);
        f.Periods.Select(p => p.Period).ShouldBe(["2024-Q3", "2024-Q4"]);
        f.Transitions.Sum(t => t.Measures).ShouldBe(3);
    }
}
