using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>
/// The dashboards' math: pure functions of monitoring rows, a filter and "now". The one way
/// figures are computed, for live figures (rows from the async projection) and for figures as of
/// a past moment (rows folded from the events up to then) alike.
/// </summary>
public static class DashboardMath
{
    /// <summary>Stages a measure passes through; final stages (scaled, stopped, withdrawn, archived) are outcomes.</summary>
    public static readonly IReadOnlyList<MeasureStage> PassingStages =
    [
        MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated,
        MeasureStage.Pilot, MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Iterated,
    ];

    /// <summary>Outcome stages and the outcome kind each records.</summary>
    public static readonly IReadOnlyList<(MeasureStage Stage, string Outcome)> Outcomes =
    [
        (MeasureStage.Scaled, OutcomeKind.Scaled),
        (MeasureStage.Iterated, OutcomeKind.Iterated),
        (MeasureStage.Stopped, OutcomeKind.Stopped),
        (MeasureStage.Withdrawn, OutcomeKind.Withdrawn),
    ];

    /// <summary>
    /// Counts over the measures the filter selects. Unfiltered over rows that keep their tally up to
    /// date (<see cref="IPortfolioTallied"/>, the live rows), it costs no pass over the measures.
    /// </summary>
    public static PortfolioFigures Portfolio(IEnumerable<MonitoringRow> rows, DashboardFilter filter) => Tally(rows, filter).Figures();

    /// <summary>Measures by located district (see <see cref="PlaceFigures"/>), over the measures the filter selects.</summary>
    public static PlaceFigures Places(IEnumerable<MonitoringRow> rows, DashboardFilter filter) => Tally(rows, filter).Places();

    private static PortfolioTally Tally(IEnumerable<MonitoringRow> rows, DashboardFilter filter) =>
        filter.Equals(DashboardFilter.None) && rows is IPortfolioTallied tallied ? tallied.Portfolio : PortfolioTally.Of(filter.Select(rows));

    public static FunnelFigures Funnel(IEnumerable<MonitoringRow> rows, DashboardFilter filter)
    {
        var measures = filter.Select(rows);
        // One pass: each measure counts once for every stage in its history.
        var reached = Enum.GetValues<MeasureStage>().ToDictionary(s => s, _ => 0);
        var seen = new HashSet<MeasureStage>();
        foreach (var r in measures)
        {
            seen.Clear();
            foreach (var entry in r.Measure.StageHistory)
            {
                if (seen.Add(entry.Stage))
                {
                    reached[entry.Stage]++;
                }
            }
        }
        return new FunnelFigures(measures.Count, [.. Enum.GetValues<MeasureStage>().Select(s =>
        {
            MeasureStage? from = FunnelPredecessor(s);
            return new FunnelStage(s, s.Label(), reached[s], from, from is { } f ? Ratio(reached[s], reached[f]) : null);
        })]);
    }

    /// <summary>The stage a funnel conversion is measured from: the previous stage on the main path; for outcomes the evaluation.</summary>
    public static MeasureStage? FunnelPredecessor(MeasureStage stage) => stage switch
    {
        MeasureStage.Idea or MeasureStage.Archived => null,
        MeasureStage.Scaled or MeasureStage.Iterated or MeasureStage.Stopped => MeasureStage.Evaluated,
        MeasureStage.Withdrawn => MeasureStage.Idea,
        _ => stage - 1,
    };

    public static CycleTimeFigures CycleTimes(IEnumerable<MonitoringRow> rows, DashboardFilter filter)
    {
        var measures = filter.Select(rows);
        var stays = measures
            .SelectMany(r => r.Measure.StageHistory.Zip(r.Measure.StageHistory.Skip(1), (entry, next) => (entry.Stage, Entered: entry.EnteredAt, Left: next.EnteredAt)))
            .Where(s => filter.InWindow(s.Left))
            .ToList();
        var outcomes = measures
            .SelectMany(r => r.Measure.StageHistory.Select(h => (h.Stage, Days: Days(h.EnteredAt - r.Measure.ProposedAt), h.EnteredAt)))
            .Where(o => filter.InWindow(o.EnteredAt))
            .ToList();
        return new CycleTimeFigures(
            [.. PassingStages.Select(s =>
            {
                var days = stays.Where(x => x.Stage == s).Select(x => Days(x.Left - x.Entered)).ToList();
                return new StageCycleTime(s, s.Label(), days.Count, Percentile(days, 0.5m), Percentile(days, 0.9m), measures.Count(r => r.Measure.Stage == s));
            })],
            [.. Outcomes.Select(o =>
            {
                var days = outcomes.Where(x => x.Stage == o.Stage).Select(x => x.Days).ToList();
                return new OutcomeCycleTime(o.Outcome, o.Stage.Label(), days.Count, Percentile(days, 0.5m), Percentile(days, 0.9m));
            })]);
    }

