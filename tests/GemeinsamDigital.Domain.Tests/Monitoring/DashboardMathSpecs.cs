using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Testing;

namespace GemeinsamDigital.Domain.Tests.Monitoring;

/// <summary>Edge cases of the dashboards' pure math; the full figures are asserted over the scenario in the API tests.</summary>
public class DashboardMathSpecs
{
    private static readonly Guid _id = Guid.Parse("0193c000-0000-7000-8000-000000000001");

    private static MonitoringRow Row(params (IMeasureEvent Event, string At)[] events) =>
        MonitoringRow.Of(MeasureEvolution.Fold(events.Select((e, i) => (e.Event, new EventInfo(i + 1, DateTimeOffset.Parse(e.At + "T09:00:00Z"))))), events.Length);

    private static IMeasureEvent Proposed(string lead = "ba-pankow") => MeasureLifecycle.Propose(_id, SampleCommands.Propose(lead)).Events[0];

    private static IMeasureEvent[] ThroughPilot(DateOnly start, DateOnly end, params (string Id, DateOnly Due)[] milestones)
    {
        var state = MeasureEvolution.Fold([(Proposed(), new EventInfo(1, DateTimeOffset.UnixEpoch))]);
        var events = new List<IMeasureEvent>();
        foreach (var decide in new Func<MeasureState, Decision>[]
        {
            s => MeasureLifecycle.Decide(s, SampleCommands.UnderstandProblem()),
            s => MeasureLifecycle.Decide(s, SampleCommands.DefineGoals()),
            s => MeasureLifecycle.Decide(s, SampleCommands.Mandate("ba-pankow", "ba-mitte")),
            s => MeasureLifecycle.Decide(s, new StartPilot("Plan.", start, end, [.. milestones.Select(m => new MilestoneInput(m.Id, m.Id, m.Due))])),
        })
        {
            var e = decide(state).Events.Single();
            state = MeasureEvolution.Evolve(state, e, new EventInfo(state.Version + 1, DateTimeOffset.UnixEpoch));
            events.Add(e);
        }
        return [.. events];
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 0.9, 3.7)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 0.9, 3.7)]
    [InlineData(new[] { 7.0 }, 0.9, 7)]
    [InlineData(new[] { 1.0, 100 }, 0.5, 50.5)]
    public void Percentiles_interpolate_linearly_between_closest_ranks(double[] values, double p, double expected) =>
        DashboardMath.Percentile([.. values.Select(v => (decimal)v)], (decimal)p).ShouldBe((decimal)expected);

    [Fact]
    public void No_values_have_no_percentile_and_no_whole_has_no_ratio()
    {
        DashboardMath.Percentile([], 0.5m).ShouldBeNull();
        DashboardMath.Ratio(3, 0).ShouldBeNull();
        DashboardMath.Ratio(1, 3).ShouldBe(0.3333m);
        DashboardMath.Ratio(1, 2)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("0.5");
    }

    [Fact]
    public void The_window_keeps_measures_whose_life_overlaps_it()
    {
        var open = Row((Proposed(), "2024-03-01"));
        var withdrawn = Row((Proposed(), "2024-01-01"), (new MeasureWithdrawn("Doppelt."), "2024-02-01"));
        var window = new DashboardFilter(From: new(2024, 2, 2), To: new(2024, 12, 31));

        window.Includes(open).ShouldBeTrue();
        window.Includes(withdrawn).ShouldBeFalse(); // closed the day before the window
        (window with { From = new(2024, 2, 1) }).Includes(withdrawn).ShouldBeTrue(); // closed on its first day
        (window with { To = new(2024, 2, 29) }).Includes(open).ShouldBeFalse(); // proposed after it
        withdrawn.ClosedAt.ShouldBe(DateTimeOffset.Parse("2024-02-01T09:00:00Z"));
        open.ClosedAt.ShouldBeNull();
    }

    [Fact]
    public void A_district_is_in_a_measure_as_lead_or_as_participating_administration()
    {
        var events = ThroughPilot(new(2024, 1, 1), new(2024, 12, 31), ("m1", new(2024, 6, 1)));
        var row = Row([(Proposed(), "2023-10-01"), .. events.Select(e => (e, "2023-11-01"))]);
        row.Districts.ShouldBe(["ba-pankow", "ba-mitte"]);
        new DashboardFilter(District: "ba-mitte").Includes(row).ShouldBeTrue();
        new DashboardFilter(District: "ba-spandau").Includes(row).ShouldBeFalse();
        new DashboardFilter(Lead: "ba-mitte").Includes(row).ShouldBeFalse();
    }

    [Fact]
    public void Overdue_counts_only_unreached_milestones_of_the_running_pilot_due_before_today()
    {
        var pilot = ThroughPilot(new(2024, 1, 1), new(2024, 12, 31), ("a", new(2024, 3, 1)), ("b", new(2024, 4, 1)), ("c", new(2024, 5, 1)));
        var row = Row([(Proposed(), "2023-10-01"), .. pilot.Select(e => (e, "2023-12-01")), (new MilestoneReached("a", new(2024, 2, 28)), "2024-02-28")]);

        var figures = DashboardMath.Overdue([row], DashboardFilter.None, DateTimeOffset.Parse("2024-05-01T23:00:00Z"), 63);
        figures.Milestones.Select(m => (m.MilestoneId, m.DaysOverdue)).ShouldBe([("b", 30)]); // c is due today: not yet overdue
        figures.Inactive.Select(m => m.DaysInactive).ShouldBe([63]); // last event 2024-02-28
        DashboardMath.Overdue([row], DashboardFilter.None, DateTimeOffset.Parse("2024-05-01T23:00:00Z"), 64).Inactive.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(20, 10, 10, "achieved")] // falling target reached
    [InlineData(20, 10, 8, "achieved")] // and passed
    [InlineData(20, 10, 15, "on-track")] // half way on the pilot's middle day
    [InlineData(20, 10, 16, "behind")]
    [InlineData(20, 10, 25, "behind")] // worse than the baseline
    [InlineData(0, 100, 50, "on-track")]
    [InlineData(0, 100, 49, "behind")]
    public void Indicator_status_compares_progress_with_the_elapsed_share_of_the_pilot(int baseline, int target, int value, string status)
    {
        // Pilot 2024-01-01 to 2024-01-21 (20 days); measured on 2024-01-11: expected 0.5.
        var state = MeasureEvolution.Fold([(Proposed(), new EventInfo(1, DateTimeOffset.UnixEpoch))]) with
        {
            Indicators = [new Indicator("i", "I", "n", baseline, target)],
            Pilot = new PilotState(1, "Plan.", new(2024, 1, 1), new(2024, 1, 21)),
            Measurements = [new Measurement("i", value, new(2024, 1, 11), "Zählung")],
        };
        var series = DashboardMath.Indicators([MonitoringRow.Of(state, 1)], DashboardFilter.None).Series.Single();
        series.Expected.ShouldBe(0.5m);
        series.Status.ShouldBe(status);
    }

    [Theory]
    [InlineData(MeasureStage.Idea, null)]
    [InlineData(MeasureStage.ProblemUnderstood, MeasureStage.Idea)]
    [InlineData(MeasureStage.Evaluated, MeasureStage.Evaluation)]
    [InlineData(MeasureStage.Scaled, MeasureStage.Evaluated)]
    [InlineData(MeasureStage.Iterated, MeasureStage.Evaluated)]
    [InlineData(MeasureStage.Stopped, MeasureStage.Evaluated)]
    [InlineData(MeasureStage.Withdrawn, MeasureStage.Idea)]
    [InlineData(MeasureStage.Archived, null)]
    public void Funnel_conversions_are_measured_from_the_stage_before(MeasureStage stage, MeasureStage? from) =>
        DashboardMath.FunnelPredecessor(stage).ShouldBe(from);

    [Fact]
    public void The_scenario_folded_without_a_database_has_the_portfolio_the_api_tests_expect()
    {
        var rows = MonitoringScenario.Measures()
            .Select(m => MonitoringRow.Of(MeasureEvolution.Fold(m.Events.Select((e, i) => (e.Event, new EventInfo(i + 1, e.At)))), 0))
            .ToList();
        var portfolio = DashboardMath.Portfolio(rows, DashboardFilter.None);
        portfolio.Measures.ShouldBe(7);
        portfolio.Stages.Where(s => s.Measures > 0).Select(s => $"{s.Code}|{s.Measures}")
            .ShouldBe(["Idea|1", "GoalsDefined|1", "Pilot|2", "Scaled|1", "Stopped|1", "Withdrawn|1"]);
        rows.Sum(r => r.Measure.Version).ShouldBe(54);
    }
}
