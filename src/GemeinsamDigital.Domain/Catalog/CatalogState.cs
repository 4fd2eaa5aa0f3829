using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Catalog;

/// <summary>Marker for the events of the catalogue's stream (one stream, kept by the strategy office).</summary>
public interface ICatalogEvent;

/// <summary>One entry as the catalogue's events carry it: its list, code, labels (German, English, Leichte Sprache) and group.</summary>
public sealed record CatalogItem(string List, string Code, string Label, string? Group = null, string? EnglishLabel = null, string? EasyLabel = null);

/// <summary>The shipped catalogue, recorded once as the stream's first event: version 1.</summary>
public sealed record CatalogSeeded(IReadOnlyList<CatalogItem> Entries) : ICatalogEvent;

public sealed record CatalogEntryAdded(CatalogItem Entry) : ICatalogEvent;

/// <summary>An entry's labels after the change (every label, also the ones that stayed).</summary>
public sealed record CatalogEntryRelabelled(string List, string Code, string Label, string? EnglishLabel, string? EasyLabel) : ICatalogEvent;

/// <summary>New uses of the code are refused from now on; measures that use it keep it.</summary>
public sealed record CatalogEntryRetired(string List, string Code) : ICatalogEvent;

/// <summary>The code is retired and <paramref name="ReplacedBy"/> (an active code of the same list) takes its place for new uses.</summary>
public sealed record CatalogEntryReplaced(string List, string Code, string ReplacedBy) : ICatalogEvent;

/// <summary>The lists of the catalogue that the strategy office keeps (their names as GET /api/catalog spells them).</summary>
public static class CatalogLists
{
    public const string GuidingPrinciples = "guidingPrinciples";
    public const string FuturePerspectives = "futurePerspectives";
    public const string MeasureTypes = "measureTypes";
    public const string StakeholderGroups = "stakeholderGroups";
    public const string UnderHeardGroups = "underHeardGroups";
    public const string IdeaSources = "ideaSources";
    public const string ParticipationFormats = "participationFormats";
    public const string Administrations = "administrations";
    public const string Plans = "plans";

    /// <summary>Each list with its shipped entries, in the order answers list them.</summary>
    public static readonly IReadOnlyList<(string List, IReadOnlyList<CatalogEntry> Shipped)> All =
    [
        (GuidingPrinciples, StrategyCatalog.GuidingPrinciples),
        (FuturePerspectives, StrategyCatalog.FuturePerspectives),
        (MeasureTypes, StrategyCatalog.MeasureTypes),
        (StakeholderGroups, StrategyCatalog.StakeholderGroups),
        (UnderHeardGroups, StrategyCatalog.UnderHeardGroups),
        (IdeaSources, StrategyCatalog.IdeaSources),
        (ParticipationFormats, StrategyCatalog.ParticipationFormats),
        (Administrations, StrategyCatalog.Administrations),
        (Plans, StrategyCatalog.Plans),
    ];

    public static readonly IReadOnlyList<string> Names = [.. All.Select(l => l.List)];

    public static bool IsList(string? list) => list is not null && Names.Contains(list);
}

/// <summary>An entry of the catalogue as of a version: labels, group, whether new uses may name it, and what replaced it.</summary>
public sealed record CatalogStateEntry(
    string List, string Code, string Label, string? Group, string? EnglishLabel, string? EasyLabel, string Status = CatalogStatus.Active, string? ReplacedBy = null)
{
    public bool IsActive => Status == CatalogStatus.Active;
}

public static class CatalogStatus
{
    public const string Active = "active";
    public const string Retired = "retired";
}

/// <summary>
/// The catalogue as of one version. The version is the catalogue stream's version: the number of
/// catalogue events applied. Version 1 is the shipped catalogue (one seeding event), and every
/// command appends exactly one event, so each accepted command makes one new version.
/// </summary>
public sealed record CatalogState : IStreamState
{
    /// <summary>The catalogue's one stream.</summary>
    public static readonly Guid StreamId = new("0193c47a-7a10-7000-8000-00000000ca7a");

    public Guid Id { get; init; }
    public long Version { get; init; }

    /// <summary>When the last event of this version was recorded.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Every entry of every list, retired ones too, in list order and then in the order they were added.</summary>
    public IReadOnlyList<CatalogStateEntry> Entries { get; init; } = [];

    /// <summary>The shipped catalogue's event: what version 1 records.</summary>
    public static CatalogSeeded ShippedEvent() =>
        new([.. CatalogLists.All.SelectMany(l => l.Shipped.Select(e => new CatalogItem(l.List, e.Code, e.Label, e.Group, e.EnglishLabel, e.EasyLabel)))]);

    /// <summary>Version 1, the shipped catalogue, without reading the store (what pure code checks against when given no catalogue).</summary>
    public static readonly CatalogState Shipped = Evolve(null, ShippedEvent(), new EventInfo(1, DateTimeOffset.UnixEpoch), StreamId);

