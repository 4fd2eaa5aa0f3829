using System.Runtime.CompilerServices;
using GemeinsamDigital.Audit;
using Marten;
using Marten.Storage;
using Npgsql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// Reads events exactly as PostgreSQL holds them (raw rows of mt_events, no deserialisation, no
/// upcasting), because tamper evidence must judge what is stored, not what the code makes of it.
/// </summary>
public sealed class StoredEvents(IDocumentStore store)
{
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;

    /// <summary>The stored type of Marten's placeholder events for sequence numbers whose append rolled back.</summary>
    public const string TombstoneType = "tombstone";

    /// <summary>The schema of mt_events and mt_streams.</summary>
    internal string Schema => _schema;

    private string Columns =>
        $"""
        stream_id, version, seq_id, type, timestamp, data::text,
        headers ->> '{CommandMetadata.ActorHeader}', headers ->> '{CommandMetadata.AdministrationHeader}', headers ->> '{CommandMetadata.ReasonHeader}',
        correlation_id, causation_id, headers ->> '{EventLedger.HashHeader}', headers ->> '{EventLedger.PreviousHashHeader}'
        """;

    /// <summary>The version the stream table records for a stream, null when there is no such stream.</summary>
    public async Task<long?> StreamVersionAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select version from {_schema}.mt_streams where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(ct) is long version ? version : null;
    }

    /// <summary>
    /// One stream's events with versions from <paramref name="fromVersion"/> to <paramref name="toVersion"/>,
    /// in version order, and the version the stream table records, in one round trip.
    /// </summary>
    public Task<StoredEventRange> ReadRangeAsync(Guid id, long fromVersion, long toVersion, CancellationToken ct) =>
        StoredEventRange.OpenAsync(this, id, fromVersion, toVersion, ct);

    /// <summary>One stream's events in version order.</summary>
    public async IAsyncEnumerable<ChainRecord> ReadStreamAsync(Guid id, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select {Columns} from {_schema}.mt_events where stream_id = @id order by version", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return Read(reader);
        }
    }

    /// <summary>Every event up to a global sequence, grouped by stream (ordered by stream id, then version).</summary>
    public async IAsyncEnumerable<ChainRecord> ReadAllAsync(long upToSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {_schema}.mt_events where seq_id <= @sequence order by stream_id, version", connection);
        command.Parameters.AddWithValue("sequence", upToSequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return Read(reader);
        }
    }

    /// <summary>The first <paramref name="count"/> chained events in global sequence order: the transparency log's leaves, as stored now.</summary>
    public async IAsyncEnumerable<ChainRecord> ReadChainedAsync(long count, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {_schema}.mt_events where headers ? '{EventLedger.HashHeader}' order by seq_id limit @count", connection);
        command.Parameters.AddWithValue("count", count);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return Read(reader);
        }
    }

    /// <summary>
    /// Every stream's stored head and the global sequence they cover, as one consistent cut: a
    /// SHARE lock waits for appends in flight to commit and holds new ones back for the moment it
    /// takes, so no event below the sequence can appear later.
    /// </summary>
    public async Task<(long Sequence, List<StreamHead> Heads)> HeadsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct, ConnectionUsage.ReadWrite);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var lockCommand = new NpgsqlCommand($"lock table {_schema}.mt_events in share mode", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        long sequence;
        await using (var max = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {_schema}.mt_events", connection, transaction))
        {
            sequence = (long)(await max.ExecuteScalarAsync(ct))!;
        }
        var heads = new List<StreamHead>();
        await using (var command = new NpgsqlCommand(
            $"select distinct on (stream_id) stream_id, version, headers ->> '{EventLedger.HashHeader}' from {_schema}.mt_events order by stream_id, version desc",
            connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                heads.Add(new StreamHead(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }
        await transaction.CommitAsync(ct);
        return (sequence, heads);
    }

    /// <summary>Every event up to a global sequence, one stream at a time (its events in version order), for whole-store chain checks.</summary>
    public async IAsyncEnumerable<List<ChainRecord>> ReadAllByStreamAsync(long upToSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = new List<ChainRecord>();
        await foreach (var record in ReadAllAsync(upToSequence, ct))
        {
            if (current.Count > 0 && current[0].Content.StreamId != record.Content.StreamId)
            {
                yield return current;
                current = [];
            }
            current.Add(record);
        }
        if (current.Count > 0)
        {
            yield return current;
        }
    }

    /// <summary>
    /// Where the stored events differ from the transparency log's leaves up to its last leaf's
    /// sequence: an event whose hash is not the one the log took in (rewritten, even with a
    /// recomputed chain, or moved to another sequence), a leaf whose event is gone, a chained event
    /// the log never saw. One pass over both tables joined on the sequence.
    /// </summary>
    public async Task<List<LogDifference>> DifferencesFromLogAsync(string leavesTable, long upToSequence, Guid? stream, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select coalesce(e.stream_id, l.stream_id), coalesce(e.version, l.version), coalesce(e.seq_id, l.seq_id), l.event_hash, e.hash
            from (select seq_id, stream_id, version, headers ->> '{EventLedger.HashHeader}' as hash from {_schema}.mt_events
                  where seq_id <= @up and headers ? '{EventLedger.HashHeader}' {(stream is null ? "" : "and stream_id = @stream")}) e
            full join (select * from {leavesTable} where seq_id <= @up {(stream is null ? "" : "and stream_id = @stream")}) l on l.seq_id = e.seq_id
            where l.event_hash is distinct from e.hash or l.stream_id is distinct from e.stream_id or l.version is distinct from e.version
            order by 3
            """, connection);
        command.Parameters.AddWithValue("up", upToSequence);
        if (stream is { } id)
        {
            command.Parameters.AddWithValue("stream", id);
        }
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var differences = new List<LogDifference>();
        while (await reader.ReadAsync(ct))
        {
            differences.Add(new LogDifference(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return differences;
    }

    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken ct, ConnectionUsage usage = ConnectionUsage.Read)
    {
        var connection = store.Storage.Database.CreateConnection(usage);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static ChainRecord Read(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var content = new EventContent(
            reader.GetGuid(0),
            reader.GetInt64(1),
            reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetString(5),
            new Provenance(Text(6), Text(7), Text(8), Text(9), Text(10)));
        return new ChainRecord(content, reader.GetInt64(2), Text(11), Text(12));
    }
}

/// <summary>An event that differs from the transparency log's leaf at its sequence.</summary>
/// <param name="StreamId">The stream (the event's now, else the leaf's).</param>
/// <param name="Version">The version (likewise).</param>
/// <param name="Sequence">The global sequence.</param>
/// <param name="LoggedHash">The hash the log took in at this sequence (null: the log has no leaf there).</param>
/// <param name="StoredHash">The hash stored with the event now (null: no event there any more).</param>
public sealed record LogDifference(Guid StreamId, long Version, long Sequence, string? LoggedHash, string? StoredHash);
