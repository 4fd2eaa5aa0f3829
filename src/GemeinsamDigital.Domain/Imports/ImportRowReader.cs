using System.Globalization;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Imports;

/// <summary>
/// Reads one row's cells into an <see cref="ImportRow"/>. A cell is a JSON value: a CSV cell is a
/// string, a JSON Lines member may also be a number or an array. Lists of codes are a JSON array or
/// codes separated by ';', ',' or '|'; structured lists are a JSON array (in a CSV cell: its text).
/// Every problem is reported under the column's name.
/// </summary>
public static class ImportRowReader
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private static readonly char[] _codeSeparators = [';', ',', '|', '\n', '\r'];
    private static readonly CultureInfo _german = CultureInfo.GetCultureInfo("de-DE");

    /// <param name="row">The row number.</param>
    /// <param name="cells">Column name → value; empty strings and nulls are "not given".</param>
    /// <param name="decimalComma">Numbers may use a decimal comma (a file separated by ';', as German spreadsheets write it).</param>
    /// <param name="errors">Where problems go, by column.</param>
    public static ImportRow Read(int row, IReadOnlyDictionary<string, JsonElement> cells, bool decimalComma, FieldErrors errors)
    {
        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in cells)
        {
            if (IsEmpty(value))
            {
                continue;
            }
            if (ImportColumns.Find(name) is not { } column)
            {
                errors.Add(name, $"'{Shorten(name)}' is not a column of the import format (see GET /api/imports/template.csv).");
                continue;
            }
            given[column.Name] = value;
        }

        string? Text(string column) => given.TryGetValue(column, out var v) ? AsText(v, column, errors) : null;

        var participating = Codes(given, ImportColumns.Participating, errors);
        var districts = Codes(given, ImportColumns.Districts, errors);
        if (districts is not null)
        {
            participating = [.. (participating ?? []).Concat(districts).Distinct(StringComparer.Ordinal)];
        }

        MeasureStage? stage = null;
        if (Text(ImportColumns.Stage) is { } stageCode)
        {
            if (MeasureStages.TryParseCode(stageCode.Trim(), out var s) && ImportColumns.Stages.Contains(s))
            {
                stage = s;
            }
            else
            {
                errors.Add(ImportColumns.Stage, $"'{Shorten(stageCode)}' is not a stage an import reaches; one of: {string.Join(", ", ImportColumns.Stages.Select(x => x.Code()))}.");
            }
        }

        return new ImportRow
        {
            Row = row,
            ExternalId = Text(ImportColumns.ExternalId),
            Lead = Text(ImportColumns.Lead)?.Trim(),
            Stage = stage,
            Title = Text(ImportColumns.Title),
            ProblemStatement = Text(ImportColumns.ProblemStatement),
            Description = Text(ImportColumns.Description),
            Type = Text(ImportColumns.Type)?.Trim(),
            Perspectives = Codes(given, ImportColumns.Perspectives, errors),
            AffectedGroups = List<AffectedGroupInput>(given, ImportColumns.AffectedGroups, errors),
            Evidence = Text(ImportColumns.Evidence),
            Contributions = List<ContributionInput>(given, ImportColumns.Contributions, errors),
            Indicators = List<IndicatorInput>(given, ImportColumns.Indicators, errors),
            Participating = participating,
            Budget = Number(given, ImportColumns.Budget, decimalComma, errors),
            FundingSource = Text(ImportColumns.FundingSource),
            Responsibilities = List<ResponsibilityInput>(given, ImportColumns.Responsibilities, errors),
            Plan = Text(ImportColumns.Plan),
            PilotStart = Date(given, ImportColumns.PilotStart, errors),
            PilotEnd = Date(given, ImportColumns.PilotEnd, errors),
            Milestones = List<MilestoneInput>(given, ImportColumns.Milestones, errors),
        };
    }

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
        || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()));

    private static string? AsText(JsonElement value, string column, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        errors.Add(column, $"'{column}' must be text.");
        return null;
    }

    private static IReadOnlyList<string>? Codes(Dictionary<string, JsonElement> given, string column, FieldErrors errors)
    {
        if (!given.TryGetValue(column, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return [.. value.GetString()!.Split(_codeSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(e => e.GetString()!.Trim())];
        }
        errors.Add(column, $"'{column}' must be codes separated by ';' (or a JSON array of codes).");
        return null;
    }

    private static IReadOnlyList<T>? List<T>(Dictionary<string, JsonElement> given, string column, FieldErrors errors)
    {
        if (!given.TryGetValue(column, out var value))
        {
            return null;
        }
        try
        {
            var array = value.ValueKind == JsonValueKind.String ? JsonDocument.Parse(value.GetString()!).RootElement : value;
            if (array.ValueKind == JsonValueKind.Array)
            {
                var items = array.Deserialize<List<T>>(_json);
                if (items is not null && items.All(i => i is not null))
                {
                    return items;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other shape that is not a list of objects.
        }
        var shape = ImportColumns.Find(column)!.Description;
        errors.Add(column, $"'{column}' must be a JSON array of objects ({shape[(shape.IndexOf(':') + 1)..].Trim()})");
        return null;
    }

    private static decimal? Number(Dictionary<string, JsonElement> given, string column, bool decimalComma, FieldErrors errors)
    {
        if (!given.TryGetValue(column, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var n))
        {
            return n;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().Replace(" ", "") : "";
        // A comma is the decimal separator only where the file's own separator is ';' (German
        // spreadsheets); there a point groups thousands. Elsewhere numbers are written as in JSON.
        var culture = decimalComma && text.Contains(',') ? _german : CultureInfo.InvariantCulture;
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, culture, out var parsed))
        {
            return parsed;
        }
        errors.Add(column, $"'{column}' must be a number, e.g. {(decimalComma ? "250000,50" : "250000.50")}.");
        return null;
    }

    private static DateOnly? Date(Dictionary<string, JsonElement> given, string column, FieldErrors errors)
    {
        if (!given.TryGetValue(column, out var value))
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : "";
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(column, $"'{column}' must be a date: 2025-03-01 or 01.03.2025.");
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
