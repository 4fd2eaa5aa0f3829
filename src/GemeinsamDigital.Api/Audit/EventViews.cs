using System.Buffers;
using System.Text.Json;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>
/// The one mapping from stored events to <see cref="MeasureEventView"/> JSON (GET …/events and
/// …/history). The data is already stored as JSON, so its bytes are copied into the response
/// instead of being deserialized to events and serialized again, and no object is made per event
/// (that round trip was most of the cost of reading a long history). Only a row stored
/// under an old event name is read through Marten, so it shows its upcast shape, as every other
/// read of it does.
/// </summary>
public static class EventViews
{
    private static readonly JsonEncodedText _version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText _sequence = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText _type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText _timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText _actor = JsonEncodedText.Encode("actor");
    private static readonly JsonEncodedText _actorName = JsonEncodedText.Encode("actorName");
    private static readonly JsonEncodedText _administration = JsonEncodedText.Encode("administration");
    private static readonly JsonEncodedText _reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText _correlationId = JsonEncodedText.Encode("correlationId");
    private static readonly JsonEncodedText _causationId = JsonEncodedText.Encode("causationId");
    private static readonly JsonEncodedText _data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText _hash = JsonEncodedText.Encode("hash");

    /// <summary>What a range read found besides the events it wrote.</summary>
    /// <param name="StreamVersion">The version the stream table records; null when there is no such stream.</param>
    /// <param name="Written">Events written (at most the asked count).</param>
    /// <param name="LastWritten">The version of the last event written; 0 when none.</param>
    /// <param name="Following">The version of the first event after those written, when the range held one more.</param>
    public readonly record struct RangeRead(long? StreamVersion, int Written, long LastWritten, long? Following);

    /// <summary>
    /// Writes the stream's events with versions from <paramref name="fromVersion"/> to
    /// <paramref name="toVersion"/> as a JSON array, at most <paramref name="take"/> of them, and
    /// reads the stream's recorded version in the same round trip (one indexed range scan). Each
    /// actor's name (while its subject is not erased) is looked up once per call.
    /// </summary>
    public static async Task<RangeRead> WriteRangeAsync(
        Utf8JsonWriter writer, StoredEvents stored, IQuerySession session, SubjectDirectory subjects, Guid id, long fromVersion, long toVersion, int take, CancellationToken ct)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using var range = await stored.ReadRangeAsync(id, fromVersion, toVersion, ct);
        writer.WriteStartArray();
        var written = 0;
        var last = 0L;
        while (await range.ReadAsync(ct))
        {
            var version = range.Version;
            if (written == take)
            {
                writer.WriteEndArray();
                return new RangeRead(range.StreamVersion, written, last, version);
            }
            writer.WriteStartObject();
            writer.WriteNumber(_version, version);
            writer.WriteNumber(_sequence, range.Sequence);
            Utf8OrNull(writer, _type, range, StoredText.Type);
            writer.WriteString(_timestamp, range.Timestamp);
            Utf8OrNull(writer, _actor, range, StoredText.Actor);
            var actor = range.IsNull(StoredText.Actor) ? null : range.Text(StoredText.Actor);
            if (actor is not null && !names.ContainsKey(actor))
            {
                names[actor] = (await subjects.NamesAsync([actor], ct)).GetValueOrDefault(actor);
            }
            writer.WriteString(_actorName, actor is null ? null : names[actor]);
            Utf8OrNull(writer, _administration, range, StoredText.Administration);
            Utf8OrNull(writer, _reason, range, StoredText.Reason);
            Utf8OrNull(writer, _correlationId, range, StoredText.CorrelationId);
            Utf8OrNull(writer, _causationId, range, StoredText.CausationId);
            writer.WritePropertyName(_data);
            if (range.HasCurrentType)
            {
                // The stored JSON text as is; PostgreSQL validated it as jsonb when it was stored.
                writer.WriteRawValue(range.Utf8(StoredText.Data), skipInputValidation: true);
            }
            else
            {
                await WriteUpcastAsync(writer, session, id, version, range.Text(StoredText.Data), ct);
            }
            Utf8OrNull(writer, _hash, range, StoredText.Hash);
            writer.WriteEndObject();
            written++;
            last = version;
        }
        writer.WriteEndArray();
        return new RangeRead(range.StreamVersion, written, last, null);
    }

    // An old event name: the event as Marten's upcaster makes it, serialized as the API serializes.
    private static async Task WriteUpcastAsync(Utf8JsonWriter writer, IQuerySession session, Guid id, long version, string stored, CancellationToken ct)
    {
        var read = await session.Events.FetchStreamAsync(id, version: version, fromVersion: version, token: ct);
        if (read is [{ Data: { } data }])
        {
            JsonSerializer.Serialize(writer, data, data.GetType(), ApiJson.Options);
        }
        else
        {
            writer.WriteRawValue(stored, skipInputValidation: true);
        }
    }

    private static void Utf8OrNull(Utf8JsonWriter writer, JsonEncodedText name, StoredEventRange range, StoredText column)
    {
        if (range.IsNull(column))
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, range.Utf8(column));
        }
    }
}

/// <summary>
/// A 200 whose JSON body was written completely before the response starts (so a database failure
/// while reading still becomes a problem response), into pooled memory that is returned afterwards.
/// </summary>
public sealed class PooledJsonResult : IResult, IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public PooledJsonResult(int sizeHint) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 4096));

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = _written;
            await response.Body.WriteAsync(Written, httpContext.RequestAborted);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = larger;
    }
}
