using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Controlling;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// A periodic status report (Sachstandsbericht): the health of the measure in a reporting period,
/// a short German narrative, blockers and next steps, optionally the progress in percent, and the
/// date it describes (Stichtag, within the period). A second report for the same period
/// supersedes the first; both stay in the measure's history.
/// </summary>
public sealed record ReportStatus(
    [property: Required, MaxLength(ReportStatus.MaxPeriod), RegularExpression(ReportingPeriod.CodePattern)] string? Period,
    [property: Required, Codes(typeof(StatusHealth), nameof(StatusHealth.Codes))] string? Health,
    [property: Required, MaxLength(ReportStatus.MaxNarrative)] string? Narrative,
    [property: MaxLength(FieldErrors.MaxItems), ItemMaxLength(FieldErrors.MaxShortText)] IReadOnlyList<string>? Blockers,
    [property: MaxLength(FieldErrors.MaxItems), ItemMaxLength(FieldErrors.MaxShortText)] IReadOnlyList<string>? NextSteps,
    [property: Range(0, 100)] int? Progress,
    [property: Required] DateOnly? On) : IMeasureCommand, IRecordsWhatHappened
{
    public static string Name => "report-status";

    /// <summary>A narrative is a short update, not a report document: about a page.</summary>
    public const int MaxNarrative = 2000;
    public const int MaxPeriod = 7;

    (string Field, DateOnly? Date) IRecordsWhatHappened.HappenedOn => ("on", On);

    public void Validate(FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Period))
        {
            errors.Add("period", "'period' is required.");
        }
        else if (!ReportingPeriod.TryParse(Period, out _))
        {
            errors.Add("period", $"'period' is a quarter ('2026-Q1') or a month ('2026-03') of the years {ReportingPeriod.MinYear} to {ReportingPeriod.MaxYear}.");
        }
        errors.Code(Health, "health", StatusHealth.IsKnown, "health ('on-track', 'at-risk', 'off-track', 'paused')");
        errors.Required(Narrative, "narrative", MaxNarrative);
        errors.Each(Blockers, "blockers", (b, path) => errors.Required(b, path, FieldErrors.MaxShortText));
        errors.Each(NextSteps, "nextSteps", (n, path) => errors.Required(n, path, FieldErrors.MaxShortText));
        if (Progress is < 0 or > 100)
        {
            errors.Add("progress", "'progress' is a percentage between 0 and 100.");
        }
        if (On is null)
        {
            errors.Add("on", "'on' is required.");
        }
    }

    public Decision Decide(MeasureState state)
    {
        ReportingPeriod.TryParse(Period, out var period);
        if (!period.Contains(On!.Value))
        {
            return Decision.Violation("on", $"The date a report describes lies within its period ({period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}).");
        }
        var revision = state.StatusReportCount(period.Code) + 1;
        return Decision.Accept(new StatusReported(
            period.Code,
            Health!,
            Narrative!.Trim(),
            [.. (Blockers ?? []).Select(b => b.Trim())],
            [.. (NextSteps ?? []).Select(n => n.Trim())],
            Progress,
            On!.Value,
            revision));
    }
}
