using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Tests.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Controlling;

/// <summary>
/// Due and overdue reports at the period boundaries, with a fixed clock. The sample measure is
/// mandated on 2024-01-04 (the fourth event; Spec stamps one event a day from 2024-01-01).
/// </summary>
public class ReportingDueSpecs
{
    private static readonly Guid _cadenceId = Guid.Parse("0193a000-0000-7000-8000-0000000000ca");

    private static ReportingCadenceState Cadence(params SetReportingCadence[] commands)
    {
        ReportingCadenceState? state = null;
        foreach (var command in commands)
        {
            var decision = command.Decide(state);
            decision.Rejection.ShouldBeNull();
            state = decision.Events.Aggregate(state, (s, e) => ReportingCadenceState.Evolve(s, e, new EventInfo((s?.Version ?? 0) + 1, DateTimeOffset.UnixEpoch), _cadenceId));
        }
        return state!;
    }

    private static readonly ReportingCadenceState _quarterly10 = Cadence(new SetReportingCadence(null, "quarterly", 10));

    private static List<DueReport> On(MeasureState measure, ReportingCadenceState cadence, string day) =>
        [.. ReportingDue.Of(measure, cadence, DateOnly.Parse(day))];

    [Fact]
    public void Nothing_is_due_while_the_first_period_runs_including_its_last_day() =>
        On(Histories.StateIn(MeasureStage.Mandated), _quarterly10, "2024-03-31").ShouldBeEmpty();

    [Fact]
    public void The_day_after_the_period_ends_its_report_is_due_through_the_due_day_and_overdue_the_day_after()
    {
        var mandated = Histories.StateIn(MeasureStage.Mandated);
        var due = On(mandated, _quarterly10, "2024-04-01").ShouldHaveSingleItem();
        (due.Period, due.PeriodEnd, due.DueOn, due.Status, due.DaysOverdue).ShouldBe(("2024-Q1", new DateOnly(2024, 3, 31), new DateOnly(2024, 4, 10), ReportingDue.Due, 0));
        On(mandated, _quarterly10, "2024-04-10").ShouldHaveSingleItem().Status.ShouldBe(ReportingDue.Due);
        var overdue = On(mandated, _quarterly10, "2024-04-11").ShouldHaveSingleItem();
        (overdue.Status, overdue.DaysOverdue).ShouldBe((ReportingDue.Overdue, 1));
        On(mandated, _quarterly10, "2024-07-01").Select(r => (r.Period, r.Status)).ShouldBe([("2024-Q1", ReportingDue.Overdue), ("2024-Q2", ReportingDue.Due)]);
    }

    [Fact]
    public void A_report_for_the_period_takes_it_off_the_list_and_a_report_for_another_period_does_not()
    {
        var history = Histories.Then(Histories.For(MeasureStage.Mandated), SampleCommands.ReportStatus() with { Period = "2024-03", On = new DateOnly(2024, 3, 31) });
        On(Given(history), _quarterly10, "2024-04-11").ShouldHaveSingleItem().Period.ShouldBe("2024-Q1");
        history = Histories.Then(history, SampleCommands.ReportStatus() with { Period = "2024-Q1", On = new DateOnly(2024, 3, 31) });
        On(Given(history), _quarterly10, "2024-04-11").ShouldBeEmpty();
    }

    [Fact]
    public void A_rule_asks_from_the_period_it_was_first_set_in_and_a_new_due_day_keeps_that_start_while_a_new_frequency_starts_afresh()
    {
        ReportingCadenceState Set(ReportingCadenceState? state, SetReportingCadence command, string at) =>
            command.Decide(state).Events.Aggregate(state, (s, e) =>
                ReportingCadenceState.Evolve(s, e, new EventInfo((s?.Version ?? 0) + 1, DateTimeOffset.Parse(at)), _cadenceId))!;
        var mandated = Histories.StateIn(MeasureStage.Mandated);

        // Set in May 2024 for a measure mandated in January: Q1 is not asked for, Q2 (holding the day it was set) is.
        var quarterly = Set(null, new SetReportingCadence(null, "quarterly", 10), "2024-05-15T08:00:00Z");
        On(mandated, quarterly, "2024-10-20").Select(r => r.Period).ShouldBe(["2024-Q2", "2024-Q3"]);
        var laterDue = Set(quarterly, new SetReportingCadence(null, "quarterly", 30), "2024-09-01T08:00:00Z");
        laterDue.Rules.Single().Since.ShouldBe(quarterly.Rules.Single().Since);
        On(mandated, laterDue, "2024-10-20").Select(r => (r.Period, r.Status)).ShouldBe([("2024-Q2", ReportingDue.Overdue), ("2024-Q3", ReportingDue.Due)]);
        var monthly = Set(laterDue, new SetReportingCadence(null, "monthly", 0), "2024-10-05T08:00:00Z");
        On(mandated, monthly, "2024-12-01").Select(r => r.Period).ShouldBe(["2024-10", "2024-11"]);
    }