    /// <summary>Milestones of running pilots past their due date and not reached; open measures without any event for <paramref name="inactiveDays"/> days or more.</summary>
    public static OverdueFigures Overdue(IEnumerable<MonitoringRow> rows, DashboardFilter filter, DateTimeOffset now, int inactiveDays)
    {
        var measures = filter.Select(rows);
        var today = DashboardFilter.Day(now);
        var milestones = measures
            .Where(r => r.Measure.Stage == MeasureStage.Pilot)
            .SelectMany(r => r.Measure.Milestones
                .Where(m => m.Cycle == r.Measure.PilotCycle && m.Status != MilestoneStatus.Reached && m.Due < today && filter.InWindow(m.Due))
                .Select(m => new OverdueMilestone(r.Id, r.Measure.Title, r.Measure.Lead, m.Cycle, m.Id, m.Title, m.Due, m.Status, today.DayNumber - m.Due.DayNumber)))
            .OrderByDescending(m => m.DaysOverdue).ThenBy(m => m.Title, StringComparer.Ordinal).ThenBy(m => m.MilestoneId, StringComparer.Ordinal)
            .ToList();
        var inactive = measures
            .Where(r => r.ClosedAt is null)
            .Select(r => new InactiveMeasure(r.Id, r.Measure.Title, r.Measure.Lead, r.Measure.Stage, r.Measure.LastActivityAt,
                today.DayNumber - DashboardFilter.Day(r.Measure.LastActivityAt).DayNumber))
            .Where(m => m.DaysInactive >= inactiveDays)
            .OrderByDescending(m => m.DaysInactive).ThenBy(m => m.Title, StringComparer.Ordinal).ThenBy(m => m.MeasureId)
            .ToList();
        return new OverdueFigures(today, inactiveDays, milestones, inactive);
    }

    public static CollaborationFigures Collaboration(IEnumerable<MonitoringRow> rows, DashboardFilter filter)
    {
        var measures = filter.Select(rows);
        var teams = measures.Select(r => r.Team.Distinct().Order(StringComparer.Ordinal).ToList()).ToList();
        var labels = StrategyCatalog.Administrations.ToDictionary(a => a.Code);
        var edges = teams
            .SelectMany(t => t.SelectMany((a, i) => t.Skip(i + 1).Select(b => (A: a, B: b))))
            .GroupBy(e => e)
            .Select(g => new CollaborationEdge(g.Key.A, labels[g.Key.A].Label, g.Key.B, labels[g.Key.B].Label, g.Count()))
            .OrderByDescending(e => e.Measures).ThenBy(e => e.A, StringComparer.Ordinal).ThenBy(e => e.B, StringComparer.Ordinal)
            .ToList();
        var nodes = StrategyCatalog.Administrations
            .Select(a => new CollaborationNode(a.Code, a.Label, a.Group ?? "", teams.Count(t => t.Contains(a.Code)),
                teams.Where(t => t.Contains(a.Code)).SelectMany(t => t).Where(c => c != a.Code).Distinct().Count()))
            .Where(n => n.Measures > 0)
            .OrderByDescending(n => n.Measures).ThenBy(n => n.Code, StringComparer.Ordinal)
            .ToList();
        var cross = teams.Count(t => t.Count > 1);
        return new CollaborationFigures(measures.Count, cross, Ratio(cross, measures.Count),
            teams.Count(t => t.Select(c => labels[c].Group).Distinct().Count() > 1), nodes, edges);
    }

    public static ParticipationFigures Participation(IEnumerable<MonitoringRow> rows, DashboardFilter filter)
    {
        var measures = filter.Select(rows);
        var withPilot = measures.Where(r => r.Measure.StageHistory.Any(h => h.Stage == MeasureStage.Pilot)).ToList();
        var held = withPilot
            .Select(r => (Row: r, Events: r.Measure.Participations.Where(p => filter.InWindow(p.On)).ToList()))
            .ToList();
        var events = held.SelectMany(h => h.Events).ToList();
        const string stille = "stille-gruppen";
        var stilleMeasures = held
            .Select(h => (h.Row, Events: h.Events.Where(e => e.StakeholderGroups.Contains(stille)).ToList()))
            .Where(h => h.Events.Count > 0)
            .Select(h => new StilleGruppenMeasure(h.Row.Id, h.Row.Measure.Title, h.Row.Measure.Lead,
                [.. StrategyCatalog.UnderHeardGroups.Select(u => u.Code).Where(u => h.Events.Any(e => e.UnderHeardGroups.Contains(u)))],
                h.Events.Count, h.Events.Sum(e => (long)e.Participants)))
            .OrderBy(m => m.Title, StringComparer.Ordinal).ThenBy(m => m.MeasureId)
            .ToList();
        return new ParticipationFigures(
            withPilot.Count,
            held.Count(h => h.Events.Count > 0),
            events.Count,
            events.Sum(e => (long)e.Participants),
            [.. StrategyCatalog.StakeholderGroups.Select(g =>
            {
                var reaching = held.Where(h => h.Events.Any(e => e.StakeholderGroups.Contains(g.Code))).Count();
                var groupEvents = events.Where(e => e.StakeholderGroups.Contains(g.Code)).ToList();
                return new HelixGroupFigure(g.Code, g.Label, reaching, Ratio(reaching, withPilot.Count), groupEvents.Count, groupEvents.Sum(e => (long)e.Participants));
            })],
            stilleMeasures.Count,
            Ratio(stilleMeasures.Count, withPilot.Count),
            [.. StrategyCatalog.UnderHeardGroups.Select(u => new UnderHeardFigure(u.Code, u.Label,
                held.Count(h => h.Events.Any(e => e.UnderHeardGroups.Contains(u.Code))), events.Count(e => e.UnderHeardGroups.Contains(u.Code))))],
            stilleMeasures,
            [.. StrategyCatalog.ParticipationFormats.Select(f =>
            {
                var inFormat = events.Where(e => e.Format == f.Code).ToList();
                return new FormatFigure(f.Code, f.Label, inFormat.Count, inFormat.Sum(e => (long)e.Participants));
            })]);
    }

