namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>
/// The filters every dashboard takes. Lead, district, type, perspective, programme (the
/// measures directly part of it) and plan (the measures serving it) select measures; the
/// time window [From, To] (whole UTC days, both inclusive) selects the measures whose life
/// overlaps it and, on dashboards that count dated things (stage stays, milestones,
/// participations, measurements, outcomes), only the things dated inside it.
/// </summary>
public sealed record DashboardFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    string? Lead = null,
    string? District = null,
    string? Type = null,
    string? Perspective = null,
    Guid? Programme = null,
    string? Plan = null)
{
    public static readonly DashboardFilter None = new();

    public bool Includes(MonitoringRow row)
    {
        var m = row.Measure;
        return (Lead is null || m.Lead == Lead)
            && (District is null || row.Districts.Contains(District))
            && (Type is null || m.Type == Type)
            && (Perspective is null || m.Perspectives.Contains(Perspective))
            && (Programme is null || m.ProgrammeId == Programme)
            && (Plan is null || m.Plans.Any(p => p.Plan == Plan))
            && (To is null || Day(m.ProposedAt) <= To)
            && (From is null || row.ClosedAt is not { } closed || Day(closed) >= From);
    }

    public bool InWindow(DateOnly day) => (From is null || day >= From) && (To is null || day <= To);

    public bool InWindow(DateTimeOffset at) => InWindow(Day(at));

    /// <summary>The included rows ordered by measure id (rows kept in that order are not sorted again).</summary>
    public IReadOnlyList<MonitoringRow> Select(IEnumerable<MonitoringRow> rows)
    {
        // Without a filter, rows already kept in order are the selection: no copy of every row per computation.
        var selected = Equals(None) && rows is IReadOnlyList<MonitoringRow> all ? all : rows.Where(Includes).ToList();
        for (var i = 1; i < selected.Count; i++)
        {
            if (selected[i - 1].Id.CompareTo(selected[i].Id) > 0)
            {
                return [.. selected.OrderBy(r => r.Id)];
            }
        }
        return selected;
    }

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
