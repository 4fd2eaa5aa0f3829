using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Revisions;

/// <summary>A compared phase: which snapshot the comparison starts from or ends at.</summary>
/// <param name="CatalogVersion">The catalogue version the snapshot was taken against (for a snapshot that names none: the catalogue's version at its sequence).</param>
public sealed record ComparedPhase(Guid PhaseId, string Name, DateOnly From, DateOnly To, long AsOfSequence, string SnapshotHash, int Measures, long? CatalogVersion = null);

/// <summary>A measure between the two snapshots.</summary>
/// <param name="FromStage">Its stage in the earlier snapshot; null when it was not in it.</param>
/// <param name="ToStage">Its stage in the later snapshot; null when it is not in it.</param>
/// <param name="Entered">Stages it entered between the two snapshots, in order.</param>
public sealed record MeasureMovement(Guid MeasureId, string Title, MeasureStage? FromStage, MeasureStage? ToStage, IReadOnlyList<MeasureStage> Entered);

/// <summary>A measure whose health (by its latest status report) differs between the two snapshots.</summary>
/// <param name="FromPeriod">Period of its latest report in the earlier snapshot; null without one (or when the measure was not in it).</param>
/// <param name="FromHealth">Health of that report; null likewise.</param>
/// <param name="ToPeriod">Period of its latest report in the later snapshot; null without one.</param>
/// <param name="ToHealth">Health of that report; null likewise.</param>
public sealed record HealthMovement(Guid MeasureId, string Title, string? FromPeriod, string? FromHealth, string? ToPeriod, string? ToHealth);

public sealed record CountChange(string Code, string Label, int From, int To, int Delta);

/// <summary>Measures in one stage in either snapshot (the stage typed, as in the portfolio).</summary>
public sealed record StageChange(MeasureStage Code, string Label, int From, int To, int Delta);

public sealed record PrincipleChange(
    string Code,
    string Label,
    int MeasuresFrom,
    int MeasuresTo,
    int MeasuresDelta,
    int WeightSumFrom,
    int WeightSumTo,
    int WeightSumDelta,
    decimal WeightedFrom,
    decimal WeightedTo,
    decimal WeightedDelta);

/// <param name="From">Latest value in the earlier snapshot; null when there was none.</param>
/// <param name="To">Latest value in the later snapshot; null when there is none.</param>
/// <param name="Change">To − (From, or the baseline when there was no earlier value); null without a later value.</param>
/// <param name="Direction">toward or away from the target, unchanged, or no-data (see <see cref="IndicatorDirection"/>).</param>
public sealed record IndicatorMovement(
    Guid MeasureId,
    string Title,
    string Indicator,
    string Name,
    string Unit,
    decimal Baseline,
    decimal Target,
    decimal? From,
    decimal? To,
    decimal? Change,
    string Direction,
    string? FromStatus,
    string ToStatus);

/// <summary>
/// What changed between two snapshots. Every measure of either snapshot is in exactly one of the
/// lists added … removed; measures in each list are ordered by id.
/// </summary>
/// <param name="Added">In the later snapshot only.</param>
/// <param name="Advanced">Entered a stage in between (a new pilot cycle and archiving included), without reaching an outcome below.</param>
/// <param name="Stalled">The same non-final stage in both: no stage entered in between.</param>
/// <param name="Scaled">Reached Scaled (rolled out or made permanent) in between.</param>
/// <param name="Stopped">Reached Stopped in between.</param>
/// <param name="Withdrawn">Was withdrawn in between.</param>
/// <param name="Finished">Already in a final stage (scaled, stopped, withdrawn, archived) in the earlier snapshot.</param>
/// <param name="Removed">In the earlier snapshot only (the phases' scopes differ).</param>
/// <param name="Health">Measures per health (of their latest report) in each snapshot, in the order on-track, at-risk, off-track, paused.</param>
/// <param name="CatalogChanges">What changed in the catalogue between the catalogue versions of the two snapshots (ComparedPhase.CatalogVersion), in order.</param>
/// <param name="HealthChanges">Measures of the later snapshot whose latest report's health or period differs from the earlier one's, by id.
/// A format-1 snapshot carries no reports, so against it every reported measure is listed.</param>
public sealed record RevisionComparison(
    ComparedPhase From,
    ComparedPhase To,
    IReadOnlyList<MeasureMovement> Added,
    IReadOnlyList<MeasureMovement> Advanced,
    IReadOnlyList<MeasureMovement> Stalled,
    IReadOnlyList<MeasureMovement> Scaled,
    IReadOnlyList<MeasureMovement> Stopped,
    IReadOnlyList<MeasureMovement> Withdrawn,
    IReadOnlyList<MeasureMovement> Finished,
    IReadOnlyList<MeasureMovement> Removed,
    IReadOnlyList<StageChange> Stages,
    IReadOnlyList<CountChange> Perspectives,
    IReadOnlyList<PrincipleChange> Principles,
    IReadOnlyList<IndicatorMovement> Indicators,
    IReadOnlyList<CountChange> Health,
    IReadOnlyList<HealthMovement> HealthChanges,
    IReadOnlyList<Catalog.CatalogChange>? CatalogChanges = null);

