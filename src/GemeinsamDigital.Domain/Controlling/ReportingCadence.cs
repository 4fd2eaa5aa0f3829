using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Controlling;

/// <summary>Marker for the events of the reporting cadence's stream (one stream, kept by the strategy office).</summary>
public interface ICadenceEvent;

/// <summary>
/// When status reports are due for measures of one type (or, <paramref name="MeasureType"/> null,
/// for every measure without a rule of its own): per quarter or month, <paramref name="DueDays"/>
/// days after the period ends. Frequency "none" means no reports are due.
/// </summary>
public sealed record ReportingCadenceSet(string? MeasureType, string Frequency, int DueDays) : ICadenceEvent;

/// <param name="SetAt">When the rule was last set.</param>
/// <param name="Since">Since when reports have been asked at this frequency (a new due-days setting keeps it; a new frequency starts it afresh).</param>
public sealed record CadenceRule(string? MeasureType, string Frequency, int DueDays, DateTimeOffset SetAt, DateTimeOffset Since);

/// <summary>The reporting cadence: one rule per measure type and one for all.</summary>
public sealed record ReportingCadenceState : IStreamState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public IReadOnlyList<CadenceRule> Rules { get; init; } = [];

    /// <summary>The rule for a measure: its type's, else the one for all; null when none applies.</summary>
    public CadenceRule? RuleFor(string measureType) =>
        Rules.FirstOrDefault(r => r.MeasureType == measureType) ?? Rules.FirstOrDefault(r => r.MeasureType is null);

    public static ReportingCadenceState Evolve(ReportingCadenceState? state, ICadenceEvent @event, EventInfo info, Guid id)
    {
        var s = (state ?? new ReportingCadenceState { Id = id }) with { Version = info.Version };
        return @event switch
        {
            ReportingCadenceSet e => s with
            {
                Rules = [.. s.Rules.Where(r => r.MeasureType != e.MeasureType).Append(new CadenceRule(e.MeasureType, e.Frequency, e.DueDays, info.At,
                        s.Rules.FirstOrDefault(r => r.MeasureType == e.MeasureType) is { } previous && previous.Frequency == e.Frequency ? previous.Since : info.At))
                    .OrderBy(r => r.MeasureType is not null).ThenBy(r => r.MeasureType, StringComparer.Ordinal)],
            },
            _ => throw new InvalidOperationException($"No evolution for {@event.GetType().Name}."),
        };
    }
}

/// <summary>The result of a cadence command: events, or a rejection.</summary>
public sealed record CadenceDecision(IReadOnlyList<ICadenceEvent> Events, Rejection? Rejection) : IDecision<ICadenceEvent>;

/// <summary>The strategy office sets when reports are due, per measure type or for all.</summary>
public sealed record SetReportingCadence(
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.MeasureTypes))] string? MeasureType,
    [property: Required, Codes(typeof(SetReportingCadence), nameof(SetReportingCadence.Frequencies))] string? Frequency,
    [property: Required, Range(0, SetReportingCadence.MaxDueDays)] int? DueDays)
{
    public const string CommandName = "set-reporting-cadence";
    public const int MaxDueDays = 365;
    public const string None = "none";

    public static readonly IReadOnlyList<string> Frequencies = [ReportingFrequency.Quarterly, ReportingFrequency.Monthly, None];

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    public void Validate(FieldErrors errors)
    {
        errors.OptionalCode(MeasureType, "measureType", CatalogLists.MeasureTypes, "measure type");
        errors.Code(Frequency, "frequency", f => f is not null && Frequencies.Contains(f), "frequency ('quarterly', 'monthly', 'none')");
        if (DueDays is null)
        {
            errors.Add("dueDays", "'dueDays' is required.");
        }
        else if (DueDays is < 0 or > MaxDueDays)
        {
            errors.Add("dueDays", $"'dueDays' must be between 0 and {MaxDueDays}.");
        }
    }

    public CadenceDecision Decide(ReportingCadenceState? state, CatalogState? catalog = null)
    {
        var errors = new FieldErrors(catalog);
        Validate(errors);
        if (errors.Rejection() is { } invalid)
        {
            return new([], invalid);
        }
        if (state?.Rules.FirstOrDefault(r => r.MeasureType == MeasureType) is { } same && same.Frequency == Frequency && same.DueDays == DueDays)
        {
            return new([], new RuleViolated(new Dictionary<string, string[]> { ["frequency"] = ["The cadence is already set so; nothing would change."] }));
        }
        return new([new ReportingCadenceSet(MeasureType, Frequency!, DueDays!.Value)], null);
    }
}

