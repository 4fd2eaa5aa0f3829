using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Catalog;
using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// The language of the labels an answer carries: German (the default) or English, chosen by
/// Accept-Language (the highest-weighted of de and en; anything else is German), and Leichte
/// Sprache (de-x-ls) where an answer has such labels. Codes never change,
/// only the labels beside them: a label is translated by the code it labels.
/// </summary>
public static class Languages
{
    public const string German = "de";
    public const string English = "en";

    /// <summary>Leichte Sprache (easy-to-read German), a private-use subtag of German: offered where an answer has such labels (the catalogue).</summary>
    public const string EasyGerman = "de-x-ls";

    /// <summary>What the answer depends on besides its address, for the Vary header of answers with labels.</summary>
    public static readonly string VaryBy = HeaderNames.AcceptLanguage;

    /// <summary>
    /// The language to answer in. <paramref name="easyGerman"/>: the answer has Leichte Sprache labels,
    /// so de-x-ls selects them; elsewhere de-x-ls is German like any other German tag.
    /// </summary>
    public static string Of(HttpRequest request, bool easyGerman = false)
    {
        var ranked = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1);
        foreach (var language in ranked)
        {
            var tag = language.Value.Value ?? "";
            if (easyGerman && tag.Equals(EasyGerman, StringComparison.OrdinalIgnoreCase))
            {
                return EasyGerman;
            }
            if (tag.Equals(English, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(English + "-", StringComparison.OrdinalIgnoreCase))
            {
                return English;
            }
            if (tag.Equals(German, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(German + "-", StringComparison.OrdinalIgnoreCase) || tag == "*")
            {
                return German;
            }
        }
        return German;
    }

    /// <summary>
    /// English labels in a JSON answer: in every object, "label" beside "code", and "xLabel" beside
    /// "x" (stageLabel, fromLabel, aLabel, …), when the code has an English label.
    /// </summary>
    public static JsonNode? ToEnglish(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (value is JsonValue && name.EndsWith("abel", StringComparison.Ordinal) && CodeMember(name) is { } codeMember
                        && o[codeMember] is JsonValue code && code.TryGetValue<string>(out var text) && EnglishLabels.Of(text) is { } english)
                    {
                        o[name] = english;
                    }
                    else
                    {
                        ToEnglish(value);
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    ToEnglish(item);
                }
                break;
        }
        return node;
    }

    private static string? CodeMember(string labelMember) =>
        labelMember == "label" ? "code" : labelMember.EndsWith("Label", StringComparison.Ordinal) ? labelMember[..^"Label".Length] : null;

    /// <summary>English labels in a CSV table: "label" beside "code", and "x_label" beside "x" (stage_label, from_stage_label, partner_label).</summary>
    public static CsvTable ToEnglish(CsvTable table)
    {
        var pairs = table.Columns.Select((column, i) => (Label: i, Code: column == "label" ? "code" : column.EndsWith("_label", StringComparison.Ordinal) ? column[..^"_label".Length] : null))
            .Where(p => p.Code is not null)
            .Select(p => (p.Label, Code: IndexOf(table.Columns, p.Code!)))
            .Where(p => p.Code >= 0)
            .ToList();
        if (pairs.Count == 0)
        {
            return table;
        }
        return table with
        {
            Rows = [.. table.Rows.Select(row =>
            {
                var cells = row.ToArray();
                foreach (var (label, code) in pairs)
                {
                    if (cells[label] is not null && EnglishLabels.Of(cells[code] as string) is { } english)
                    {
                        cells[label] = english;
                    }
                }
                return (IReadOnlyList<object?>)cells;
            })],
        };
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