public static class IndicatorDirection
{
    public const string Toward = "toward";
    public const string Away = "away";
    public const string Unchanged = "unchanged";
    public const string NoData = "no-data";
}

public static class RevisionComparisons
{
    /// <summary>The comparison with the catalogue versions of both snapshots and the catalogue's changes between them (from the catalogue's events).</summary>
    public static RevisionComparison WithCatalog(RevisionComparison comparison, long fromVersion, long toVersion,
        IEnumerable<(Catalog.ICatalogEvent Event, EventInfo Info)> catalogEvents) =>
        comparison with
        {
            From = comparison.From with { CatalogVersion = fromVersion },
            To = comparison.To with { CatalogVersion = toVersion },
            CatalogChanges = Catalog.CatalogChanges.Between(catalogEvents, fromVersion, Math.Max(fromVersion, toVersion)),
        };

    /// <summary>Compares an earlier snapshot with a later one (a snapshot with itself: nothing moved).</summary>
    public static RevisionComparison Compare(RevisionSnapshot from, string fromHash, RevisionSnapshot to, string toHash)
    {
        if (from.AsOfSequence > to.AsOfSequence)
        {
            throw new ArgumentException("The first snapshot must not be later than the second.", nameof(from));
        }
        var before = from.Measures.ToDictionary(m => m.Id);
        var after = to.Measures.ToDictionary(m => m.Id);
        var lists = new Dictionary<string, List<MeasureMovement>>();
        void Put(string list, MeasureMovement movement)
        {
            if (!lists.TryGetValue(list, out var items))
            {
                lists[list] = items = [];
            }
            items.Add(movement);
        }

        foreach (var id in before.Keys.Union(after.Keys).Order())
        {
            var a = before.GetValueOrDefault(id);
            var b = after.GetValueOrDefault(id);
            var entered = b is null ? [] : b.StageHistory.Skip(a?.StageHistory.Count ?? 0).Select(h => h.Stage).ToList();
            var movement = new MeasureMovement(id, (b ?? a)!.Title, a?.Stage, b?.Stage, entered);
            Put(Classify(a, b, entered), movement);
        }
        IReadOnlyList<MeasureMovement> List(string name) => lists.GetValueOrDefault(name) ?? [];

        return new RevisionComparison(
            Phase(from, fromHash),
            Phase(to, toHash),
            List(nameof(RevisionComparison.Added)),
            List(nameof(RevisionComparison.Advanced)),
            List(nameof(RevisionComparison.Stalled)),
            List(nameof(RevisionComparison.Scaled)),
            List(nameof(RevisionComparison.Stopped)),
            List(nameof(RevisionComparison.Withdrawn)),
            List(nameof(RevisionComparison.Finished)),
            List(nameof(RevisionComparison.Removed)),
            [.. Paired(from.Portfolio.Stages, to.Portfolio.Stages, s => s.Code, s => s.Label, (code, label, x, y) =>
                new StageChange(code, label, x?.Measures ?? 0, y?.Measures ?? 0, (y?.Measures ?? 0) - (x?.Measures ?? 0)))],
            Counts(from.Portfolio.Perspectives, to.Portfolio.Perspectives),
            [.. Paired(from.Portfolio.Principles, to.Portfolio.Principles, p => p.Code, p => p.Label, (code, label, x, y) => new PrincipleChange(
                code, label, x?.Measures ?? 0, y?.Measures ?? 0, (y?.Measures ?? 0) - (x?.Measures ?? 0),
                x?.WeightSum ?? 0, y?.WeightSum ?? 0, (y?.WeightSum ?? 0) - (x?.WeightSum ?? 0),
                x?.Weighted ?? 0, y?.Weighted ?? 0, Normalize((y?.Weighted ?? 0) - (x?.Weighted ?? 0))))],
            [.. to.Measures.SelectMany(m => m.Indicators.Select(i => Movement(m, i, before.GetValueOrDefault(m.Id))))],
            [.. StatusHealth.Codes.Select(code =>
            {
                int Count(RevisionSnapshot s) => s.Measures.Count(m => m.LatestReport?.Health == code);
                var (x, y) = (Count(from), Count(to));
                return new CountChange(code, StatusHealth.Label(code), x, y, y - x);
            })],
            [.. to.Measures.OrderBy(m => m.Id)
                .Select(m => (Now: m, Then: before.GetValueOrDefault(m.Id)?.LatestReport))
                .Where(p => (p.Then?.Period, p.Then?.Health) != (p.Now.LatestReport?.Period, p.Now.LatestReport?.Health))
                .Select(p => new HealthMovement(p.Now.Id, p.Now.Title, p.Then?.Period, p.Then?.Health, p.Now.LatestReport?.Period, p.Now.LatestReport?.Health))]);
    }

