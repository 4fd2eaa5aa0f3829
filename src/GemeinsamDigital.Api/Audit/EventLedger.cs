using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>
/// The one way events enter a stream (measures, revision phases): each event gets its timestamp (from the clock,
/// microsecond precision, fixed before saving so it can be hashed), its metadata (actor,
/// administration, reason, correlation and causation ids) and its link in the stream's hash chain
/// (headers "prevHash" and "hash", see <see cref="EventHash"/>).
/// </summary>
public sealed class EventLedger(TimeProvider clock)
{
    public const string HashHeader = "hash";
    public const string PreviousHashHeader = "prevHash";

    /// <summary>Starts a measure's stream with events at given (e.g. backdated demo) times.</summary>
    public static void StartStream(IDocumentSession session, Guid id, IReadOnlyList<(IMeasureEvent Event, DateTimeOffset At)> events, CommandMetadata metadata) =>
        StartStream<MeasureState>(session, id, [.. events.Select(e => ((object)e.Event, e.At))], metadata);

    /// <summary>Starts any stream (measures, revision phases) with events at given times.</summary>
    public static void StartStream<TState>(IDocumentSession session, Guid id, IReadOnlyList<(object Event, DateTimeOffset At)> events, CommandMetadata metadata)
        where TState : class =>
        session.Events.StartStream<TState>(id, Chain(session, id, 0, EventHash.Genesis, events, metadata));

    /// <summary>
    /// Appends events at given times to a stream read with FetchForWriting. The previous hash is
    /// that of the event at the version FetchForWriting saw (<paramref name="knownPreviousHash"/> when
    /// the caller's state carries it); Marten's optimistic check on save guarantees nobody appended since.
    /// </summary>
    public static async Task AppendAsync<TState>(IDocumentSession session, IEventStream<TState> stream, IReadOnlyList<(object Event, DateTimeOffset At)> events,
        CommandMetadata metadata, CancellationToken ct, string? knownPreviousHash = null) where TState : class
    {
        var current = stream.StartingVersion ?? 0;
        var previous = current == 0
            ? EventHash.Genesis
            : knownPreviousHash ?? await HashOfAsync(session, stream.Id, current, ct) ?? EventHash.Genesis;
        stream.AppendMany(Chain(session, stream.Id, current, previous, events, metadata));
    }

    /// <summary>The stored hash of one event (null for an event written before the chain existed).</summary>
    public static async Task<string?> HashOfAsync(IQuerySession session, Guid id, long version, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, version: version, fromVersion: version, token: ct);
        return events.Count == 1 ? Header(events[0], HashHeader) : null;
    }

    public static string? Header(IEvent e, string key) =>
        e.Headers is not null && e.Headers.TryGetValue(key, out var value) ? value?.ToString() : null;

    public DateTimeOffset UtcNow => clock.GetUtcNow();

    /// <summary>The events stamped with one moment: now.</summary>
    public (object Event, DateTimeOffset At)[] Now(IEnumerable<object> events)
    {
        var now = clock.GetUtcNow();
        return [.. events.Select(e => (e, now))];
    }

    private static object[] Chain(IDocumentSession session, Guid id, long startingVersion, string previousHash,
        IReadOnlyList<(object Event, DateTimeOffset At)> events, CommandMetadata metadata)
    {
        // Session-level values are copied onto events by Marten; keep them identical to what is hashed.
        session.LastModifiedBy = metadata.Actor;
        session.CorrelationId = metadata.CorrelationId;
        session.CausationId = metadata.CausationId;

        var serializer = session.DocumentStore.Options.Serializer();
        var provenance = new Provenance(metadata.Actor, metadata.Administration, metadata.Reason, metadata.CorrelationId, metadata.CausationId);
        var result = new object[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (data, at) = events[i];
            var timestamp = EventHash.Truncate(at);
            // Marten's own wrapper carries the stored type name; the timestamp is fixed here, not at insert.
            var wrapped = session.Events.BuildEvent(data);
            wrapped.Timestamp = timestamp;
            // The data exactly as Marten will store it; jsonb's reformatting is undone by canonical JSON.
            var content = new EventContent(id, startingVersion + i + 1, wrapped.EventTypeName, timestamp, serializer.ToJson(data), provenance);
            var hash = EventHash.Compute(previousHash, content);

            wrapped.UserName = metadata.Actor;
            wrapped.CorrelationId = metadata.CorrelationId;
            wrapped.CausationId = metadata.CausationId;
            wrapped.SetHeader(CommandMetadata.ActorHeader, metadata.Actor);
            if (metadata.Administration is not null)
            {
                wrapped.SetHeader(CommandMetadata.AdministrationHeader, metadata.Administration);
            }
            if (metadata.Reason is not null)
            {
                wrapped.SetHeader(CommandMetadata.ReasonHeader, metadata.Reason);
            }
            wrapped.SetHeader(PreviousHashHeader, previousHash);
            wrapped.SetHeader(HashHeader, hash);
            result[i] = wrapped;
            previousHash = hash;
        }
        return result;
    }
}