/// <summary>A report the cadence asks for and that has not arrived: due (within its days) or overdue.</summary>
public sealed record DueReport(
    Guid MeasureId, string Title, string Lead, string Type, string Period, DateOnly PeriodEnd, DateOnly DueOn, string Status, int DaysOverdue);

/// <summary>Due and overdue reports of one administration (as lead).</summary>
public sealed record DueByAdministration(string Administration, int Due, int Overdue);

public sealed record DueReportFigures(DateOnly Today, IReadOnlyList<DueByAdministration> Administrations, IReadOnlyList<DueReport> Reports);

/// <summary>Which status reports are due or overdue on a day. Pure.</summary>
public static class ReportingDue
{
    public const string Due = "due";
    public const string Overdue = "overdue";

    /// <summary>
    /// Every period of the measure's cadence from the one holding the mandate's day (or the day the
    /// rule first asked for reports at this frequency, when later: a rule asks from then on, not for the years before) that ended
    /// before <paramref name="today"/> while the measure was running (not stopped, withdrawn or
    /// archived by the period's end) and has no report: due up to and including the due day
    /// (period end + due days), overdue after it.
    /// </summary>
    public static IEnumerable<DueReport> Of(MeasureState measure, ReportingCadenceState? cadence, DateOnly today)
    {
        if (cadence?.RuleFor(measure.Type) is not { } rule || rule.Frequency == SetReportingCadence.None
            || measure.StageHistory.FirstOrDefault(h => h.Stage == MeasureStage.Mandated) is not { } mandate)
        {
            yield break;
        }
        var ended = measure.StageHistory.FirstOrDefault(h => h.Stage is MeasureStage.Stopped or MeasureStage.Withdrawn or MeasureStage.Archived);
        var endedOn = ended is null ? (DateOnly?)null : DashboardFilter.Day(ended.EnteredAt);
        var reported = measure.HealthHistory.Select(h => h.Period).ToHashSet(StringComparer.Ordinal);
        var mandated = DashboardFilter.Day(mandate.EnteredAt);
        var asked = DashboardFilter.Day(rule.Since);
        for (var period = ReportingPeriod.Containing(rule.Frequency, asked > mandated ? asked : mandated);
             period.End < today && (endedOn is null || period.End < endedOn);
             period = period.Next())
        {
            if (reported.Contains(period.Code))
            {
                continue;
            }
            var dueOn = period.End.AddDays(rule.DueDays);
            yield return today <= dueOn
                ? new DueReport(measure.Id, measure.Title, measure.Lead, measure.Type, period.Code, period.End, dueOn, Due, 0)
                : new DueReport(measure.Id, measure.Title, measure.Lead, measure.Type, period.Code, period.End, dueOn, Overdue, today.DayNumber - dueOn.DayNumber);
        }
    }

    /// <summary>The due list of the measures the filter selects (reports due within its window), and its counts per lead administration.</summary>
    public static DueReportFigures Figures(IEnumerable<MonitoringRow> rows, DashboardFilter filter, ReportingCadenceState? cadence, DateTimeOffset now)
    {
        var today = DashboardFilter.Day(now);
        var reports = filter.Select(rows)
            .SelectMany(r => Of(r.Measure, cadence, today))
            .Where(r => filter.InWindow(r.DueOn))
            .OrderByDescending(r => r.DaysOverdue).ThenBy(r => r.DueOn).ThenBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.MeasureId)
            .ToList();
        var administrations = reports.GroupBy(r => r.Lead)
            .Select(g => new DueByAdministration(g.Key, g.Count(r => r.Status == Due), g.Count(r => r.Status == Overdue)))
            .OrderByDescending(a => a.Overdue).ThenByDescending(a => a.Due).ThenBy(a => a.Administration, StringComparer.Ordinal)
            .ToList();
        return new DueReportFigures(today, administrations, reports);
    }
}
