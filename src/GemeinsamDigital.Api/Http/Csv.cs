using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GemeinsamDigital.Api.Http;

/// <summary>A table as CSV: stable snake_case column names, one row per record.</summary>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>The same table with columns appended whose value is the same in every row.</summary>
    public CsvTable WithConstantColumns(params (string Column, object? Value)[] columns) => new(
        [.. Columns, .. columns.Select(c => c.Column)],
        [.. Rows.Select(r => (IReadOnlyList<object?>)[.. r, .. columns.Select(c => c.Value)])]);
}

/// <summary>How a CSV is spelled; the columns and rows are the same in both.</summary>
public enum CsvDialect
{
    /// <summary>RFC 4180: comma, dot decimals, no BOM.</summary>
    Rfc4180,

    /// <summary>For spreadsheet programs in German locales: UTF-8 BOM, ';' separator, decimal comma.</summary>
    German,
}

/// <summary>
/// The one CSV writer: UTF-8, header row, CRLF, ISO 8601 dates, numbers without grouping. Text that
/// a spreadsheet would run as a formula is defused; cells holding the separator, quotes or line
/// breaks are quoted.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Separator of the items of a list within one cell.</summary>
    public const char ListSeparator = ';';

    private static readonly NumberFormatInfo _decimalComma = new() { NumberDecimalSeparator = ",", NegativeSign = "-" };

    public static string Write(CsvTable table, CsvDialect dialect)
    {
        var separator = dialect == CsvDialect.German ? ';' : ',';
        var text = new StringBuilder();
        if (dialect == CsvDialect.German)
        {
            // Without the byte order mark, spreadsheet programs read UTF-8 as a legacy code page.
            text.Append('\uFEFF');
        }
        Line(text, separator, table.Columns);
        foreach (var row in table.Rows)
        {
            if (row.Count != table.Columns.Count)
            {
                throw new InvalidOperationException($"A CSV row has {row.Count} cells for {table.Columns.Count} columns.");
            }
            Line(text, separator, row.Select(v => Format(v, dialect)));
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, char separator, IEnumerable<string> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                text.Append(separator);
            }
            first = false;
            if (cell.Contains(separator) || cell.AsSpan().IndexOfAny("\"\r\n") >= 0)
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
            }
            else
            {
                text.Append(cell);
            }
        }
        text.Append("\r\n");
    }

    /// <summary>One cell's text. Enums are written as the JSON answer writes them, lists joined with ';'.</summary>
    public static string Format(object? value, CsvDialect dialect = CsvDialect.Rfc4180) => value switch
    {
        null => "",
        string s => Defuse(s),
        JsonElement { ValueKind: JsonValueKind.String } e => Defuse(e.GetString()!),
        IEnumerable list => Defuse(string.Join(ListSeparator, list.Cast<object?>().Select(v => Plain(v, dialect)))),
        _ => Plain(value, dialect),
    };

    private static string Plain(object? value, CsvDialect dialect) => value switch
    {
        null => "",
        string s => s,
        JsonElement e => Json(e, dialect),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum => JsonSerializer.SerializeToElement(value, value.GetType(), ApiJson.Options).ToString(),
        decimal or double or float => ((IFormattable)value).ToString(null, dialect == CsvDialect.German ? _decimalComma : CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A JSON value of an answer: strings as they are, numbers in the dialect, objects and arrays as compact JSON.</summary>
    private static string Json(JsonElement value, CsvDialect dialect) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number when dialect == CsvDialect.German => value.TryGetDecimal(out var d) ? Plain(d, dialect) : value.GetRawText(),
        JsonValueKind.Number => value.GetRawText(),
        _ => Compact(value),
    };

    // Nested JSON in a cell is read by people: letters such as ä stay letters instead of \u00E4.
    private static readonly JsonWriterOptions _readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, _readable))
        {
            value.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Text from users (titles) must not run as a spreadsheet formula when the file is opened.
    private static string Defuse(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
