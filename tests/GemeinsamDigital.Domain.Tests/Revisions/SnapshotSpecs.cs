using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Revisions;
using static GemeinsamDigital.Domain.Tests.Revisions.RevisionSpec;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>The snapshot as a pure function of the events up to one sequence, and its canonical hash.</summary>
public class SnapshotSpecs
{
    private static readonly Guid _a = Guid.Parse("0193a000-0000-7000-8000-00000000000a");
    private static readonly Guid _b = Guid.Parse("0193a000-0000-7000-8000-00000000000b");
    private static readonly Guid _c = Guid.Parse("0193a000-0000-7000-8000-00000000000c");

    /// <summary>A evaluated, then stopped; B in its pilot with a measurement; C iterated. Sequences in recording order.</summary>
    private static (EventLog Log, long AfterFirstRound) Scenario()
    {
        var log = new EventLog()
            .Record(Measure(_a, MeasureStage.Evaluated))
            .Record(Then(Measure(_b, MeasureStage.Pilot, "ba-neukoelln"), SampleCommands.RecordMeasurement()));
        var afterFirstRound = log.Sequence;
        log.Record(Then(Measure(_a, MeasureStage.Evaluated), SampleCommands.Stop()))
            .Record(Measure(_c, MeasureStage.Iterated, "skzl"));
        return (log, afterFirstRound);
    }

    [Fact]
    public void The_snapshot_reflects_exactly_the_events_up_to_its_sequence()
    {
        var (log, n) = Scenario();
        var snapshot = RevisionSnapshots.Build(Given(Opened()), log.Events, n);

        snapshot.AsOfSequence.ShouldBe(n);
        snapshot.Measures.Select(m => (m.Id, m.Stage)).ShouldBe([(_a, MeasureStage.Evaluated), (_b, MeasureStage.Pilot)]);
        var rows = MonitoringRows.Fold(log.Events.Where(e => e.Sequence <= n));
        snapshot.Portfolio.ShouldEqualAsJson(DashboardMath.Portfolio(rows, DashboardFilter.None), "the portfolio figures of the read side");
        snapshot.Indicators.ShouldBe(DashboardMath.Indicators(rows, DashboardFilter.None).Summary);
        // Later events change nothing: the same snapshot from every event, or from only those up to n.
        SnapshotHash.Compute(snapshot).ShouldBe(SnapshotHash.Compute(RevisionSnapshots.Build(Given(Opened()), log.Events.Where(e => e.Sequence <= n), n)));
    }

    [Fact]
    public void Each_measure_carries_its_stage_and_key_facts()
    {
        var (log, n) = Scenario();
        var b = RevisionSnapshots.Build(Given(Opened()), log.Events, n).Measures.Single(m => m.Id == _b);
        var bEvents = log.Events.Where(e => e.MeasureId == _b).ToList();

        b.ShouldBe(b with
        {
            Version = bEvents.Count,
            Sequence = bEvents[^1].Sequence,
            Title = "Smart Space Hardenbergplatz",
            Type = "dezentral",
            Lead = "ba-neukoelln",
            Stage = MeasureStage.Pilot,
            StageEnteredAt = bEvents.Single(e => e.Event is PilotStarted).At,
            PilotCycle = 1,
            Outcome = null,
        });
        b.Participating.ShouldBe(["senmvku", "sensbw"]);
        b.Perspectives.ShouldBe(["zp1", "zp2"]);
        b.Contributions.ShouldBe([new("nachhaltig", 2), new("gemeinwohlorientiert", 3), new("resilient", 1), new("kooperativ", 3)]);
        // 9.5 on 2024-09-01 against baseline 5, target 15: progress 0.45; 184 of 364 pilot days elapsed (0.5055): behind.
        b.Indicators.ShouldBe([new SnapshotIndicator("aufenthalt", "Aufenthaltsdauer", "min", 5, 15, 9.5m, new DateOnly(2024, 9, 1), 0.45m, IndicatorStatus.Behind)]);
        b.StageHistory.Select(h => h.Stage).ShouldBe([MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated, MeasureStage.Pilot]);
    }

