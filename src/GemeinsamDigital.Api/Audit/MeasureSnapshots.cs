using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>
/// A measure's state folded up to a version, stored so that time travel folds at most
/// <see cref="MeasureSnapshots.Interval"/> events after it. A cache: any of them may be deleted at any time.
/// </summary>
public sealed record MeasureSnapshot
{
    /// <summary>"{measure}:{fold revision}:{version}": one row per boundary and fold, so concurrent readers write the same row.</summary>
    public required string Id { get; init; }

    public required Guid MeasureId { get; init; }

    /// <summary>The <see cref="MeasureProjection.FoldRevision"/> that folded it; any other is ignored.</summary>
    public required int Revision { get; init; }

    /// <summary>The version of the stream's event it ends with (a multiple of the interval).</summary>
    public required long Version { get; init; }

    /// <summary>
    /// The latest timestamp among the events folded into it: an <c>asOf</c> at or after it includes
    /// every one of them, whatever the order of the stream's timestamps.
    /// </summary>
    public required DateTimeOffset LatestTimestamp { get; init; }

    public required MeasureState State { get; init; }

    public static string IdOf(Guid measureId, long version) => $"{measureId}:{MeasureProjection.FoldRevision}:{version}";
}

/// <summary>Reads and fills the snapshots time travel starts from (filled on read: commands never write them).</summary>
public sealed class MeasureSnapshots(IDocumentStore store, ILogger<MeasureSnapshots> logger)
{
    /// <summary>
    /// Events between snapshots. Folding one event costs ~10 µs (read and resolved included), so 500
    /// keep any version's fold near 5 ms, well inside the 20 ms a time-travel read may take; smaller
    /// intervals would store the whole state (which grows with measurements) more often for little gain.
    /// </summary>
    public const int Interval = 500;

    /// <summary>Registers the document, with the index of the lookup (measure, fold revision, version).</summary>
    public static void Register(StoreOptions opts) =>
        opts.Schema.For<MeasureSnapshot>()
            .Identity(s => s.Id)
            .Index([s => s.MeasureId, s => s.Revision, s => s.Version]);

    /// <summary>
    /// The newest snapshot of this fold revision at or below <paramref name="version"/>, or whose
    /// events all lie at or before <paramref name="at"/>; null when there is none.
    /// </summary>
    public async Task<MeasureSnapshot?> NewestAsync(IQuerySession session, Guid id, long? version, DateTimeOffset? at, CancellationToken ct)
    {
        var query = session.Query<MeasureSnapshot>().Where(s => s.MeasureId == id && s.Revision == MeasureProjection.FoldRevision);
        if (version is { } v)
        {
            query = query.Where(s => s.Version <= v);
        }
        if (at is { } t)
        {
            query = query.Where(s => s.LatestTimestamp <= t);
        }
        return await query.OrderByDescending(s => s.Version).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Stores snapshots a read folded through, in one batch. Upserts of identical content, so readers
    /// storing the same boundary at once agree; a failure only costs the next read its fold, not this read its answer.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<MeasureSnapshot> snapshots, CancellationToken ct)
    {
        if (snapshots.Count == 0)
        {
            return;
        }
        try
        {
            await using var session = store.LightweightSession();
            session.Store(snapshots.ToArray());
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Time-travel snapshots of measure {Measure} not stored", snapshots[0].MeasureId);
        }
    }

    /// <summary>Deletes every snapshot (after a rebuild of the measures' projection: whatever changed the fold, none survives it).</summary>
    public async Task DeleteAllAsync(CancellationToken ct)
    {
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(MeasureSnapshot), ct);
    }
}
