using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;

namespace GemeinsamDigital.Api.Revisions;

/// <summary>
/// A snapshot as one long CSV table (like the dashboards' CSV; codes as the JSON writes them): a "section" column says what a row
/// is (phase, measure, status-report, indicator, indicator-summary, portfolio-…, lesson); columns that do not
/// apply stay empty. The portfolio rows are the portfolio dashboard's CSV rows, section prefixed.
/// Column names are a contract: add columns at the end, never rename.
/// </summary>
public static class SnapshotCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "section", "code", "label", "measure_id", "stage", "type", "lead", "participating_administrations", "perspectives", "principles", "version",
        "unit", "baseline", "target", "latest", "latest_on", "progress", "status",
        "measures", "led", "participating", "weight_sum", "weighted", "share",
        "number", "recorded_at", "text", "stage_label",
        "period", "health", "health_label", "blockers", "next_steps",
    ];

    public static CsvTable Table(RevisionSnapshot s, string hash) => new(Columns,
    [
        Phase("phase-id", s.PhaseId),
        Phase("name", s.Name),
        Phase("from", s.From),
        Phase("to", s.To),
        Phase("scope", Scope(s.Scope)),
        Phase("previous-phase-id", s.PreviousPhaseId),
        Phase("since-sequence", s.SinceSequence),
        Phase("as-of-sequence", s.AsOfSequence),
        Phase("format", s.Format),
        Phase("snapshot-hash", hash),
        .. s.Measures.Select(m => Row(new()
        {
            ["section"] = "measure", ["code"] = m.Outcome, ["label"] = m.Title, ["measure_id"] = m.Id, ["stage"] = m.Stage.Code(), ["stage_label"] = m.Stage.Label(),
            ["type"] = m.Type, ["lead"] = m.Lead, ["participating_administrations"] = string.Join(';', m.Participating),
            ["perspectives"] = string.Join(';', m.Perspectives), ["version"] = m.Version, ["recorded_at"] = m.StageEnteredAt,
        })),
        .. s.Measures.Where(m => m.LatestReport is not null).Select(m => Report(m.Id, m.LatestReport!)),
        .. s.Measures.SelectMany(m => m.Indicators.Select(i => Row(new()
        {
            ["section"] = "indicator", ["code"] = i.Code, ["label"] = i.Name, ["measure_id"] = m.Id, ["unit"] = i.Unit,
            ["baseline"] = i.Baseline, ["target"] = i.Target, ["latest"] = i.Latest, ["latest_on"] = i.LatestOn, ["progress"] = i.Progress, ["status"] = i.Status,
        }))),
        Summary("indicators", s.Indicators.Indicators),
        Summary("measured", s.Indicators.Measured),
        Summary("achieved", s.Indicators.Achieved),
        Summary("on-track", s.Indicators.OnTrack),
        Summary("behind", s.Indicators.Behind),
        Summary("no-data", s.Indicators.NoData),
        Row(new() { ["section"] = "indicator-summary", ["code"] = "share-on-track", ["share"] = s.Indicators.ShareOnTrack }),
        .. Embedded(DashboardCsv.Portfolio(s.Portfolio), "portfolio-"),
        .. s.Lessons.Select(l => Row(new()
        {
            ["section"] = "lesson", ["code"] = l.Source, ["measure_id"] = l.MeasureId, ["version"] = l.MeasureVersion, ["number"] = l.Number,
            ["recorded_at"] = l.RecordedAt, ["perspectives"] = string.Join(';', l.Perspectives), ["principles"] = string.Join(';', l.Principles), ["text"] = l.Text,
        })),
    ]);

    private static string Scope(RevisionScope scope) =>
        scope == RevisionScope.Everything ? "all" : string.Join(';', new[]
        {
            scope.Type is null ? null : "type=" + scope.Type,
            scope.Lead is null ? null : "lead=" + scope.Lead,
            scope.District is null ? null : "district=" + scope.District,
            scope.Perspective is null ? null : "perspective=" + scope.Perspective,
        }.OfType<string>());

    private static IReadOnlyList<object?> Phase(string code, object? value) => Row(new() { ["section"] = "phase", ["code"] = code, ["text"] = value });

    private static IReadOnlyList<object?> Report(Guid measure, SnapshotStatusReport r) => Row(new()
    {
        ["section"] = "status-report", ["measure_id"] = measure, ["period"] = r.Period, ["health"] = r.Health, ["health_label"] = StatusHealth.Label(r.Health),
        ["latest_on"] = r.On, ["progress"] = r.Progress, ["number"] = r.Revision, ["recorded_at"] = r.ReportedAt, ["text"] = r.Narrative,
        ["blockers"] = string.Join(';', r.Blockers), ["next_steps"] = string.Join(';', r.NextSteps),
    });

    private static IReadOnlyList<object?> Summary(string code, int value) => Row(new() { ["section"] = "indicator-summary", ["code"] = code, ["measures"] = value });

    /// <summary>Another CSV table's rows under these columns (matched by name), its sections prefixed.</summary>
    private static IEnumerable<IReadOnlyList<object?>> Embedded(CsvTable table, string prefix) =>
        table.Rows.Select(row => Row(table.Columns.Select((c, i) => (c, Value: c == "section" ? prefix + row[i] : row[i])).ToDictionary(x => x.c, x => x.Value)));

    private static IReadOnlyList<object?> Row(Dictionary<string, object?> cells)
    {
        var unknown = cells.Keys.Except(Columns).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"No snapshot CSV column {string.Join(", ", unknown)}.");
        }
        return [.. Columns.Select(c => cells.GetValueOrDefault(c))];
    }
}