    [Fact]
    public void Lessons_of_measures_are_linked_from_after_the_previous_snapshot_up_to_this_one()
    {
        var (log, n) = Scenario();
        var first = RevisionSnapshots.Build(Given(Opened()), log.Events, n);
        var evaluation = log.Events.Single(e => e.MeasureId == _a && e.Event is EvaluationCompleted);
        first.Lessons.ShouldEqualAsJson([new RevisionLesson(LessonSource.Evaluation, "Früh beteiligen.", evaluation.At, null, _a, evaluation.Version, evaluation.Sequence, [], [])]);

        var second = RevisionSnapshots.Build(Given(Opened(since: n)), log.Events, log.Sequence);
        second.Lessons.Select(l => (l.Source, l.MeasureId, l.Text)).ShouldBe(
        [
            (LessonSource.Stop, _a, "Ziele früher schärfen."),
            (LessonSource.Evaluation, _c, "Früh beteiligen."),
            (LessonSource.Iteration, _c, "Zweiter Zyklus mit mehr Sitzgelegenheiten."),
        ]);
        second.Lessons.Select(l => l.MeasureSequence).ShouldBeInOrder();
        second.Lessons.ShouldAllBe(l => l.MeasureSequence > n && l.MeasureVersion > 0);
    }

    [Fact]
    public void Office_lessons_come_first_in_the_order_entered()
    {
        var (log, n) = Scenario();
        var phase = Given(Opened(), new RevisionLessonRecorded(1, "Beteiligung früher einplanen.", _a, ["kooperativ"], []));
        var lessons = RevisionSnapshots.Build(phase, log.Events, n).Lessons;
        lessons.Select(l => l.Source).ShouldBe([LessonSource.Office, LessonSource.Evaluation]);
        lessons[0].ShouldEqualAsJson(new RevisionLesson(LessonSource.Office, "Beteiligung früher einplanen.", T0.AddDays(1), 1, _a, null, null, ["kooperativ"], []));
    }

    [Fact]
    public void A_scope_selects_measures_figures_and_linked_lessons_as_the_dashboards_filter_does()
    {
        var (log, _) = Scenario();
        var scoped = RevisionSnapshots.Build(Given(Opened(scope: new RevisionScope(null, null, null, null) with { Lead = "skzl" })), log.Events, log.Sequence);
        scoped.Measures.Select(m => m.Id).ShouldBe([_c]);
        scoped.Portfolio.Measures.ShouldBe(1);
        scoped.Lessons.ShouldAllBe(l => l.MeasureId == _c);
        scoped.Lessons.Count.ShouldBe(2);
    }

