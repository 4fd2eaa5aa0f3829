using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Linq.SqlGeneration;
using Marten.Storage;
using Npgsql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// Reads events of mt_events as Marten resolves them (event type mapping, upcasters, metadata and
/// headers), for the paths that fold many events at once: time travel and the replay rebuild.
/// Marten's own reads (FetchStream, AggregateStream) resolve every column of every event with an
/// awaited call; here a whole result set is resolved synchronously by the same event storage,
/// which halves the CPU per event (README, Benchmarks).
/// </summary>
public sealed class ResolvedEvents(IDocumentStore store)
{
    private readonly Lazy<(IEventStorage Storage, string Select)> _storage = new(() =>
    {
        var storage = (IEventStorage)store.Storage.Database.Providers.StorageFor<IEvent>().QueryOnly;
        return (storage, string.Join(", ", ((ISelectClause)storage).SelectFields().Select(f => "d." + f)));
    });

    /// <summary>
    /// Events matching <paramref name="where"/> (over mt_events aliased d), in the given order, at most
    /// <paramref name="limit"/>; parameters are added by <paramref name="parameters"/>.
    /// </summary>
    public async Task<List<IEvent>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, string orderBy,
        Action<NpgsqlParameterCollection> parameters, int? limit, CancellationToken ct)
    {
        var (storage, select) = _storage.Value;
        var sql = $"select {select} from {EventStoreSetup.Schema}.mt_events as d where {where} order by {orderBy}" + (limit is { } l ? $" limit {l}" : "");
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        parameters(command.Parameters);
        var events = new List<IEvent>(limit ?? 64);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(((Weasel.Storage.ISelector<IEvent>)storage).Resolve(reader));
        }
        return events;
    }

    /// <summary>One stream's events after a version (0: from the first), up to a version (or all), or up to a point in time, in version order.</summary>
    public async Task<List<IEvent>> StreamAsync(Guid id, long? upToVersion, DateTimeOffset? upToTimestamp, CancellationToken ct, long afterVersion = 0)
    {
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        // The filters of Marten's own stream fetch (archived events left out).
        var where = "d.stream_id = @id and d.is_archived = false"
            + (afterVersion > 0 ? " and d.version > @after" : "")
            + (upToVersion is null ? "" : " and d.version <= @version")
            + (upToTimestamp is null ? "" : " and d.timestamp <= @timestamp");
        return await ReadAsync(connection, null, where, "d.version", p =>
        {
            p.AddWithValue("id", id);
            if (afterVersion > 0)
            {
                p.AddWithValue("after", afterVersion);
            }
            if (upToVersion is { } v)
            {
                p.AddWithValue("version", v);
            }
            if (upToTimestamp is { } t)
            {
                p.AddWithValue("timestamp", t);
            }
        }, null, ct);
    }
}
