using System.Text.Json;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Linq.MatchesSql;

namespace GemeinsamDigital.Api.Measures;

/// <summary>
/// What the measure list selects by; a null member selects every measure. Codes are the
/// catalogue's; <see cref="ChangedAfterSequence"/> is applied with the high water mark (<see cref="MeasureSearch.Filter"/>).
/// </summary>
public sealed record MeasureFilter
{
    public MeasureStage? Stage { get; init; }
    public string? Lead { get; init; }

    /// <summary>A Bezirksamt in the project team (lead or participating), as the dashboards' district filter.</summary>
    public string? District { get; init; }
    public string? Participating { get; init; }
    public string? Type { get; init; }
    public string? Perspective { get; init; }

    /// <summary>A Leitgedanke the measure declares a contribution to (weight above 0).</summary>
    public string? Principle { get; init; }

    /// <summary>A plan of the Land the measure serves (catalogue list plans).</summary>
    public string? Plan { get; init; }
    public string? ExternalId { get; init; }
    public DateTimeOffset? ChangedSince { get; init; }
    public long? ChangedAfterSequence { get; init; }
    public string? Q { get; init; }

    /// <summary>Every filter parameter of the list, validated; each bad one named in <paramref name="errors"/>.</summary>
    public static MeasureFilter Parse(
        string? stage, string? lead, string? district, string? participating, string? type, string? perspective, string? principle,
        string? plan, string? externalId, string? changedSince, long? changedAfterSequence, string? q, FieldErrors errors)
    {
        MeasureStage? stageFilter = null;
        if (!string.IsNullOrEmpty(stage))
        {
            if (MeasureStages.TryParseCode(stage, out var parsed))
            {
                stageFilter = parsed;
            }
            else
            {
                errors.Add("stage", $"Unknown stage; one of: {string.Join(", ", MeasureStages.Codes)} (see GET /api/catalog).");
            }
        }
        if (!string.IsNullOrEmpty(externalId))
        {
            ExternalIds.Validate(externalId, "externalId", errors);
        }
        if (changedAfterSequence < 0)
        {
            errors.Add("changedAfterSequence", "'changedAfterSequence' must be a whole number from 0 (0: every measure).");
        }
        if (q?.Length > MeasureSearch.MaxQuery)
        {
            errors.Add("q", $"'q' must be at most {MeasureSearch.MaxQuery} characters long.");
        }
        else if (q is not null && q.Any(char.IsControl))
        {
            // PostgreSQL text cannot hold NUL; no search term needs control characters.
            errors.Add("q", "'q' must not contain control characters.");
        }
        return new MeasureFilter
        {
            Stage = stageFilter,
            Lead = errors.FilterCode(lead, "lead", StrategyCatalog.IsAdministration, "administration"),
            District = errors.FilterCode(district, "district", StrategyCatalog.IsDistrict, "district (Bezirksamt)"),
            Participating = errors.FilterCode(participating, "participating", StrategyCatalog.IsAdministration, "administration"),
            Type = errors.FilterCode(type, "type", StrategyCatalog.IsMeasureType, "measure type"),
            Perspective = errors.FilterCode(perspective, "perspective", StrategyCatalog.IsFuturePerspective, "Zukunftsperspektive"),
            Principle = errors.FilterCode(principle, "principle", StrategyCatalog.IsGuidingPrinciple, "Leitgedanke"),
            Plan = errors.FilterCode(plan, "plan", StrategyCatalog.IsPlan, "plan"),
            ExternalId = ExternalIds.Normalize(externalId),
            ChangedSince = AsOf.Instant(changedSince, "changedSince", errors),
            ChangedAfterSequence = changedAfterSequence,
            Q = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        };
    }
}

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

    /// <summary>
    /// The measures <paramref name="filter"/> selects. <paramref name="highWater"/> bounds
    /// changedAfterSequence: only changes up to it count, so none can still commit below a cursor taken from the answer.
    /// </summary>
    public static IQueryable<MeasureState> Filter(this IQueryable<MeasureState> measures, MeasureFilter filter, long highWater)
    {
        if (filter.Stage is { } stage)
        {
            measures = measures.Where(m => m.Stage == stage);
        }
        if (filter.Lead is { } lead)
        {
            measures = measures.Where(m => m.Lead == lead);
        }
        if (filter.District is { } district)
        {
            // The project team: lead or participating (MeasureState.Team), as MonitoringRow.Districts has it.
            measures = measures.Where(m => m.MatchesSql($"(d.data ->> 'lead' = ? or {Holds(Participating)})", district, Json(district)));
        }
        if (filter.Participating is { } participating)
        {
            measures = measures.Where(m => m.MatchesSql(Holds(Participating), Json(participating)));
        }
        if (filter.Type is { } type)
        {
            measures = measures.Where(m => m.Type == type);
        }
        if (filter.Perspective is { } perspective)
        {
            measures = measures.Where(m => m.MatchesSql(Holds(Perspectives), Json(perspective)));
        }
        if (filter.Principle is { } principle)
        {
            measures = measures.Where(m => m.Contributions.Any(c => c.Principle == principle && c.Weight > 0));
        }
        if (filter.Plan is { } plan)
        {
            measures = measures.Where(m => m.Plans.Any(p => p.Plan == plan));
        }
        if (filter.ExternalId is { } externalId)
        {
            measures = measures.Where(m => m.ExternalId == externalId);
        }
        if (filter.ChangedSince is { } since)
        {
            measures = measures.Where(m => m.LastActivityAt > since);
        }
        if (filter.ChangedAfterSequence is { } after)
        {
            measures = measures.ChangedBetween(after, highWater);
        }
        if (filter.Q is { } q)
        {
            measures = measures.Search(q);
        }
        return measures;
    }

    // The stored names of the code lists filtered by containment (MeasuresSetup gives each a GIN index).
    private const string Participating = "participating";
    private const string Perspectives = "perspectives";

    // Containment on the list itself, which its GIN index serves (Marten's Contains compares the whole document).
    private static string Holds(string member) => $"d.data -> '{member}' @> ?::jsonb";

    private static string Json(string code) => JsonSerializer.Serialize((string[])[code]);

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
