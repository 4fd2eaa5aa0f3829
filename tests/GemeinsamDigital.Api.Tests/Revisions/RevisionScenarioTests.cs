using GemeinsamDigital.Domain.Controlling;
using System.Net;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>
/// Two revision phases closed around a known set of measure events (driven through the API):
/// the snapshots' exact content, their hashes recomputed after more events, the comparison's
/// exact result, and the CSV form.
/// </summary>
public class RevisionScenarioTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);
    private readonly RevisionDriver _revisions = new(api.Client);

    private static readonly DateOnly _from2025 = new(2025, 1, 1);
    private static readonly DateOnly _to2025 = new(2025, 12, 31);
    private static readonly DateOnly _from2026 = new(2026, 1, 1);
    private static readonly DateOnly _to2026 = new(2026, 12, 31);

    private static RecordMeasurement Measured(decimal value, DateOnly on) => SampleCommands.RecordMeasurement() with { Value = value, On = on };

    private async Task<Guid> Propose(string lead, string title, string type = "dezentral", string[]? perspectives = null) =>
        await _measures.Propose(SampleCommands.Propose(lead, title) with { Type = type, Perspectives = perspectives ?? ["zp1", "zp2"] });

    private async Task ToPilot(Guid id, string lead)
    {
        await _measures.Send(id, SampleCommands.UnderstandProblem());
        await _measures.Send(id, SampleCommands.DefineGoals());
        await _measures.Send(id, SampleCommands.Mandate(lead));
        await _measures.Send(id, SampleCommands.StartPilot());
    }

    [Fact]
    public async Task Two_phases_closed_around_known_events_give_exact_snapshots_reproducible_hashes_and_an_exact_comparison()
    {
        // Phase 1: five measures in five stages, one office lesson.
        var p1 = await _revisions.Open("Revisionsphase 2025", _from2025, _to2025);
        var a = await Propose("ba-charlottenburg-wilmersdorf", "Smart Space Hardenbergplatz");
        await ToPilot(a, "ba-charlottenburg-wilmersdorf");
        await _measures.Send(a, Measured(12m, new DateOnly(2024, 9, 1)));
        await _measures.Send(a, SampleCommands.StartEvaluation());
        await _measures.Send(a, SampleCommands.CompleteEvaluation());
        var b = await Propose("ba-pankow", "Kiezbox 2.0 – Daten in Alltag und Krise");
        await ToPilot(b, "ba-pankow");
        await _measures.Send(b, Measured(9.5m, new DateOnly(2024, 9, 1)));
        var c = await Propose("ba-neukoelln", "Parksensoren im Wirtschaftsverkehr");
        await ToPilot(c, "ba-neukoelln");
        await _measures.Send(c, Measured(9.5m, new DateOnly(2024, 9, 1)));
        var d = await Propose("tsb", "Gieß-App für Straßenbäume");
        await _measures.Send(d, SampleCommands.UnderstandProblem());
        await _measures.Send(d, SampleCommands.DefineGoals());
        var e = await Propose("skzl", "Urbane Datenplattform");
        await _revisions.Lesson(p1, "Beteiligung früher einplanen.", a, ["kooperativ"], ["zp5"]);
        var closed1 = await _revisions.Close(p1);

        // Phase 2: a scaled, b measured lower, c measured at target and stopped, d mandated, e untouched, f new.
        var p2 = await _revisions.Open("Revisionsphase 2026", _from2026, _to2026);
        await _measures.Send(a, SampleCommands.Scale());
        await _measures.Send(b, Measured(7m, new DateOnly(2025, 1, 15)));
        await _measures.Send(c, Measured(15m, new DateOnly(2025, 2, 1)));
        await _measures.Send(c, SampleCommands.StartEvaluation());
        await _measures.Send(c, SampleCommands.CompleteEvaluation());
        await _measures.Send(c, SampleCommands.Stop());
        await _measures.Send(d, SampleCommands.Mandate("tsb"));
        var f = await Propose("skzl", "Datenkompetenzzentrum der Verwaltung", "zentral", ["zp7"]);
        await _measures.Send(f, SampleCommands.UnderstandProblem());
        await _measures.Send(f, SampleCommands.DefineGoals() with { Perspectives = ["zp7"] });
        await _revisions.Lesson(p2, "Ziele messbar formulieren.", null, ["nachhaltig"]);
        var closed2 = await _revisions.Close(p2);

        var events = new Dictionary<Guid, List<MeasureEventView>>();
        foreach (var id in new[] { a, b, c, d, e, f })
        {
            events[id] = await _measures.Events(id);
        }
        var phase1 = await _revisions.Get(p1);
        var phase2 = await _revisions.Get(p2);

        // The store's highest sequence at each close: the phase's own lesson, recorded last before it.
        var n1 = events.Values.SelectMany(x => x).Where(x => x.Sequence < events[a].Single(v => v.Version == 9).Sequence).Max(x => x.Sequence) + 1;
        closed1.AsOfSequence.ShouldBe(n1);
        closed2.AsOfSequence.ShouldBe(events.Values.SelectMany(x => x).Max(x => x.Sequence) + 1);
        var n2 = closed2.AsOfSequence!.Value;

        // --- Snapshot 1, exactly.
        SnapshotMeasure Measure(Guid id, int version, string title, string type, string lead, string[] participating, string[] perspectives,
            MeasureStage stage, int cycle, string? outcome, bool goals, SnapshotIndicator? indicator, params (int Version, MeasureStage Stage)[] history)
        {
            var stream = events[id];
            var stages = history.Select(h => new StageEntry(h.Stage, stream[h.Version - 1].Timestamp.ToUniversalTime(), h.Version)).ToList();
            return new SnapshotMeasure(id, version, stream[version - 1].Sequence, title, type, lead, participating, perspectives, stage, stages[^1].EnteredAt, cycle, outcome,
                goals ? [new("nachhaltig", 2), new("gemeinwohlorientiert", 3), new("resilient", 1), new("kooperativ", 3)] : [],
                indicator is null ? [] : [indicator], stages);
        }
        static SnapshotIndicator Aufenthalt(decimal? latest, DateOnly? on, decimal? progress, string status) =>
            new("aufenthalt", "Aufenthaltsdauer", "min", 5, 15, latest, on, progress, status);
        (int, MeasureStage)[] toPilot = [(1, MeasureStage.Idea), (2, MeasureStage.ProblemUnderstood), (3, MeasureStage.GoalsDefined), (4, MeasureStage.Mandated), (5, MeasureStage.Pilot)];
        string[] team = ["senmvku", "sensbw"];
        string[] zp12 = ["zp1", "zp2"];
        // a: 12 on 2024-09-01, progress 0.7 ≥ 184/364 of the pilot elapsed (0.5055): on track. b, c: 9.5 → 0.45: behind.
        var a1 = Measure(a, 8, "Smart Space Hardenbergplatz", "dezentral", "ba-charlottenburg-wilmersdorf", team, zp12, MeasureStage.Evaluated, 1, null, true,
            Aufenthalt(12m, new DateOnly(2024, 9, 1), 0.7m, "on-track"), [.. toPilot, (7, MeasureStage.Evaluation), (8, MeasureStage.Evaluated)]);
        var b1 = Measure(b, 6, "Kiezbox 2.0 – Daten in Alltag und Krise", "dezentral", "ba-pankow", team, zp12, MeasureStage.Pilot, 1, null, true,
            Aufenthalt(9.5m, new DateOnly(2024, 9, 1), 0.45m, "behind"), toPilot);
        var c1 = Measure(c, 6, "Parksensoren im Wirtschaftsverkehr", "dezentral", "ba-neukoelln", team, zp12, MeasureStage.Pilot, 1, null, true,
            Aufenthalt(9.5m, new DateOnly(2024, 9, 1), 0.45m, "behind"), toPilot);
        var d1 = Measure(d, 3, "Gieß-App für Straßenbäume", "dezentral", "tsb", [], zp12, MeasureStage.GoalsDefined, 0, null, true,
            Aufenthalt(null, null, null, "no-data"), [.. toPilot.Take(3)]);
        var e1 = Measure(e, 1, "Urbane Datenplattform", "dezentral", "skzl", [], zp12, MeasureStage.Idea, 0, null, false, null, [(1, MeasureStage.Idea)]);
        var office1 = phase1.Lessons.Single(l => l.Source == LessonSource.Office);
        var expected1 = new RevisionSnapshot(RevisionSnapshots.Format, p1, "Revisionsphase 2025", _from2025, _to2025, RevisionScope.Everything, null, 0, n1,
            [.. new[] { a1, b1, c1, d1, e1 }.OrderBy(m => m.Id)],
            Portfolio(5, 4,
                new() { [MeasureStage.Idea] = 1, [MeasureStage.GoalsDefined] = 1, [MeasureStage.Pilot] = 2, [MeasureStage.Evaluated] = 1 },
                new() { ["dezentral"] = 5 },
                new() { ["zp1"] = 5, ["zp2"] = 5 },
                [Principle("nachhaltig", 4, 8, 2.67m, 0.6667m), Principle("gemeinwohlorientiert", 4, 12, 4m, 1m), Principle("resilient", 4, 4, 1.33m, 0.3333m), Principle("kooperativ", 4, 12, 4m, 1m)],
                [("ba-charlottenburg-wilmersdorf", 1), ("ba-neukoelln", 1), ("ba-pankow", 1), ("skzl", 1), ("tsb", 1)],
                new() { ["ba-charlottenburg-wilmersdorf"] = 1, ["ba-pankow"] = 1, ["ba-neukoelln"] = 1 }),
            new IndicatorSummary(4, 3, 0, 1, 2, 1, 0.3333m),
            [
                new RevisionLesson(LessonSource.Office, "Beteiligung früher einplanen.", office1.RecordedAt, 1, a, null, null, ["kooperativ"], ["zp5"]),
                Linked(LessonSource.Evaluation, "Früh beteiligen.", a, events[a][7]),
            ]) { CatalogVersion = 1 };
        var snapshot1 = await _revisions.Snapshot(p1);
        SnapshotHash.CanonicalJson(snapshot1.Snapshot).ShouldBe(SnapshotHash.CanonicalJson(expected1));
        snapshot1.SnapshotHash.ShouldBe(SnapshotHash.Compute(expected1));
        snapshot1.AsOfSequence.ShouldBe(n1);
        closed1.SnapshotHash.ShouldBe(snapshot1.SnapshotHash);
        phase1.ShouldBe(phase1 with { Status = RevisionPhaseStatus.Closed, AsOfSequence = n1, SnapshotHash = snapshot1.SnapshotHash, SinceSequence = 0, PreviousPhaseId = null });
        RevisionDriver.AsJson(phase1.Lessons).ShouldBe(RevisionDriver.AsJson(expected1.Lessons), "the linked lessons are part of the phase too");

        // --- Snapshot 2, exactly.
        var a2 = Measure(a, 9, "Smart Space Hardenbergplatz", "dezentral", "ba-charlottenburg-wilmersdorf", team, zp12, MeasureStage.Scaled, 1, OutcomeKind.Scaled, true,
            Aufenthalt(12m, new DateOnly(2024, 9, 1), 0.7m, "on-track"), [.. toPilot, (7, MeasureStage.Evaluation), (8, MeasureStage.Evaluated), (9, MeasureStage.Scaled)]);
        // b: 7 on 2025-01-15 is the latest: 0.2 against 320/364 elapsed. c: 15 reaches the target.
        var b2 = b1 with { Version = 7, Sequence = events[b][6].Sequence, Indicators = [Aufenthalt(7m, new DateOnly(2025, 1, 15), 0.2m, "behind")] };
        var c2 = Measure(c, 10, "Parksensoren im Wirtschaftsverkehr", "dezentral", "ba-neukoelln", team, zp12, MeasureStage.Stopped, 1, OutcomeKind.Stopped, true,
            Aufenthalt(15m, new DateOnly(2025, 2, 1), 1m, "achieved"), [.. toPilot, (8, MeasureStage.Evaluation), (9, MeasureStage.Evaluated), (10, MeasureStage.Stopped)]);
        var d2 = Measure(d, 4, "Gieß-App für Straßenbäume", "dezentral", "tsb", team, zp12, MeasureStage.Mandated, 0, null, true,
            Aufenthalt(null, null, null, "no-data"), [.. toPilot.Take(4)]);
        var f2 = Measure(f, 3, "Datenkompetenzzentrum der Verwaltung", "zentral", "skzl", [], ["zp7"], MeasureStage.GoalsDefined, 0, null, true,
            Aufenthalt(null, null, null, "no-data"), [.. toPilot.Take(3)]);
        var office2 = phase2.Lessons.Single(l => l.Source == LessonSource.Office);
        var expected2 = new RevisionSnapshot(RevisionSnapshots.Format, p2, "Revisionsphase 2026", _from2026, _to2026, RevisionScope.Everything, p1, n1, n2,
            [.. new[] { a2, b2, c2, d2, e1, f2 }.OrderBy(m => m.Id)],
            Portfolio(6, 5,
                new() { [MeasureStage.Idea] = 1, [MeasureStage.GoalsDefined] = 1, [MeasureStage.Mandated] = 1, [MeasureStage.Pilot] = 1, [MeasureStage.Scaled] = 1, [MeasureStage.Stopped] = 1 },
                new() { ["dezentral"] = 5, ["zentral"] = 1 },
                new() { ["zp1"] = 5, ["zp2"] = 5, ["zp7"] = 1 },
                [Principle("nachhaltig", 5, 10, 3.33m, 0.6667m), Principle("gemeinwohlorientiert", 5, 15, 5m, 1m), Principle("resilient", 5, 5, 1.67m, 0.3333m), Principle("kooperativ", 5, 15, 5m, 1m)],
                [("skzl", 2), ("ba-charlottenburg-wilmersdorf", 1), ("ba-neukoelln", 1), ("ba-pankow", 1), ("tsb", 1)],
                new() { ["ba-charlottenburg-wilmersdorf"] = 1, ["ba-pankow"] = 1, ["ba-neukoelln"] = 1 }),
            new IndicatorSummary(5, 3, 1, 1, 1, 2, 0.6667m),
            [
                new RevisionLesson(LessonSource.Office, "Ziele messbar formulieren.", office2.RecordedAt, 1, null, null, null, ["nachhaltig"], []),
                Linked(LessonSource.Evaluation, "Früh beteiligen.", c, events[c][8]),
                Linked(LessonSource.Stop, "Ziele früher schärfen.", c, events[c][9]),
            ]) { CatalogVersion = 1 };
        var snapshot2 = await _revisions.Snapshot(p2);
        SnapshotHash.CanonicalJson(snapshot2.Snapshot).ShouldBe(SnapshotHash.CanonicalJson(expected2));
        snapshot2.SnapshotHash.ShouldBe(SnapshotHash.Compute(expected2));

        // --- More events after both closes: the stored snapshots stay, recomputing gives the same hashes.
        await _measures.Send(e, SampleCommands.UnderstandProblem());
        await _measures.Send(a, SampleCommands.Archive());
        await _revisions.Open("Revisionsphase 2027", new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31));
        foreach (var (phase, stored) in new[] { (p1, snapshot1), (p2, snapshot2) })
        {
            var verification = await _revisions.Verify(phase);
            verification.ShouldBe(verification with
            {
                PhaseId = phase, AsOfSequence = stored.AsOfSequence, StoredHash = stored.SnapshotHash, StoredContentHash = stored.SnapshotHash,
                RecomputedHash = stored.SnapshotHash, Matches = true,
            });
            verification.Differences.ShouldBeEmpty();
            var again = await _revisions.Snapshot(phase);
            RevisionDriver.AsJson(again).ShouldBe(RevisionDriver.AsJson(stored));
            await using var session = api.Store.QuerySession();
            SnapshotHash.Compute(await RevisionReader.ComputeAsync(session, phase, stored.AsOfSequence, CancellationToken.None)).ShouldBe(stored.SnapshotHash);
        }

        // --- The comparison, exactly.
        MeasureMovement Move(Guid id, SnapshotMeasure? before, SnapshotMeasure after, params MeasureStage[] entered) =>
            new(id, after.Title, before?.Stage, after.Stage, entered);
        IndicatorMovement Indicator(SnapshotMeasure m, decimal? from, decimal? to, decimal? change, string direction, string? fromStatus, string toStatus) =>
            new(m.Id, m.Title, "aufenthalt", "Aufenthaltsdauer", "min", 5, 15, from, to, change, direction, fromStatus, toStatus);
        var expectedComparison = new RevisionComparison(
            new ComparedPhase(p1, "Revisionsphase 2025", _from2025, _to2025, n1, snapshot1.SnapshotHash, 5, CatalogVersion: 1),
            new ComparedPhase(p2, "Revisionsphase 2026", _from2026, _to2026, n2, snapshot2.SnapshotHash, 6, CatalogVersion: 1),
            Added: [Move(f, null, f2, MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined)],
            Advanced: [Move(d, d1, d2, MeasureStage.Mandated)],
            Stalled: [.. new[] { Move(b, b1, b2), Move(e, e1, e1) }.OrderBy(m => m.MeasureId)],
            Scaled: [Move(a, a1, a2, MeasureStage.Scaled)],
            Stopped: [Move(c, c1, c2, MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Stopped)],
            Withdrawn: [],
            Finished: [],
            Removed: [],
            Stages: [.. Enum.GetValues<MeasureStage>().Select(s =>
            {
                var (from, to) = s switch
                {
                    MeasureStage.Idea or MeasureStage.GoalsDefined => (1, 1),
                    MeasureStage.Mandated or MeasureStage.Scaled or MeasureStage.Stopped => (0, 1),
                    MeasureStage.Pilot => (2, 1),
                    MeasureStage.Evaluated => (1, 0),
                    _ => (0, 0),
                };
                return new StageChange(s, s.Label(), from, to, to - from);
            })],
            Perspectives: [.. StrategyCatalog.FuturePerspectives.Select(p => p.Code switch
            {
                "zp1" or "zp2" => new CountChange(p.Code, p.Label, 5, 5, 0),
                "zp7" => new CountChange(p.Code, p.Label, 0, 1, 1),
                _ => new CountChange(p.Code, p.Label, 0, 0, 0),
            })],
            Principles:
            [
                new PrincipleChange("nachhaltig", "Nachhaltig", 4, 5, 1, 8, 10, 2, 2.67m, 3.33m, 0.66m),
                new PrincipleChange("gemeinwohlorientiert", "Gemeinwohlorientiert", 4, 5, 1, 12, 15, 3, 4m, 5m, 1m),
                new PrincipleChange("resilient", "Resilient", 4, 5, 1, 4, 5, 1, 1.33m, 1.67m, 0.34m),
                new PrincipleChange("kooperativ", "Kooperativ", 4, 5, 1, 12, 15, 3, 4m, 5m, 1m),
            ],
            Indicators: [.. new[]
            {
                Indicator(a2, 12m, 12m, 0m, IndicatorDirection.Unchanged, "on-track", "on-track"),
                Indicator(b2, 9.5m, 7m, -2.5m, IndicatorDirection.Away, "behind", "behind"),
                Indicator(c2, 9.5m, 15m, 5.5m, IndicatorDirection.Toward, "behind", "achieved"),
                Indicator(d2, null, null, null, IndicatorDirection.NoData, "no-data", "no-data"),
                Indicator(f2, null, null, null, IndicatorDirection.NoData, null, "no-data"),
            }.OrderBy(m => m.MeasureId)],
            Health: [.. StatusHealth.Codes.Select(h => new CountChange(h, StatusHealth.Label(h), 0, 0, 0))],
            HealthChanges: [],
            CatalogChanges: []);
        var comparison = await _revisions.Compare(p1, p2);
        RevisionDriver.AsJson(comparison).ShouldBe(RevisionDriver.AsJson(expectedComparison));

        // --- The snapshot as CSV: same figures, one table.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{p1}/snapshot");
        request.Headers.TryAddWithoutValidation("Accept", "text/csv");
        var csv = await api.Client.SendAsync(request);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(string.Join(',', [.. SnapshotCsv.Columns, "event_sequence", "projection_lag"]));
        string Row(params (string Column, string Value)[] cells) =>
            string.Join(',', SnapshotCsv.Columns.Select(col => cells.FirstOrDefault(x => x.Column == col).Value ?? "").Append(n1.ToString()).Append("0"));
        lines.ShouldContain(Row(("section", "phase"), ("code", "snapshot-hash"), ("text", snapshot1.SnapshotHash)));
        lines.ShouldContain(Row(("section", "measure"), ("label", "Smart Space Hardenbergplatz"), ("measure_id", a.ToString()), ("stage", "evaluated"), ("stage_label", "Evaluiert"),
            ("type", "dezentral"), ("lead", "ba-charlottenburg-wilmersdorf"), ("participating_administrations", "senmvku;sensbw"), ("perspectives", "zp1;zp2"),
            ("version", "8"), ("recorded_at", a1.StageEnteredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"))));
        lines.ShouldContain(Row(("section", "indicator"), ("code", "aufenthalt"), ("label", "Aufenthaltsdauer"), ("measure_id", b.ToString()), ("unit", "min"),
            ("baseline", "5"), ("target", "15"), ("latest", "9.5"), ("latest_on", "2024-09-01"), ("progress", "0.45"), ("status", "behind")));
        lines.ShouldContain(Row(("section", "portfolio-principle"), ("code", "nachhaltig"), ("label", "Nachhaltig"), ("measures", "4"), ("weight_sum", "8"),
            ("weighted", "2.67"), ("share", "0.6667")));
        lines.ShouldContain(Row(("section", "lesson"), ("code", "evaluation"), ("measure_id", a.ToString()), ("version", "8"),
            ("recorded_at", events[a][7].Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'")), ("text", "Früh beteiligen.")));
        lines.ShouldContain(Row(("section", "lesson"), ("code", "office"), ("measure_id", a.ToString()), ("perspectives", "zp5"), ("principles", "kooperativ"),
            ("number", "1"), ("recorded_at", office1.RecordedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'")), ("text", "Beteiligung früher einplanen.")));
        lines.Count(l => l.StartsWith("measure,", StringComparison.Ordinal)).ShouldBe(5);
        lines.Count(l => l.StartsWith("lesson,", StringComparison.Ordinal)).ShouldBe(2);
    }

    private static RevisionLesson Linked(string source, string text, Guid measure, MeasureEventView e) =>
        new(source, text, e.Timestamp.ToUniversalTime(), null, measure, e.Version, e.Sequence, [], []);

    private static PrincipleFigure Principle(string code, int measures, int weightSum, decimal weighted, decimal share) =>
        new(code, StrategyCatalog.GuidingPrinciples.Single(p => p.Code == code).Label, measures, weightSum, weighted, share);

    /// <summary>The portfolio figures with every catalogue row; codes not named count 0.</summary>
    private static PortfolioFigures Portfolio(int measures, int withGoals, Dictionary<MeasureStage, int> stages, Dictionary<string, int> types,
        Dictionary<string, int> perspectives, PrincipleFigure[] principles, (string Code, int Measures)[] leads, Dictionary<string, int> districtsLed) => new(
        measures,
        withGoals,
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageFigure(s, s.Label(), stages.GetValueOrDefault(s)))],
        [.. StrategyCatalog.MeasureTypes.Select(t => new CountFigure(t.Code, t.Label, types.GetValueOrDefault(t.Code)))],
        [.. StrategyCatalog.FuturePerspectives.Select(p => new CountFigure(p.Code, p.Label, perspectives.GetValueOrDefault(p.Code)))],
        principles,
        [.. leads.Select(l => new CountFigure(l.Code, StrategyCatalog.Administrations.Single(x => x.Code == l.Code).Label, l.Measures))],
        [.. StrategyCatalog.Administrations.Where(x => StrategyCatalog.IsDistrict(x.Code))
            .Select(x => new DistrictFigure(x.Code, x.Label, districtsLed.GetValueOrDefault(x.Code), districtsLed.GetValueOrDefault(x.Code), 0))]);
}
