using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Storage;
using Npgsql;
using NpgsqlTypes;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// Measurement series, read from the measures' indicator-measured events. The series is the one
/// list that grows with every command of a long pilot, so neither the stored measure nor its
/// monitoring row keeps it (<see cref="MeasureProjection.Stored"/>): otherwise every command would
/// rewrite the whole series twice.
/// The events are already the series written one row per measurement; reads (of a measure, and
/// the dashboards' rows as they are loaded) put it back from them, up to the version of the state
/// they answer with, so the answer equals the fold at that version.
/// </summary>
public sealed class MeasurementSeries(IDocumentStore store)
{
    // The series has had one stored shape. An old name with an upcaster would need that upcaster here too.
    private static readonly string[] StoredNames = [EventTypes.NameOf(typeof(IndicatorMeasured))];

    /// <summary>The state with its series up to its version (whatever series the stored state carried is replaced).</summary>
    public async Task<MeasureState> WithSeriesAsync(MeasureState state, CancellationToken ct) => (await WithSeriesAsync([state], ct))[0];

    /// <summary>The states (of distinct measures), each with its series up to its version, in the order given.</summary>
    public async Task<IReadOnlyList<MeasureState>> WithSeriesAsync(IReadOnlyList<MeasureState> states, CancellationToken ct)
    {
        if (states.Count == 0)
        {
            return states;
        }
        // Events up to a state's version are committed and never change: no need to share the snapshot the states were read in.
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        // One round trip for many states: for each, a range of the stream-and-version index. Only
        // the data column is read and deserialized as the one stored shape the name filter admits:
        // a fully resolved event (headers, metadata) costs several times as much, and a long
        // pilot's series is thousands of events. Not sorted by PostgreSQL (the index yields each
        // stream in version order, which is checked here).
        await using var command = new NpgsqlCommand(
            $"""
            select w.id, d.version, d.data from unnest(@ids, @versions) as w(id, version)
            cross join lateral (
              select e.version, e.data from {EventStoreSetup.Schema}.mt_events as e
              where e.stream_id = w.id and e.version <= w.version and e.type = any(@types) and e.is_archived = false) as d
            """, connection);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, states.Select(s => s.Id).ToArray());
        command.Parameters.AddWithValue("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint, states.Select(s => s.Version).ToArray());
        command.Parameters.AddWithValue("types", NpgsqlDbType.Array | NpgsqlDbType.Text, StoredNames);
        var serializer = store.Options.Serializer();
        var series = new Dictionary<Guid, List<(long Version, Measurement Measurement)>>();
        var ordered = true;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                var version = reader.GetInt64(1);
                if (!series.TryGetValue(id, out var list))
                {
                    series[id] = list = [];
                }
                ordered &= list.Count == 0 || list[^1].Version < version;
                list.Add((version, Measurement.Of(serializer.FromJson<IndicatorMeasured>(reader, 2))));
            }
        }
        if (!ordered)
        {
            foreach (var list in series.Values)
            {
                list.Sort((a, b) => a.Version.CompareTo(b.Version));
            }
        }
        return [.. states.Select(s => s with { Measurements = series.TryGetValue(s.Id, out var list) ? [.. list.Select(x => x.Measurement)] : [] })];
    }
}
