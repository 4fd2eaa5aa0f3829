using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>
/// Each dashboard as one long CSV table. A "section" column says what a row is; columns that do
/// not apply to a section stay empty. Column names are a contract: add columns at the end, never rename.
/// Codes are written as the JSON answers write them (stages kebab-case: "problem-understood").
/// </summary>
public static class DashboardCsv
{
    public static CsvTable Portfolio(PortfolioFigures f) => new(
        ["section", "code", "label", "measures", "led", "participating", "weight_sum", "weighted", "share"],
        [
            ["summary", "measures", null, f.Measures, null, null, null, null, null],
            ["summary", "measures-with-goals", null, f.MeasuresWithGoals, null, null, null, null, null],
            .. f.Stages.Select(c => Row("stage", c.Code.Code(), c.Label, c.Measures, null, null, null, null, null)),
            .. f.Types.Select(c => Count("type", c)),
            .. f.Perspectives.Select(c => Count("perspective", c)),
            .. f.Principles.Select(p => Row("principle", p.Code, p.Label, p.Measures, null, null, p.WeightSum, p.Weighted, p.Share)),
            .. f.Leads.Select(c => Count("lead", c)),
            .. f.Districts.Select(d => Row("district", d.Code, d.Label, d.Measures, d.Led, d.Participating, null, null, null)),
            // Places: only on the dashboard (a revision snapshot's embedded portfolio has none).
            .. (f.Places is { } p
                ? (IEnumerable<IReadOnlyList<object?>>)[
                    Row("places", "located", null, p.Located, null, null, null, null, null),
                    Row("places", "unlocated", null, p.Unlocated, null, null, null, null, null),
                    .. p.Districts.Select(d => Count("located-district", d)),
                ]
                : []),
        ]);

    public static CsvTable Rollup(RollupFigures f) => new(
        ["section", "code", "label", "measures", "amount", "progress", "measure_id", "title", "lead"],
        [
            ["summary", "parts", null, f.Parts, null, f.Progress, f.ProgrammeId, f.Title, null],
            .. f.Stages.Select(c => Row("stage", c.Code.Code(), c.Label, c.Measures, null, null, null, null, null)),
            ["milestones", "reached", null, f.Milestones.Reached, null, null, null, null, null],
            ["milestones", "missed", null, f.Milestones.Missed, null, null, null, null, null],
            ["milestones", "open", null, f.Milestones.Open, null, null, null, null, null],
            ["indicators", "indicators", null, f.Indicators.Indicators, null, null, null, null, null],
            ["indicators", "achieved", null, f.Indicators.Achieved, null, null, null, null, null],
            ["indicators", "on-track", null, f.Indicators.OnTrack, null, null, null, null, null],
            ["indicators", "behind", null, f.Indicators.Behind, null, null, null, null, null],
            ["indicators", "no-data", null, f.Indicators.NoData, null, null, null, null, null],
            .. f.Budgets.Select(b => Row("budget", b.Currency, null, b.Measures, b.Amount, null, null, null, null)),
            .. f.Measures.Select(m => Row("part", m.Stage.Code(), m.Stage.Label(), null, null, m.Progress, m.MeasureId, m.Title, m.Lead)),
        ]);

    public static CsvTable Funnel(FunnelFigures f) => new(
        ["stage", "label", "reached", "from_stage", "conversion", "from_stage_label"],
        [.. f.Stages.Select(s => Row(s.Code.Code(), s.Label, s.Reached, s.From?.Code(), s.Conversion, s.From?.Label()))]);

    public static CsvTable CycleTimes(CycleTimeFigures f) => new(
        ["section", "code", "label", "count", "median_days", "p90_days", "ongoing"],
        [
            .. f.Stages.Select(s => Row("stage", s.Code.Code(), s.Label, s.Count, s.MedianDays, s.P90Days, s.Ongoing)),
            .. f.Outcomes.Select(o => Row("outcome", o.Code, o.Label, o.Count, o.MedianDays, o.P90Days, null)),
        ]);

