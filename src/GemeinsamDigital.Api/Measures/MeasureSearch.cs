using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Measures;

/// <summary>Full-text search and sorting of the measure list.</summary>
public static class MeasureSearch
{
    /// <summary>PostgreSQL text search configuration: German stemming and stop words.</summary>
    public const string RegConfig = "german";

    public const int MaxQuery = 200;

    /// <summary>Sort keys; prefix with '-' for descending.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["title", "proposedAt", "stage", "lastActivityAt"];

    public const string DefaultSort = "-proposedAt";

    // Lifecycle order, so sort=stage reads Idea → … → Archived rather than alphabetically.
    private static readonly string _stageOrder =
        $"array_position(array[{string.Join(", ", Enum.GetNames<MeasureStage>().Select(n => $"'{n}'"))}]::text[], d.data ->> 'stage')";

    /// <summary>Parses "key" or "-key"; null with an error when the key is unknown.</summary>
    public static (string Key, bool Descending)? ParseSort(string? sort, FieldErrors errors)
    {
        var raw = string.IsNullOrEmpty(sort) ? DefaultSort : sort;
        var descending = raw.StartsWith('-');
        var key = descending ? raw[1..] : raw;
        var match = SortKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors.Add("sort", $"Unknown sort; one of: {string.Join(", ", SortKeys)} (prefix '-' for descending).");
            return null;
        }
        return (match, descending);
    }

    /// <summary>Words in title or description, as a search engine reads them ("a b" both, "a or b", "-a" not, "\"a b\"" phrase).</summary>
    public static IQueryable<MeasureState> Search(this IQueryable<MeasureState> measures, string q) =>
        measures.Where(m => m.WebStyleSearch(q, RegConfig));

    /// <summary>Sorted, with the id as tie-breaker so pages never overlap.</summary>
    public static IQueryable<MeasureState> Sort(this IQueryable<MeasureState> measures, string key, bool descending) => (key, descending) switch
    {
        ("title", false) => measures.OrderBy(m => m.Title).ThenBy(m => m.Id),
        ("title", true) => measures.OrderByDescending(m => m.Title).ThenBy(m => m.Id),
        ("proposedAt", false) => measures.OrderBy(m => m.ProposedAt).ThenBy(m => m.Id),
        ("proposedAt", true) => measures.OrderByDescending(m => m.ProposedAt).ThenBy(m => m.Id),
        ("lastActivityAt", false) => measures.OrderBy(m => m.LastActivityAt).ThenBy(m => m.Id),
        ("lastActivityAt", true) => measures.OrderByDescending(m => m.LastActivityAt).ThenBy(m => m.Id),
        ("stage", _) => measures.OrderBySql($"{_stageOrder} {(descending ? "desc" : "asc")}, d.id"),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown sort key."),
    };
}
