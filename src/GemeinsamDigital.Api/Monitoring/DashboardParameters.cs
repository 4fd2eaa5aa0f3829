using System.Globalization;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Microsoft.AspNetCore.Mvc;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>The query parameters every dashboard takes.</summary>
public sealed class DashboardParameters
{
    /// <summary>Start of the time window, a UTC day (yyyy-MM-dd), inclusive.</summary>
    [FromQuery(Name = "from")]
    public string? From { get; set; }

    /// <summary>End of the time window, a UTC day (yyyy-MM-dd), inclusive.</summary>
    [FromQuery(Name = "to")]
    public string? To { get; set; }

    /// <summary>Lead administration (catalogue code, e.g. ba-pankow).</summary>
    [FromQuery(Name = "lead")]
    public string? Lead { get; set; }

    /// <summary>District (Bezirksamt code, e.g. ba-neukoelln): measures it leads or participates in.</summary>
    [FromQuery(Name = "district")]
    public string? District { get; set; }

    /// <summary>Measure type (zentral, dezentral, netzwerk, arena-der-ideen).</summary>
    [FromQuery(Name = "type")]
    public string? Type { get; set; }

    /// <summary>Zukunftsperspektive (zp1 … zp7).</summary>
    [FromQuery(Name = "perspective")]
    public string? Perspective { get; set; }

    /// <summary>Programme (a measure's id): only the measures directly part of it.</summary>
    [FromQuery(Name = "programme")]
    public string? Programme { get; set; }

    /// <summary>Plan of the Land (catalogue list plans, e.g. bek-2030): only the measures serving it.</summary>
    [FromQuery(Name = "plan")]
    public string? Plan { get; set; }

    /// <summary>ISO 8601 timestamp (e.g. 2024-06-30T23:59:59Z): the figures as they were then, computed from the events.
    /// With offset (Z or ±hh:mm; encode '+' as %2B), or a date alone meaning 00:00 UTC; not in the future.</summary>
    [FromQuery(Name = "asOf")]
    public string? AsOf { get; set; }

    /// <summary>Answer format: json (default), csv (RFC 4180: comma, dot decimals) or csv-de (for German spreadsheet
    /// programs: UTF-8 BOM, ';', decimal comma); wins over the Accept header (application/json or text/csv).</summary>
    [FromQuery(Name = Tables.Parameter)]
    public string? Format { get; set; }

    /// <summary>Validates every parameter; unknown codes and malformed dates are named in <paramref name="errors"/>.</summary>
    public (DashboardFilter Filter, DateTimeOffset? AsOf) Parse(FieldErrors errors, DateTimeOffset now)
    {
        var from = Day(From, "from", errors);
        var to = Day(To, "to", errors);
        if (from > to)
        {
            errors.Add("from", "'from' must not lie after 'to'.");
        }
        var filter = new DashboardFilter(
            from,
            to,
            errors.FilterCode(Lead, "lead", StrategyCatalog.IsAdministration, "administration"),
            errors.FilterCode(District, "district", StrategyCatalog.IsDistrict, "district (Bezirksamt)"),
            errors.FilterCode(Type, "type", StrategyCatalog.IsMeasureType, "measure type"),
            errors.FilterCode(Perspective, "perspective", StrategyCatalog.IsFuturePerspective, "Zukunftsperspektive"),
            ProgrammeId(errors),
            errors.FilterCode(Plan, "plan", StrategyCatalog.IsPlan, "plan"));
        return (filter, Http.AsOf.Parse(AsOf, now, errors));
    }

    private Guid? ProgrammeId(FieldErrors errors)
    {
        if (string.IsNullOrEmpty(Programme))
        {
            return null;
        }
        if (Guid.TryParseExact(Programme, "D", out var id))
        {
            return id;
        }
        errors.Add("programme", "'programme' must be a measure's id (a UUID such as 0193a000-0000-7000-8000-000000000001).");
        return null;
    }

    /// <summary>A whole number query parameter in a range, or the fallback when absent.</summary>
    public static int Number(string? raw, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors.Add(field, $"'{field}' must be a whole number from {min} to {max}.");
        return fallback;
    }

    private static DateOnly? Day(string? raw, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors.Add(field, $"'{field}' must be a date as yyyy-MM-dd, e.g. 2024-01-31.");
        return null;
    }
}
