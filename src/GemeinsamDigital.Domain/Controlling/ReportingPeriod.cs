using System.Globalization;
using System.Text.RegularExpressions;

namespace GemeinsamDigital.Domain.Controlling;

/// <summary>How often status reports are due: per quarter ("2026-Q1") or per month ("2026-03").</summary>
public static class ReportingFrequency
{
    public const string Quarterly = "quarterly";
    public const string Monthly = "monthly";

    public static readonly IReadOnlyList<string> Codes = [Quarterly, Monthly];
}

/// <summary>
/// A reporting period: a calendar quarter ("2026-Q1") or month ("2026-03"), from its first to its
/// last day. The code is the one spelling clients send and read.
/// </summary>
public sealed partial record ReportingPeriod(string Code, string Frequency, DateOnly Start, DateOnly End) : IComparable<ReportingPeriod>
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    /// <summary>The spelling of a period code, as the OpenAPI document states it.</summary>
    public const string CodePattern = @"^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$";

    [GeneratedRegex(@"^(?<year>\d{4})-(?:Q(?<quarter>[1-4])|(?<month>0[1-9]|1[0-2]))$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The period a code names ("2026-Q1", "2026-03"); false for anything else.</summary>
    public static bool TryParse(string? code, out ReportingPeriod period)
    {
        period = null!;
        var match = Pattern().Match(code ?? "");
        if (!match.Success)
        {
            return false;
        }
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year is < MinYear or > MaxYear)
        {
            return false;
        }
        period = match.Groups["quarter"].Success
            ? Quarter(year, int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture))
            : Month(year, int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture));
        return true;
    }

    public static ReportingPeriod Quarter(int year, int quarter)
    {
        var start = new DateOnly(year, (quarter - 1) * 3 + 1, 1);
        return new($"{year:D4}-Q{quarter}", ReportingFrequency.Quarterly, start, start.AddMonths(3).AddDays(-1));
    }

    public static ReportingPeriod Month(int year, int month)
    {
        var start = new DateOnly(year, month, 1);
        return new($"{year:D4}-{month:D2}", ReportingFrequency.Monthly, start, start.AddMonths(1).AddDays(-1));
    }

    /// <summary>The period of this frequency that holds the date.</summary>
    public static ReportingPeriod Containing(string frequency, DateOnly date) => frequency switch
    {
        ReportingFrequency.Quarterly => Quarter(date.Year, (date.Month - 1) / 3 + 1),
        ReportingFrequency.Monthly => Month(date.Year, date.Month),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
    };

    /// <summary>The period that follows this one (same frequency).</summary>
    public ReportingPeriod Next() => Containing(Frequency, End.AddDays(1));

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>Periods in time order: by end, then by start (a month before the quarter that ends with it).</summary>
    public int CompareTo(ReportingPeriod? other) =>
        other is null ? 1
        : End != other.End ? End.CompareTo(other.End)
        : Start != other.Start ? other.Start.CompareTo(Start)
        : string.CompareOrdinal(Code, other.Code);

    public override string ToString() => Code;
}

/// <summary>The health a status report gives a measure: a traffic light, plus paused.</summary>
public static class StatusHealth
{
    public const string OnTrack = "on-track";
    public const string AtRisk = "at-risk";
    public const string OffTrack = "off-track";
    public const string Paused = "paused";

    public static readonly IReadOnlyList<string> Codes = [OnTrack, AtRisk, OffTrack, Paused];

    public static bool IsKnown(string? code) => code is not null && Codes.Contains(code);

    /// <summary>German labels for users.</summary>
    public static string Label(string code) => code switch
    {
        OnTrack => "Im Plan",
        AtRisk => "Gefährdet",
        OffTrack => "Nicht im Plan",
        Paused => "Pausiert",
        _ => code,
    };

    public static string EnglishLabel(string code) => code switch
    {
        OnTrack => "On track",
        AtRisk => "At risk",
        OffTrack => "Off track",
        Paused => "Paused",
        _ => code,
    };
}