    [Fact]
    public void Monthly_cadences_ask_each_month_and_due_days_zero_means_due_on_the_last_day()
    {
        var monthly = Cadence(new SetReportingCadence(null, "monthly", 0));
        var mandated = Histories.StateIn(MeasureStage.Mandated);
        On(mandated, monthly, "2024-01-31").ShouldBeEmpty();
        On(mandated, monthly, "2024-02-01").ShouldHaveSingleItem().Status.ShouldBe(ReportingDue.Overdue);
        On(mandated, monthly, "2024-03-01").Select(r => r.Period).ShouldBe(["2024-01", "2024-02"]);
    }

    [Fact]
    public void A_rule_for_the_measures_type_overrides_the_rule_for_all_and_none_asks_for_nothing()
    {
        var mandated = Histories.StateIn(MeasureStage.Mandated);
        mandated.Type.ShouldBe("dezentral");
        var typed = Cadence(new SetReportingCadence(null, "quarterly", 10), new SetReportingCadence("dezentral", "monthly", 5));
        On(mandated, typed, "2024-02-06").ShouldHaveSingleItem().Period.ShouldBe("2024-01");
        On(mandated, Cadence(new SetReportingCadence(null, "quarterly", 10), new SetReportingCadence("dezentral", "none", 0)), "2025-01-01").ShouldBeEmpty();
        On(mandated, Cadence(new SetReportingCadence("zentral", "quarterly", 10)), "2025-01-01").ShouldBeEmpty();
    }

    [Fact]
    public void Before_the_mandate_nothing_is_due_and_after_a_stop_only_periods_that_ended_before_it()
    {
        On(Histories.StateIn(MeasureStage.GoalsDefined), _quarterly10, "2025-01-01").ShouldBeEmpty();
        // The sample stopped measure is stopped on its ninth day (2024-01-09): Q1 had not ended.
        On(Histories.StateIn(MeasureStage.Stopped), _quarterly10, "2025-01-01").ShouldBeEmpty();
        On(Histories.StateIn(MeasureStage.Evaluated), _quarterly10, "2024-07-01").Select(r => r.Period).ShouldBe(["2024-Q1", "2024-Q2"]);
    }

    [Fact]
    public void Setting_the_cadence_validates_and_refuses_a_setting_that_changes_nothing()
    {
        new SetReportingCadence("fantasie", "weekly", 400).Decide(null).Rejection.ShouldBeOfType<InvalidCommand>()
            .Errors.Keys.Order().ShouldBe(["dueDays", "frequency", "measureType"]);
        new SetReportingCadence(null, "quarterly", 10).Decide(_quarterly10).Rejection.ShouldBeOfType<RuleViolated>();
        var changed = new SetReportingCadence(null, "quarterly", 20).Decide(_quarterly10);
        changed.Events.ShouldBe([new ReportingCadenceSet(null, "quarterly", 20)]);
    }

    [Fact]
    public void The_figures_count_due_and_overdue_per_lead_administration_within_the_filter()
    {
        var rows = new[] { MonitoringRow.Of(Histories.StateIn(MeasureStage.Mandated), 1), MonitoringRow.Of(Histories.StateIn(MeasureStage.Pilot) with { Id = Guid.NewGuid() }, 2) };
        var figures = ReportingDue.Figures(rows, DashboardFilter.None, _quarterly10, new DateTimeOffset(2024, 7, 5, 12, 0, 0, TimeSpan.Zero));
        figures.Today.ShouldBe(new DateOnly(2024, 7, 5));
        figures.Reports.Count.ShouldBe(4);
        figures.Administrations.ShouldBe([new DueByAdministration(SampleCommands.Lead, 2, 2)]);
        ReportingDue.Figures(rows, new DashboardFilter(Lead: "ba-mitte"), _quarterly10, new DateTimeOffset(2024, 7, 5, 12, 0, 0, TimeSpan.Zero)).Reports.ShouldBeEmpty();
    }
}
