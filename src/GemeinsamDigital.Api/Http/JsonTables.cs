using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// A JSON answer as a CSV table, so the CSV always holds what the JSON holds. The columns follow
/// from the answer's type as the API serializes it (member names and order, snake_case): a scalar
/// is one column, a nested object its members as columns prefixed with its name and a dot
/// (budget.amount; a dot, because pilot.cycle and pilotCycle are different members),
/// a list of scalars one column with the items joined by ';', anything deeper compact JSON in one
/// column. The cells are read from the serialized answer, so names and codes are the JSON's.
/// </summary>
public static class JsonTables
{
    private const int MaxNesting = 2;

    private enum Kind
    {
        Value,
        List,
    }

    private sealed record Column(string Name, string[] Path, Kind Kind);

    /// <summary>
    /// One row per item: the items are the answer itself when it is a list, else its "items" member
    /// (a page). <paramref name="answerType"/> is the answer's type, or the item type when the answer
    /// is raw JSON written without objects.
    /// </summary>
    public static CsvTable Rows(JsonElement answer, Type answerType)
    {
        var itemType = ItemType(answerType) ?? answerType;
        var columns = Columns(itemType, [], 0).ToList();
        var items = answer.ValueKind == JsonValueKind.Array ? answer : answer.GetProperty(ItemsMember);
        return new CsvTable([.. columns.Select(c => c.Name)], [.. items.EnumerateArray().Select(item => Row(item, columns))]);
    }

    /// <summary>
    /// An answer made of several lists (a comparison) as one long table: a "section" column names
    /// the member a row comes from (kebab-case); a member that is one object is a section of one row.
    /// Columns of the same name are shared between sections.
    /// </summary>
    public static CsvTable Sections(JsonElement answer, Type answerType)
    {
        var names = new List<string> { "section" };
        var sections = new List<(string Section, JsonElement[] Items, List<Column> Columns)>();
        foreach (var member in Info(answerType).Properties)
        {
            var type = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
            var item = ItemOf(type);
            var columns = Columns(item ?? type, [], 0).ToList();
            names.AddRange(columns.Select(c => c.Name).Where(n => !names.Contains(n)));
            var value = answer.TryGetProperty(member.Name, out var v) ? v : default;
            JsonElement[] items = value.ValueKind switch
            {
                JsonValueKind.Array => [.. value.EnumerateArray()],
                JsonValueKind.Object => [value],
                _ => [],
            };
            sections.Add((JsonNamingPolicy.KebabCaseLower.ConvertName(member.Name), items, columns));
        }
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var (section, items, columns) in sections)
        {
            foreach (var item in items)
            {
                var cells = new object?[names.Count];
                cells[0] = section;
                var values = Row(item, columns);
                for (var i = 0; i < columns.Count; i++)
                {
                    cells[names.IndexOf(columns[i].Name)] = values[i];
                }
                rows.Add(cells);
            }
        }
        return new CsvTable(names, rows);
    }

    private const string ItemsMember = "items";

    private static JsonTypeInfo Info(Type type) => ApiJson.Options.GetTypeInfo(type);

    /// <summary>The item type of a list answer or of a page's "items"; null when the answer is neither.</summary>
    private static Type? ItemType(Type answerType) =>
        ItemOf(answerType) ?? (Info(answerType) is { Kind: JsonTypeInfoKind.Object } info
            && info.Properties.FirstOrDefault(p => p.Name == ItemsMember) is { } items ? ItemOf(items.PropertyType) : null);

    private static Type? ItemOf(Type type) => Info(type) is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } ? element : null;

    private static IEnumerable<Column> Columns(Type type, string[] prefix, int depth)
    {
        var info = Info(type);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            yield return new Column(prefix.Length == 0 ? "value" : Name(prefix), prefix, Kind.Value);
            yield break;
        }
        foreach (var member in info.Properties)
        {
            var path = (string[])[.. prefix, member.Name];
            var memberType = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
            var memberInfo = Info(memberType);
            if (memberInfo.Kind == JsonTypeInfoKind.Object && depth < MaxNesting)
            {
                foreach (var column in Columns(memberType, path, depth + 1))
                {
                    yield return column;
                }
            }
            else if (memberInfo is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } && Info(element).Kind == JsonTypeInfoKind.None)
            {
                yield return new Column(Name(path), path, Kind.List);
            }
            else
            {
                yield return new Column(Name(path), path, Kind.Value);
            }
        }
    }

    private static string Name(string[] path) => string.Join('.', path.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));

    private static IReadOnlyList<object?> Row(JsonElement item, List<Column> columns)
    {
        var cells = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var value = item;
            foreach (var name in columns[i].Path)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    value = default;
                    break;
                }
            }
            cells[i] = value.ValueKind switch
            {
                JsonValueKind.Undefined or JsonValueKind.Null => null,
                JsonValueKind.Array when columns[i].Kind == Kind.List => value.EnumerateArray().Select(v => (object?)v).ToList(),
                _ => value,
            };
        }
        return cells;
    }
}
