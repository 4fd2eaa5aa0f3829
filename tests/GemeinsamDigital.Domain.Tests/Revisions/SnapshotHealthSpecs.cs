using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using static GemeinsamDigital.Domain.Tests.Revisions.RevisionSpec;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>Snapshots carry each measure's latest status report from format 2 on; comparisons list health changes.</summary>
public class SnapshotHealthSpecs
{
    private static readonly Guid _a = Guid.Parse("0193a000-0000-7000-8000-0000000000a1");
    private static readonly Guid _b = Guid.Parse("0193a000-0000-7000-8000-0000000000b1");
    private static readonly Guid _c = Guid.Parse("0193a000-0000-7000-8000-0000000000c1");

    private static ReportStatus Report(string period, string health, DateOnly on) =>
        SampleCommands.ReportStatus() with { Period = period, Health = health, On = on };

    /// <summary>A reports Q2 on track; B is mandated without a report; C reports Q2 at risk. Then A reports Q3 off track, twice (corrected), B Q3 on track.</summary>
    private static (EventLog Log, long First) Scenario()
    {
        var a = Then(Measure(_a, MeasureStage.Pilot), Report("2024-Q2", "on-track", new DateOnly(2024, 6, 30)));
        var b = Measure(_b, MeasureStage.Mandated);
        var c = Then(Measure(_c, MeasureStage.Pilot), Report("2024-Q2", "at-risk", new DateOnly(2024, 6, 30)));
        var log = new EventLog().Record(a).Record(b).Record(c);
        var first = log.Sequence;
        a = Then(a, Report("2024-Q3", "at-risk", new DateOnly(2024, 9, 30)));
        a = Then(a, Report("2024-Q3", "off-track", new DateOnly(2024, 9, 30)) with { Narrative = "Korrigiert." });
        log.Record(a).Record(Then(b, Report("2024-Q3", "on-track", new DateOnly(2024, 9, 30))));
        return (log, first);
    }

    [Fact]
    public void Format_2_carries_the_latest_report_of_each_measure_and_format_1_none()
    {
        var (log, _) = Scenario();
        var snapshot = RevisionSnapshots.Build(Given(Opened()), log.Events, log.Sequence);
        snapshot.Format.ShouldBe(2);
        var a = snapshot.Measures.Single(m => m.Id == _a).LatestReport.ShouldNotBeNull();
        (a.Period, a.Health, a.Narrative, a.Revision).ShouldBe(("2024-Q3", "off-track", "Korrigiert.", 2));
        a.ReportedAt.Offset.ShouldBe(TimeSpan.Zero);
        snapshot.Measures.Single(m => m.Id == _c).LatestReport!.Health.ShouldBe("at-risk");

        var format1 = RevisionSnapshots.Build(Given(Opened()), log.Events, log.Sequence, format: 1);
        format1.Format.ShouldBe(1);
        format1.Measures.ShouldAllBe(m => m.LatestReport == null);
        SnapshotHash.CanonicalJson(format1).ShouldNotContain("latestReport", Case.Sensitive, "a format-1 snapshot keeps its content, so its hash stays valid");
        SnapshotHash.CanonicalJson(format1).ShouldBe(SnapshotHash.CanonicalJson(snapshot with
        {
            Format = 1,
            Measures = [.. snapshot.Measures.Select(m => m with { LatestReport = null })],
        }), "format 2 differs from format 1 only by the reports");
        Should.Throw<ArgumentOutOfRangeException>(() => RevisionSnapshots.Build(Given(Opened()), log.Events, log.Sequence, format: 3));
    }

    [Fact]
    public void The_comparison_counts_health_per_snapshot_and_lists_each_measure_whose_health_or_period_moved()
    {
        var (log, n) = Scenario();
        var first = RevisionSnapshots.Build(Given(Opened()), log.Events, n);
        var second = RevisionSnapshots.Build(Given(Opened(since: n)), log.Events, log.Sequence);

        var c = RevisionComparisons.Compare(first, "h1", second, "h2");

        c.Health.Select(h => (h.Code, h.From, h.To, h.Delta)).ShouldBe(
        [
            ("on-track", 1, 1, 0),
            ("at-risk", 1, 1, 0),
            ("off-track", 0, 1, 1),
            ("paused", 0, 0, 0),
        ]);
        c.Health[0].Label.ShouldBe(StatusHealth.Label("on-track"));
        c.HealthChanges.ShouldBe(
        [
            new HealthMovement(_a, "Smart Space Hardenbergplatz", "2024-Q2", "on-track", "2024-Q3", "off-track"),
            new HealthMovement(_b, "Smart Space Hardenbergplatz", null, null, "2024-Q3", "on-track"),
        ]);
        RevisionComparisons.Compare(second, "h2", second, "h2").HealthChanges.ShouldBeEmpty();
    }
}
