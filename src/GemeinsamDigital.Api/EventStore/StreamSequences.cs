using JasperFx.Events.Projections;
using Marten;
using Marten.Linq.MatchesSql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// Documents of single-stream projections (document id = stream id) selected and ordered by the
/// global sequence of their stream's events, for clients that keep a sequence as their cursor.
/// Done in SQL over mt_events: the inline projection does not know an event's global sequence
/// (under the configured append mode it is 0 there: PostgreSQL assigns it on insert).
/// Every bound is the high water mark or below it, so no event can still commit below a cursor.
/// </summary>
public static class StreamSequences
{
    private const string Events = $"{EventStoreSetup.Schema}.mt_events";

    /// <summary>
    /// The daemon's high water mark: every event at or below it is committed, above it a
    /// transaction may still be open (the replay reads up to it too). 0 before the daemon first ran.
    /// </summary>
    public static async Task<long> HighWaterMarkAsync(IQuerySession session, CancellationToken ct) =>
        (await session.QueryAsync<long>(
            $"select coalesce((select last_seq_id from {EventStoreSetup.Schema}.mt_event_progression where name = ?), 0)",
            ct, ShardState.HighWaterMark)).Single();

    /// <summary>Documents whose stream has an event with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public static IQueryable<T> ChangedBetween<T>(this IQueryable<T> documents, long after, long upTo) where T : notnull =>
        documents.Where(d => d.MatchesSql(
            $"exists (select 1 from {Events} e where e.stream_id = d.id and e.seq_id > ? and e.seq_id <= ?)", after, upTo));

    /// <summary>In the order of their stream's last event up to <paramref name="upTo"/> (oldest change first), then by id; one index probe per document.</summary>
    public static IQueryable<T> OrderByLastChange<T>(this IQueryable<T> documents, long upTo) =>
        documents.OrderBySql($"({LastSequenceSql("d.id", upTo.ToString(System.Globalization.CultureInfo.InvariantCulture))}), d.id");

    /// <summary>The sequence of the stream's last event up to <paramref name="upTo"/> (0 if none).</summary>
    public static async Task<long> LastSequenceAsync(IQuerySession session, Guid stream, long upTo, CancellationToken ct) =>
        (await session.QueryAsync<long>($"select coalesce(({LastSequenceSql("?", "?")}), 0)", ct, stream, upTo)).Single();

    // Within a stream the sequence grows with the version: read backwards along the (stream_id, version)
    // index, the first event up to the bound is the one wanted (usually the first row read; max(seq_id)
    // would read every event of the stream).
    private static string LastSequenceSql(string stream, string upTo) =>
        $"select e.seq_id from {Events} e where e.stream_id = {stream} and e.seq_id <= {upTo} order by e.version desc limit 1";
}
