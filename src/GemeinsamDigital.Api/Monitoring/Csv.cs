using System.Globalization;
using System.Text;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>A dashboard as one CSV table: stable snake_case column names, one row per figure.</summary>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>RFC 4180 CSV: UTF-8, header row, CRLF, invariant number and ISO date formats.</summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Writes the table; every row ends with the freshness columns event_sequence and projection_lag.</summary>
    public static string Write(CsvTable table, Freshness freshness)
    {
        var text = new StringBuilder();
        Line(text, [.. table.Columns, "event_sequence", "projection_lag"]);
        foreach (var row in table.Rows)
        {
            if (row.Count != table.Columns.Count)
            {
                throw new InvalidOperationException($"A CSV row has {row.Count} cells for {table.Columns.Count} columns.");
            }
            Line(text, [.. row.Select(Format), Format(freshness.EventSequence), Format(freshness.Lag)]);
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Quote));
        text.Append("\r\n");
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        string s => Defuse(s),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Defuse(value.ToString() ?? ""),
    };

    // Text from users (titles) must not run as a spreadsheet formula when the file is opened.
    private static string Defuse(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