    public CatalogStateEntry? Find(string list, string? code) =>
        code is null ? null : Entries.FirstOrDefault(e => e.List == list && e.Code == code);

    public IEnumerable<CatalogStateEntry> Of(string list) => Entries.Where(e => e.List == list);

    /// <summary>A code new uses may name: in the list and not retired.</summary>
    public bool IsActive(string list, string? code) => Find(list, code) is { IsActive: true };

    /// <summary>A code the list has or had (retired ones too): what filters and old measures may carry.</summary>
    public bool Knows(string list, string? code) => Find(list, code) is not null;

    public static CatalogState Evolve(CatalogState? state, ICatalogEvent @event, EventInfo info, Guid id)
    {
        var s = (state ?? new CatalogState { Id = id }) with { Version = info.Version, ChangedAt = info.At };
        return @event switch
        {
            CatalogSeeded e => s with { Entries = Ordered(e.Entries.Select(Entry)) },
            CatalogEntryAdded e => s with { Entries = Ordered(s.Entries.Append(Entry(e.Entry))) },
            CatalogEntryRelabelled e => s.With(e.List, e.Code, x => x with { Label = e.Label, EnglishLabel = e.EnglishLabel, EasyLabel = e.EasyLabel }),
            CatalogEntryRetired e => s.With(e.List, e.Code, x => x with { Status = CatalogStatus.Retired }),
            CatalogEntryReplaced e => s.With(e.List, e.Code, x => x with { Status = CatalogStatus.Retired, ReplacedBy = e.ReplacedBy }),
            _ => throw new InvalidOperationException($"No evolution for {@event.GetType().Name}."),
        };
    }

    private CatalogState With(string list, string code, Func<CatalogStateEntry, CatalogStateEntry> change) =>
        this with { Entries = [.. Entries.Select(e => e.List == list && e.Code == code ? change(e) : e)] };

    private static CatalogStateEntry Entry(CatalogItem i) => new(i.List, i.Code, i.Label, i.Group, i.EnglishLabel, i.EasyLabel);

    // Lists in their fixed order; within a list, the order entries were added (a stable sort).
    private static IReadOnlyList<CatalogStateEntry> Ordered(IEnumerable<CatalogStateEntry> entries) =>
        [.. entries.OrderBy(e => CatalogLists.Names.ToList().IndexOf(e.List))];
}

/// <summary>
/// One change of the catalogue: in <paramref name="Version"/>, an entry was added, relabelled (with
/// its labels before in the previous… members), retired or replaced (by <paramref name="ReplacedBy"/>).
/// Label, EnglishLabel and EasyLabel are the entry's labels after the change. Flat, so it is one CSV row.
/// </summary>
public sealed record CatalogChange(
    long Version, DateTimeOffset At, string Kind, string List, string Code, string Label, string? EnglishLabel, string? EasyLabel,
    string? PreviousLabel, string? PreviousEnglishLabel, string? PreviousEasyLabel, string? ReplacedBy);

/// <summary>What changed between two versions of the catalogue. Pure.</summary>
public static class CatalogChanges
{
    public const string Added = "added";
    public const string Relabelled = "relabelled";
    public const string Retired = "retired";
    public const string Replaced = "replaced";

    /// <summary>The changes after version <paramref name="from"/> up to and including <paramref name="to"/>, in order, from the catalogue's events.</summary>
    public static IReadOnlyList<CatalogChange> Between(IEnumerable<(ICatalogEvent Event, EventInfo Info)> events, long from, long to)
    {
        var changes = new List<CatalogChange>();
        CatalogState? state = null;
        foreach (var (e, info) in events)
        {
            if (info.Version > to)
            {
                break;
            }
            var before = state;
            state = CatalogState.Evolve(state, e, info, CatalogState.StreamId);
            if (info.Version <= from)
            {
                continue;
            }
            CatalogChange Change(string kind, string list, string code, CatalogStateEntry? previous = null, string? replacedBy = null)
            {
                var now = state.Find(list, code)!;
                return new(info.Version, info.At, kind, list, code, now.Label, now.EnglishLabel, now.EasyLabel,
                    previous?.Label, previous?.EnglishLabel, previous?.EasyLabel, replacedBy);
            }
            changes.AddRange(e switch
            {
                CatalogSeeded s => s.Entries.Select(x => Change(Added, x.List, x.Code)),
                CatalogEntryAdded a => [Change(Added, a.Entry.List, a.Entry.Code)],
                CatalogEntryRelabelled r => [Change(Relabelled, r.List, r.Code, before!.Find(r.List, r.Code))],
                CatalogEntryRetired r => [Change(Retired, r.List, r.Code)],
                CatalogEntryReplaced r => [Change(Replaced, r.List, r.Code, replacedBy: r.ReplacedBy)],
                _ => [],
            });
        }
        return changes;
    }
}