    private static string Classify(SnapshotMeasure? a, SnapshotMeasure? b, IReadOnlyList<MeasureStage> entered) => (a, b) switch
    {
        (null, _) => nameof(RevisionComparison.Added),
        (_, null) => nameof(RevisionComparison.Removed),
        _ when MonitoringRow.IsFinal(a.Stage) => nameof(RevisionComparison.Finished),
        _ when entered.Contains(MeasureStage.Scaled) => nameof(RevisionComparison.Scaled),
        _ when entered.Contains(MeasureStage.Stopped) => nameof(RevisionComparison.Stopped),
        _ when entered.Contains(MeasureStage.Withdrawn) => nameof(RevisionComparison.Withdrawn),
        _ when entered.Count > 0 => nameof(RevisionComparison.Advanced),
        _ => nameof(RevisionComparison.Stalled),
    };

    private static IndicatorMovement Movement(SnapshotMeasure measure, SnapshotIndicator now, SnapshotMeasure? earlier)
    {
        var then = earlier?.Indicators.FirstOrDefault(i => i.Code == now.Code);
        var reference = then?.Latest ?? now.Baseline;
        decimal? change = now.Latest is { } latest ? Normalize(latest - reference) : null;
        var direction = now.Latest is not { } value
            ? IndicatorDirection.NoData
            : Math.Abs(now.Target - value).CompareTo(Math.Abs(now.Target - reference)) switch
            {
                < 0 => IndicatorDirection.Toward,
                > 0 => IndicatorDirection.Away,
                _ => IndicatorDirection.Unchanged,
            };
        return new IndicatorMovement(measure.Id, measure.Title, now.Code, now.Name, now.Unit, now.Baseline, now.Target,
            then?.Latest, now.Latest, change, direction, then?.Status, now.Status);
    }

    private static IReadOnlyList<CountChange> Counts(IReadOnlyList<CountFigure> from, IReadOnlyList<CountFigure> to) =>
        [.. Paired(from, to, c => c.Code, c => c.Label, (code, label, x, y) =>
            new CountChange(code, label, x?.Measures ?? 0, y?.Measures ?? 0, (y?.Measures ?? 0) - (x?.Measures ?? 0)))];

    /// <summary>Figures paired by code, in the later snapshot's order, then codes only the earlier one has (the catalogue may grow).</summary>
    private static IEnumerable<TResult> Paired<T, TCode, TResult>(IReadOnlyList<T> from, IReadOnlyList<T> to, Func<T, TCode> code, Func<T, string> label,
        Func<TCode, string, T?, T?, TResult> pair) where T : class where TCode : notnull
    {
        var earlier = from.ToDictionary(code);
        var later = to.ToDictionary(code);
        return to.Concat(from.Where(x => !later.ContainsKey(code(x))))
            .Select(x => pair(code(x), label(x), earlier.GetValueOrDefault(code(x)), later.GetValueOrDefault(code(x))));
    }

    private static ComparedPhase Phase(RevisionSnapshot s, string hash) => new(s.PhaseId, s.Name, s.From, s.To, s.AsOfSequence, hash, s.Measures.Count);

    // Dividing by 1.000… drops trailing zeros, so equal figures print alike (2.5, never 2.50).
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