    /// <summary>
    /// Each indicator's measurements (inside the window) with baseline and target, and its status:
    /// achieved when the latest value has reached the target (progress ≥ 1, in the direction from
    /// baseline to target); on-track when progress is at least the share of the current pilot
    /// period elapsed on the latest measurement's date; behind otherwise; no-data without a measurement.
    /// </summary>
    public static IndicatorFigures Indicators(IEnumerable<MonitoringRow> rows, DashboardFilter filter, Guid? measureId = null)
    {
        var measures = filter.Select(rows).Where(r => measureId is null || r.Id == measureId)
            .OrderBy(r => r.Measure.Title, StringComparer.Ordinal).ThenBy(r => r.Id);
        var series = measures.SelectMany(r => r.Measure.Indicators.Select(i => Series(r, i, filter))).ToList();
        var measured = series.Count(s => s.Status != IndicatorStatus.NoData);
        var achieved = series.Count(s => s.Status == IndicatorStatus.Achieved);
        var onTrack = series.Count(s => s.Status == IndicatorStatus.OnTrack);
        return new IndicatorFigures(
            new IndicatorSummary(series.Count, measured, achieved, onTrack, series.Count(s => s.Status == IndicatorStatus.Behind),
                series.Count - measured, Ratio(achieved + onTrack, measured)),
            series);
    }

    private static IndicatorSeries Series(MonitoringRow row, Indicator indicator, DashboardFilter filter)
    {
        var points = row.Measure.Measurements
            .Where(m => m.Indicator == indicator.Code && filter.InWindow(m.On))
            .Select(m => new IndicatorPoint(m.On, m.Value, m.Source))
            .OrderBy(p => p.On) // stable: same-day measurements keep the order they were recorded in
            .ToList();
        if (points.Count == 0)
        {
            return new IndicatorSeries(row.Id, row.Measure.Title, row.Measure.Lead, indicator.Code, indicator.Name, indicator.Unit,
                indicator.Baseline, indicator.Target, points, null, null, null, IndicatorStatus.NoData);
        }
        var latest = points[^1];
        var progress = (latest.Value - indicator.Baseline) / (indicator.Target - indicator.Baseline);
        var expected = ElapsedShare(row.Measure.Pilot, latest.On);
        var status = progress >= 1 ? IndicatorStatus.Achieved : progress >= expected ? IndicatorStatus.OnTrack : IndicatorStatus.Behind;
        return new IndicatorSeries(row.Id, row.Measure.Title, row.Measure.Lead, indicator.Code, indicator.Name, indicator.Unit,
            indicator.Baseline, indicator.Target, points, latest.Value, Round(progress, 4), Round(expected, 4), status);
    }

    private static decimal ElapsedShare(PilotState? pilot, DateOnly on)
    {
        if (pilot is null || on >= pilot.End)
        {
            return 1m;
        }
        return on <= pilot.Start ? 0m : (decimal)(on.DayNumber - pilot.Start.DayNumber) / (pilot.End.DayNumber - pilot.Start.DayNumber);
    }

    /// <summary>Exact fractional days of a duration.</summary>
    public static decimal Days(TimeSpan span) => (decimal)span.Ticks / TimeSpan.TicksPerDay;

    /// <summary>
    /// The p-quantile by linear interpolation between closest ranks (as Excel PERCENTILE.INC, R type 7):
    /// h = (n − 1)·p, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Median = p 0.5. Rounded to 2 decimals.
    /// </summary>
    public static decimal? Percentile(IReadOnlyCollection<decimal> values, decimal p)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToList();
        var h = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return Round(sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]), 2);
    }

    public static decimal? Ratio(int part, int whole) => whole == 0 ? null : Round((decimal)part / whole, 4);

    // Dividing by 1.000… drops trailing zeros, so equal figures always print alike (0.5, never 0.5000).
    internal static decimal Round(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;
}
