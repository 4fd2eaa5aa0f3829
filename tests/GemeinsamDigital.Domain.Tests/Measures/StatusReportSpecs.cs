using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Histories;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Status reports: which stages allow them is in <see cref="LifecycleTableSpecs"/>; here the rules and the state they build.</summary>
public class StatusReportSpecs
{
    private static ReportStatus Report(string period, string health, DateOnly on, string narrative = "Läuft.") =>
        SampleCommands.ReportStatus() with { Period = period, Health = health, On = on, Narrative = narrative };

    [Fact]
    public void A_report_records_period_health_narrative_lists_progress_and_date_as_the_first_of_its_period()
    {
        var reported = When(StateIn(MeasureStage.Pilot), SampleCommands.ReportStatus()).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<StatusReported>();
        reported.ShouldBe(new StatusReported("2024-Q2", "at-risk", "Sensoren installiert; die erste Auswertung verzögert sich wegen Lieferverzugs.",
            reported.Blockers, reported.NextSteps, 40, new DateOnly(2024, 6, 28), 1));
        reported.Blockers.ShouldBe(["Lieferverzug der Sensoren"]);
        reported.NextSteps.ShouldBe(["Auswertung bis Dezember nachholen"]);
    }

    [Fact]
    public void The_state_carries_the_latest_report_and_one_health_entry_per_period()
    {
        var history = Then(For(MeasureStage.Pilot), Report("2024-Q2", StatusHealth.OnTrack, new DateOnly(2024, 6, 30)));
        history = Then(history, Report("2024-Q3", StatusHealth.AtRisk, new DateOnly(2024, 9, 30), "Verzug."));
        var state = Given(history);

        state.LatestStatusReport!.Period.ShouldBe("2024-Q3");
        state.LatestStatusReport.Health.ShouldBe(StatusHealth.AtRisk);
        state.LatestStatusReport.Narrative.ShouldBe("Verzug.");
        state.LatestStatusReport.Version.ShouldBe(state.Version);
        state.HealthHistory.Select(h => (h.Period, h.Health)).ShouldBe([("2024-Q2", StatusHealth.OnTrack), ("2024-Q3", StatusHealth.AtRisk)]);
    }

    [Fact]
    public void A_second_report_for_the_same_period_supersedes_the_first_and_both_stay_in_the_history()
    {
        var first = Then(For(MeasureStage.Pilot), Report("2024-Q2", StatusHealth.OnTrack, new DateOnly(2024, 6, 15)));
        var second = When(Given(first), Report("2024-Q2", StatusHealth.OffTrack, new DateOnly(2024, 6, 30), "Korrektur."))
            .ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<StatusReported>();
        second.Revision.ShouldBe(2);

        IMeasureEvent[] history = [.. first, second];
        history.OfType<StatusReported>().Select(r => r.Health).ShouldBe([StatusHealth.OnTrack, StatusHealth.OffTrack]);
        var state = Given(history);
        state.HealthHistory.ShouldHaveSingleItem().ShouldBe(new HealthEntry("2024-Q2", StatusHealth.OffTrack, new DateOnly(2024, 6, 30), 2, state.LastActivityAt, state.Version));
        state.LatestStatusReport!.Narrative.ShouldBe("Korrektur.");
        state.StatusReportCount("2024-Q2").ShouldBe(2);
    }

    [Fact]
    public void A_late_report_for_an_earlier_period_joins_the_health_history_in_period_order_and_leaves_the_latest_report()
    {
        var history = Then(For(MeasureStage.Pilot), Report("2024-Q3", StatusHealth.AtRisk, new DateOnly(2024, 9, 30)));
        var state = Given(Then(history, Report("2024-Q2", StatusHealth.OnTrack, new DateOnly(2024, 6, 30))));

        state.HealthHistory.Select(h => h.Period).ShouldBe(["2024-Q2", "2024-Q3"]);
        state.LatestStatusReport!.Period.ShouldBe("2024-Q3");
    }

    [Fact]
    public void Monthly_periods_are_reports_too()
    {
        var state = Given(Then(For(MeasureStage.Mandated), Report("2024-03", StatusHealth.Paused, new DateOnly(2024, 3, 31))));
        state.LatestStatusReport!.Period.ShouldBe("2024-03");
        state.LatestStatusReport.Health.ShouldBe(StatusHealth.Paused);
    }

    [Theory]
    [InlineData("2024-Q2", "2024-07-01")]
    [InlineData("2024-Q2", "2024-03-31")]
    [InlineData("2024-06", "2024-05-31")]
    public void The_date_a_report_describes_lies_within_its_period(string period, string on) =>
        When(StateIn(MeasureStage.Pilot), Report(period, StatusHealth.OnTrack, DateOnly.Parse(on)))
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);

    [Fact]
    public void A_report_dated_after_tomorrow_is_refused_by_the_clock_rule()
    {
        var today = new DateOnly(2024, 5, 10);
        MeasureLifecycle.Decide(StateIn(MeasureStage.Pilot), Report("2024-Q2", StatusHealth.OnTrack, today.AddDays(2)), today)
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["on"]);
        MeasureLifecycle.Decide(StateIn(MeasureStage.Pilot), Report("2024-Q2", StatusHealth.OnTrack, today), today).ThenEvents().ShouldHaveSingleItem();
    }

    [Fact]
    public void Reporting_periods_parse_into_their_first_and_last_day_and_order_in_time()
    {
        ReportingPeriod.TryParse("2026-Q1", out var q1).ShouldBeTrue();
        (q1.Start, q1.End, q1.Frequency).ShouldBe((new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), ReportingFrequency.Quarterly));
        ReportingPeriod.TryParse("2024-02", out var feb).ShouldBeTrue();
        (feb.Start, feb.End).ShouldBe((new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29)));
        q1.Next().Code.ShouldBe("2026-Q2");
        ReportingPeriod.Quarter(2025, 4).Next().Code.ShouldBe("2026-Q1");
        ReportingPeriod.Containing(ReportingFrequency.Monthly, new DateOnly(2026, 12, 31)).Next().Code.ShouldBe("2027-01");
        ReportingPeriod.TryParse("2026-03", out var march).ShouldBeTrue();
        new[] { q1, march, ReportingPeriod.Month(2026, 2) }.Order().Select(p => p.Code).ShouldBe(["2026-02", "2026-03", "2026-Q1"]);
        foreach (var bad in new[] { "2026-q1", "2026-3", "2026-13", "1999-Q1", "2026-Q1 ", "" })
        {
            ReportingPeriod.TryParse(bad, out _).ShouldBeFalse(bad);
        }
    }
}