    [Fact]
    public void The_hash_is_over_the_canonical_json_sorted_compact_and_with_plain_numbers()
    {
        var at = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
        var snapshot = new RevisionSnapshot(1, PhaseId, "Revisionsphase 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31),
            new RevisionScope(null, "skzl", null, null), null, 0, 7,
            [new SnapshotMeasure(_a, 3, 7, "Tür \"A\"\n\u0001", "zentral", "skzl", [], ["zp7"], MeasureStage.GoalsDefined, at, 0, null,
                [new SnapshotContribution("kooperativ", 3)],
                [new SnapshotIndicator("i", "I", "%", 5.0m, 15m, 9.50m, new DateOnly(2025, 2, 1), 0.4500m, "on-track")],
                [new StageEntry(MeasureStage.Idea, at, 1)])],
            new PortfolioFigures(1, 1, [], [], [], [new PrincipleFigure("kooperativ", "Kooperativ", 1, 3, 1.00m, 0.50m)], [], []),
            new IndicatorSummary(1, 1, 0, 1, 0, 0, 1.0000m),
            []);

        SnapshotHash.CanonicalJson(snapshot).ShouldBe(
            """{"asOfSequence":7,"format":1,"from":"2025-01-01","indicators":{"achieved":0,"behind":0,"indicators":1,"measured":1,"noData":0,"onTrack":1,"shareOnTrack":1},"lessons":[],"measures":[{"contributions":[{"principle":"kooperativ","weight":3}],"id":"0193a000-0000-7000-8000-00000000000a","indicators":[{"baseline":5,"code":"i","latest":9.5,"latestOn":"2025-02-01","name":"I","progress":0.45,"status":"on-track","target":15,"unit":"%"}],"lead":"skzl","participating":[],"perspectives":["zp7"],"pilotCycle":0,"sequence":7,"stage":"GoalsDefined","stageEnteredAt":"2025-01-06T09:00:00+00:00","stageHistory":[{"enteredAt":"2025-01-06T09:00:00+00:00","stage":"Idea","version":1}],"title":"Tür \"A\"\n\u0001","type":"zentral","version":3}],"name":"Revisionsphase 2025","phaseId":"0193b000-0000-7000-8000-0000000000a1","portfolio":{"districts":[],"leads":[],"measures":1,"measuresWithGoals":1,"perspectives":[],"principles":[{"code":"kooperativ","label":"Kooperativ","measures":1,"share":0.5,"weightSum":3,"weighted":1}],"stages":[],"types":[]},"scope":{"lead":"skzl"},"sinceSequence":0,"to":"2025-12-31"}""");
        // SHA-256 of those UTF-8 bytes, computed independently (Python hashlib).
        SnapshotHash.Compute(snapshot).ShouldBe("347517e08c60330fe6facf89b515a838b2ed84126d51e290fa80c23a7e8484c1");

        // Stored names stay in the hash: a stage is written as stored ("ProblemUnderstood", as the
        // snapshots closed so far hold it), never in the wire's kebab-case, so their hashes stay valid.
        var staged = snapshot with { Portfolio = snapshot.Portfolio with { Stages = [new StageFigure(MeasureStage.ProblemUnderstood, "Problem verstanden", 1)] } };
        SnapshotHash.CanonicalJson(staged).ShouldBe(SnapshotHash.CanonicalJson(snapshot).Replace(
            "\"stages\":[]", "\"stages\":[{\"code\":\"ProblemUnderstood\",\"label\":\"Problem verstanden\",\"measures\":1}]"));
        SnapshotHash.Compute(staged).ShouldBe("0ee662b5dd2014eb12c8e051f65d77ffa888cc0ec55b9e669feb7b756e257e60");

        // Equal values hash alike whatever their scale; any change of content changes the hash.
        var rescaled = snapshot with { Indicators = snapshot.Indicators with { ShareOnTrack = 1m } };
        SnapshotHash.Compute(rescaled).ShouldBe(SnapshotHash.Compute(snapshot));
        SnapshotHash.Compute(snapshot with { AsOfSequence = 8 }).ShouldNotBe(SnapshotHash.Compute(snapshot));
        SnapshotHash.DifferingMembers(snapshot, snapshot with { AsOfSequence = 8, Name = "x" }).ShouldBe(["asOfSequence", "name"]);
        SnapshotHash.DifferingMembers(snapshot, rescaled).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("9.50", "9.5")]
    [InlineData("3.0", "3")]
    [InlineData("-0.0", "0")]
    [InlineData("120", "120")]
    [InlineData("-2.5000", "-2.5")]
    [InlineData("0.0001", "0.0001")]
    public void Numbers_are_written_in_their_shortest_plain_form(string raw, string canonical) =>
        SnapshotHash.Number(raw).ShouldBe(canonical);

    /// <summary>
    /// Snapshot numbers are decimals: at the edges of their range and scale the canonical writer
    /// (shared with event hashes) must spell them exactly as snapshots of closed phases were hashed.
    /// </summary>
    [Theory]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("1.0000000000000000000000000000", "1")]
    [InlineData("7.9228162514264337593543950335", "7.9228162514264337593543950335")]
    [InlineData("1200.00", "1200")]
    public void Decimals_keep_their_spelling_at_the_edges_of_their_range(string raw, string canonical) =>
        SnapshotHash.Number(raw).ShouldBe(canonical);
}
