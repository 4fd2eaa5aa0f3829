using System.Text;
using System.Text.Json;
using GemeinsamDigital.Domain.Imports;
using nietras.SeparatedValues;

namespace GemeinsamDigital.Api.Imports;

/// <summary>One row as read from the file: its cells, or why it could not be read.</summary>
public sealed record ParsedRow(int Row, int Line, Dictionary<string, JsonElement> Cells, string? Broken);

/// <summary>
/// An import file read into rows. CSV: UTF-8 with or without BOM, separated by ';' or ',' (found
/// from the header row, as German spreadsheet programs write ';'), quoted cells may hold separators,
/// quotes ("") and line breaks. JSON Lines: one JSON object per line. A row that cannot be read
/// (broken quoting, a wrong number of cells, a line that is no JSON object) is a broken row: the
/// others are read on.
/// </summary>
public sealed record ImportFile(string Format, bool DecimalComma, IReadOnlyList<string> UnknownColumns, IReadOnlyList<ParsedRow> Rows)
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";

    /// <summary>The media types an import is sent as.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = ["text/csv", "application/jsonl", "application/x-ndjson"];

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the body; a problem for the file as a whole (not UTF-8, no header, too many rows).</summary>
    public static async Task<(ImportFile? File, IResult? Problem)> ReadAsync(HttpRequest request, int maxRows, CancellationToken ct)
    {
        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        string text;
        try
        {
            text = _strictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException e)
        {
            return (null, Problems.ImportUnreadable($"The file is not UTF-8 (byte {e.Index} is not valid). Save it as \"CSV UTF-8\"."));
        }
        text = text.TrimStart('\uFEFF');
        var file = mediaType == "text/csv" ? ReadCsv(text) : ReadJsonLines(text);
        if (file.Problem is not null)
        {
            return (null, file.Problem);
        }
        if (file.File!.Rows.Count == 0)
        {
            return (null, Problems.ImportUnreadable("The file has no rows to import."));
        }
        return file.File.Rows.Count > maxRows
            ? (null, Problems.ImportUnreadable($"The file has {file.File.Rows.Count} rows; an import takes at most {maxRows}. Split it."))
            : (file.File, null);
    }

    private static (ImportFile? File, IResult? Problem) ReadCsv(string text)
    {
        using var reader = Sep.Reader(o => o with { DisableColCountCheck = true, HasHeader = false }).FromText(text);
        var rows = new List<ParsedRow>();
        string[]? header = null;
        var unknown = new List<string>();
        foreach (var row in reader)
        {
            var raw = new string[row.ColCount];
            for (var i = 0; i < row.ColCount; i++)
            {
                raw[i] = row[i].ToString();
            }
            if (header is null)
            {
                var names = raw.Select(Unquote).ToArray();
                if (names.Any(n => n is null) || names.All(n => string.IsNullOrWhiteSpace(n)))
                {
                    return (null, Problems.ImportUnreadable("The first row must name the columns (see GET /api/imports/template.csv)."));
                }
                header = [.. names.Select(n => n!.Trim())];
                if (header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1 && g.Key.Length > 0) is { } twice)
                {
                    return (null, Problems.ImportUnreadable($"Column '{twice.Key}' is named twice."));
                }
                unknown.AddRange(header.Where(h => h.Length > 0 && ImportColumns.Find(h) is null));
                continue;
            }
            // Rows as spreadsheet programs number them: the header is row 1.
            var number = row.RowIndex + 1;
            var line = row.LineNumberFrom;
            if (raw.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var cells = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            string? broken = null;
            if (raw.Length != header.Length)
            {
                broken = $"The row has {raw.Length} cells where the header has {header.Length}: a separator inside a cell that is not quoted, or broken quoting.";
            }
            else
            {
                for (var i = 0; i < raw.Length; i++)
                {
                    var value = Unquote(raw[i]);
                    if (value is null)
                    {
                        broken = $"Cell {i + 1} ('{header[i]}') has broken quoting: a cell with quotes starts and ends with one, and a quote inside it is doubled (\"\").";
                        break;
                    }
                    if (header[i].Length > 0)
                    {
                        cells[header[i]] = JsonSerializer.SerializeToElement(value);
                    }
                }
            }
            rows.Add(new ParsedRow(number, line, broken is null ? cells : [], broken));
        }
        if (header is null)
        {
            return (null, Problems.ImportUnreadable("The file is empty."));
        }
        return (new ImportFile(Csv, reader.Spec.Sep.Separator == ';', unknown, rows), null);
    }

    /// <summary>RFC 4180: a cell is quoted as a whole, with inner quotes doubled; null when it is not.</summary>
    private static string? Unquote(string raw)
    {
        if (raw.Length > 0 && raw[0] == '"')
        {
            if (raw.Length < 2 || raw[^1] != '"')
            {
                return null;
            }
            var inner = raw[1..^1];
            return inner.Replace("\"\"", "").Contains('"') ? null : inner.Replace("\"\"", "\"");
        }
        return raw.Contains('"') ? null : raw;
    }

    private static (ImportFile? File, IResult? Problem) ReadJsonLines(string text)
    {
        var rows = new List<ParsedRow>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var number = i + 1;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    rows.Add(new ParsedRow(number, number, [], "The line is not a JSON object."));
                    continue;
                }
                var cells = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var member in doc.RootElement.EnumerateObject())
                {
                    cells[member.Name] = member.Value.Clone();
                }
                rows.Add(new ParsedRow(number, number, cells, null));
            }
            catch (JsonException e)
            {
                rows.Add(new ParsedRow(number, number, [], $"The line is not valid JSON ({e.Message.Split(". ")[0]})."));
            }
        }
        return (new ImportFile(JsonLines, false, [], rows), null);
    }
}
