using System.Buffers;
using Npgsql;
using NpgsqlTypes;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>A text column of a stored event, as <see cref="StoredEventRange"/> hands it out.</summary>
public enum StoredText
{
    // The values are the columns' positions in the range's select list.
    Type = 2,
    Actor = 4,
    Administration = 5,
    Reason = 6,
    CorrelationId = 7,
    CausationId = 8,
    Data = 9,
    Hash = 10,
}

/// <summary>
/// A version range of one stream's stored events, row by row as PostgreSQL holds them, with the
/// version the stream table records (read in the same round trip, one indexed range scan). Text
/// columns, the event's data among them, are handed out as the UTF-8 bytes PostgreSQL sent, so a
/// caller copies them on (e.g. into a JSON response) without deserialising anything or making an
/// object per event. Nothing is upcast: <see cref="HasCurrentType"/> tells whether it would be.
/// </summary>
public sealed class StoredEventRange : IAsyncDisposable
{
    private static readonly string[] _currentNames = [.. EventTypes.Names.Values];

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlBatch _batch;
    private readonly NpgsqlDataReader _reader;

    // Text columns are copied through one growing buffer: nothing is allocated per event.
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(4096);

    private StoredEventRange(NpgsqlConnection connection, NpgsqlBatch batch, NpgsqlDataReader reader, long? streamVersion)
    {
        _connection = connection;
        _batch = batch;
        _reader = reader;
        StreamVersion = streamVersion;
    }

    /// <summary>The version the stream table records; null when there is no such stream.</summary>
    public long? StreamVersion { get; }

    internal static async Task<StoredEventRange> OpenAsync(StoredEvents stored, Guid id, long fromVersion, long toVersion, CancellationToken ct)
    {
        var connection = await stored.OpenAsync(ct);
        NpgsqlBatch? batch = null;
        NpgsqlDataReader? reader = null;
        try
        {
            batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"select version from {stored.Schema}.mt_streams where id = $1") { Parameters = { new() { Value = id } } },
                    new NpgsqlBatchCommand(
                        $"""
                        select version, seq_id, type, timestamp,
                          headers ->> '{CommandMetadata.ActorHeader}', headers ->> '{CommandMetadata.AdministrationHeader}', headers ->> '{CommandMetadata.ReasonHeader}',
                          correlation_id, causation_id, data::text, headers ->> '{EventLedger.HashHeader}', type = any($4)
                        from {stored.Schema}.mt_events where stream_id = $1 and version between $2 and $3 order by version
                        """)
                    {
                        Parameters =
                        {
                            new() { Value = id },
                            new() { Value = fromVersion },
                            new() { Value = toVersion },
                            new() { Value = _currentNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                        },
                    },
                },
            };
            reader = await batch.ExecuteReaderAsync(ct);
            long? streamVersion = await reader.ReadAsync(ct) ? reader.GetInt64(0) : null;
            await reader.NextResultAsync(ct);
            return new StoredEventRange(connection, batch, reader, streamVersion);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
            if (batch is not null)
            {
                await batch.DisposeAsync();
            }
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves to the next event of the range (in version order); false after the last.</summary>
    public Task<bool> ReadAsync(CancellationToken ct) => _reader.ReadAsync(ct);

    /// <summary>The current event's version in its stream.</summary>
    public long Version => _reader.GetInt64(0);

    /// <summary>The current event's global sequence.</summary>
    public long Sequence => _reader.GetInt64(1);

    /// <summary>The current event's timestamp, as stored.</summary>
    public DateTimeOffset Timestamp => _reader.GetFieldValue<DateTimeOffset>(3);

    /// <summary>
    /// Whether the current event is stored under one of today's names (<see cref="EventTypes"/>), so
    /// its data is its current shape; otherwise only Marten's upcaster makes that shape of it.
    /// </summary>
    public bool HasCurrentType => _reader.GetBoolean(11);

    /// <summary>Whether the column is null for the current event (a header that was not set).</summary>
    public bool IsNull(StoredText column) => _reader.IsDBNull((int)column);

    /// <summary>The column as a string (allocates; for the rare paths that need one).</summary>
    public string Text(StoredText column) => _reader.GetString((int)column);

    /// <summary>
    /// The column's UTF-8 bytes as PostgreSQL sent them (the data: its stored JSON text, which
    /// PostgreSQL validated as jsonb when it was stored). Valid until the next call on this range.
    /// </summary>
    public ReadOnlySpan<byte> Utf8(StoredText column)
    {
        var ordinal = (int)column;
        var length = (int)_reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > _scratch.Length)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(length);
        }
        _reader.GetBytes(ordinal, 0, _scratch, 0, length);
        return _scratch.AsSpan(0, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _batch.DisposeAsync();
        await _connection.DisposeAsync();
        var scratch = Interlocked.Exchange(ref _scratch, []);
        if (scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