    public static CsvTable Overdue(OverdueFigures f) => new(
        ["section", "measure_id", "title", "lead", "stage", "cycle", "milestone_id", "milestone", "due", "status", "days_overdue", "last_activity_at", "days_inactive", "stage_label"],
        [
            .. f.Milestones.Select(m => Row("milestone", m.MeasureId, m.Title, m.Lead, null, m.Cycle, m.MilestoneId, m.Milestone, m.Due, m.Status, m.DaysOverdue, null, null, null)),
            .. f.Inactive.Select(m => Row("inactive", m.MeasureId, m.Title, m.Lead, m.Stage.Code(), null, null, null, null, null, null, m.LastActivityAt, m.DaysInactive, m.Stage.Label())),
        ]);

    public static CsvTable Collaboration(CollaborationFigures f) => new(
        ["section", "code", "label", "partner", "partner_label", "level", "measures", "partners", "share"],
        [
            ["summary", "measures", null, null, null, null, f.Measures, null, null],
            ["summary", "cross-administration", null, null, null, null, f.CrossAdministration, null, f.CrossAdministrationShare],
            ["summary", "across-levels", null, null, null, null, f.AcrossLevels, null, null],
            .. f.Administrations.Select(a => Row("administration", a.Code, a.Label, null, null, a.Level, a.Measures, a.Partners, null)),
            .. f.Edges.Select(e => Row("edge", e.A, e.ALabel, e.B, e.BLabel, null, e.Measures, null, null)),
        ]);

    public static CsvTable Participation(ParticipationFigures f) => new(
        ["section", "code", "label", "measures", "share", "events", "participants", "under_heard_groups"],
        [
            ["summary", "measures-with-pilot", null, f.MeasuresWithPilot, null, null, null, null],
            ["summary", "measures-with-participation", null, f.MeasuresWithParticipation, null, f.Events, f.Participants, null],
            ["summary", "stille-gruppen", null, f.StilleGruppenMeasures, f.StilleGruppenShare, null, null, null],
            .. f.Groups.Select(g => Row("group", g.Code, g.Label, g.Measures, g.Share, g.Events, g.Participants, null)),
            .. f.UnderHeardGroups.Select(u => Row("under-heard-group", u.Code, u.Label, u.Measures, null, u.Events, null, null)),
            .. f.StilleGruppen.Select(m => Row("stille-gruppen-measure", m.MeasureId, m.Title, null, null, m.Events, m.Participants, string.Join(';', m.UnderHeardGroups))),
            .. f.Formats.Select(x => Row("format", x.Code, x.Label, null, null, x.Events, x.Participants, null)),
        ]);

    public static CsvTable Indicators(IndicatorFigures f) => new(
        ["section", "measure_id", "title", "indicator", "name", "unit", "baseline", "target", "on", "value", "source", "progress", "expected", "status"],
        [
            Summary("indicators", f.Summary.Indicators),
            Summary("measured", f.Summary.Measured),
            Summary(IndicatorStatus.Achieved, f.Summary.Achieved),
            Summary(IndicatorStatus.OnTrack, f.Summary.OnTrack),
            Summary(IndicatorStatus.Behind, f.Summary.Behind),
            Summary(IndicatorStatus.NoData, f.Summary.NoData),
            Summary("share-on-track", f.Summary.ShareOnTrack),
            .. f.Series.SelectMany(s => (IEnumerable<IReadOnlyList<object?>>)
            [
                Row("indicator", s.MeasureId, s.Title, s.Indicator, s.Name, s.Unit, s.Baseline, s.Target, s.Points.Count > 0 ? s.Points[^1].On : null, s.Latest, null, s.Progress, s.Expected, s.Status),
                .. s.Points.Select(p => Row("point", s.MeasureId, s.Title, s.Indicator, null, null, null, null, p.On, p.Value, p.Source, null, null, null)),
            ]),
        ]);

    /// <summary>The table with the freshness columns event_sequence and projection_lag last in every row.</summary>
    public static CsvTable WithFreshness(CsvTable table, Freshness freshness) =>
        table.WithConstantColumns(("event_sequence", freshness.EventSequence), ("projection_lag", freshness.Lag));

    private static IReadOnlyList<object?> Summary(string code, object? value) =>
        Row("summary", null, null, code, null, null, null, null, null, value, null, null, null, null);

    private static IReadOnlyList<object?> Count(string section, CountFigure c) => Row(section, c.Code, c.Label, c.Measures, null, null, null, null, null);

    private static IReadOnlyList<object?> Row(params object?[] cells) => cells;
}
