using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Controlling;

/// <summary>How many measures reported each health for one period, and how many reports it misses.</summary>
public sealed record HealthPeriod(string Period, DateOnly End, int Reported, int OnTrack, int AtRisk, int OffTrack, int Paused, int Missing);

/// <summary>How many measures went from one health to another between two consecutive periods they reported on.</summary>
public sealed record HealthTransition(string From, string To, int Measures);

/// <summary>A run of two or more consecutive periods (by the measure's own periods) in which a measure was off-track.</summary>
public sealed record OffTrackRun(Guid MeasureId, string Title, string Lead, string FromPeriod, string ToPeriod, int Periods, bool Current);

public sealed record HealthFiguresResult(
    DateOnly Today,
    int Measures,
    int MeasuresReporting,
    IReadOnlyList<HealthPeriod> Periods,
    IReadOnlyList<HealthTransition> Transitions,
    IReadOnlyList<OffTrackRun> OffTrack,
    IReadOnlyList<DueReport> Missing);

/// <summary>The health dashboard's math: over each measure's current report per period. Pure.</summary>
public static class HealthMath
{
    /// <summary>
    /// Per period (window: periods whose last day lies in it): the measures' health by their current
    /// report and the reports missing (overdue); transitions between each measure's consecutive
    /// reported periods (the later one in the window); runs of two or more consecutive off-track
    /// periods (a run is current when it ends with the measure's latest report).
    /// </summary>
    public static HealthFiguresResult Figures(IEnumerable<MonitoringRow> rows, DashboardFilter filter, ReportingCadenceState? cadence, DateTimeOffset now)
    {
        var measures = filter.Select(rows);
        var today = DashboardFilter.Day(now);
        var histories = measures
            .Select(r => (Row: r, Entries: r.Measure.HealthHistory.Select(h => (Entry: h, Period: Parse(h.Period))).ToList()))
            .ToList();
        var missing = measures.SelectMany(r => ReportingDue.Of(r.Measure, cadence, today))
            .Where(d => d.Status == ReportingDue.Overdue && filter.InWindow(d.PeriodEnd))
            .OrderBy(d => d.PeriodEnd).ThenBy(d => d.Title, StringComparer.Ordinal).ThenBy(d => d.MeasureId)
            .ToList();

        var reported = histories.SelectMany(h => h.Entries).Where(e => filter.InWindow(e.Period.End)).ToList();
        var periods = reported.Select(e => e.Period)
            .Concat(missing.Select(m => Parse(m.Period)))
            .DistinctBy(p => p.Code)
            .Order()
            .Select(p =>
            {
                var of = reported.Where(e => e.Period.Code == p.Code).Select(e => e.Entry.Health).ToList();
                return new HealthPeriod(p.Code, p.End, of.Count,
                    of.Count(h => h == StatusHealth.OnTrack), of.Count(h => h == StatusHealth.AtRisk),
                    of.Count(h => h == StatusHealth.OffTrack), of.Count(h => h == StatusHealth.Paused),
                    missing.Count(m => m.Period == p.Code));
            })
            .ToList();

        var transitions = histories
            .SelectMany(h => h.Entries.Zip(h.Entries.Skip(1)))
            .Where(pair => filter.InWindow(pair.Second.Period.End))
            .GroupBy(pair => (From: pair.First.Entry.Health, To: pair.Second.Entry.Health))
            .Select(g => new HealthTransition(g.Key.From, g.Key.To, g.Count()))
            .OrderBy(t => Rank(t.From)).ThenBy(t => Rank(t.To))
            .ToList();

        var offTrack = histories
            .SelectMany(h => Runs(h.Row, h.Entries.Select(e => (e.Period, e.Entry.Health)).ToList()))
            .Where(r => filter.InWindow(Parse(r.ToPeriod).End))
            .OrderByDescending(r => r.Current).ThenByDescending(r => r.Periods).ThenBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.MeasureId)
            .ToList();

        return new HealthFiguresResult(today, measures.Count, histories.Count(h => h.Entries.Count > 0), periods, transitions, offTrack, missing);
    }

    private static IEnumerable<OffTrackRun> Runs(MonitoringRow row, IReadOnlyList<(ReportingPeriod Period, string Health)> entries)
    {
        var start = 0;
        for (var i = 0; i <= entries.Count; i++)
        {
            var continues = i < entries.Count && entries[i].Health == StatusHealth.OffTrack
                && (i == start || entries[i - 1].Period.Next().Code == entries[i].Period.Code);
            if (continues)
            {
                continue;
            }
            // The run [start, i) ended; a new one may start at i.
            if (i - start >= 2 && entries[start].Health == StatusHealth.OffTrack)
            {
                yield return new OffTrackRun(row.Id, row.Measure.Title, row.Measure.Lead, entries[start].Period.Code, entries[i - 1].Period.Code, i - start, i == entries.Count);
            }
            start = i < entries.Count && entries[i].Health == StatusHealth.OffTrack ? i : i + 1;
        }
    }

    private static int Rank(string health) => StatusHealth.Codes.ToList().IndexOf(health);

    private static ReportingPeriod Parse(string code) =>
        ReportingPeriod.TryParse(code, out var period) ? period : throw new InvalidOperationException($"'{code}' is no reporting period.");
}
