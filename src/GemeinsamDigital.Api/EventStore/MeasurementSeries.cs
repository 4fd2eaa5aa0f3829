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
    /// <param name="state">The state as stored.</param>
    /// <param name="known">States with their series this node already holds (the live monitoring rows): a series is read on from the known one's version when that is not beyond the state's.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<MeasureState> WithSeriesAsync(MeasureState state, Func<Guid, MeasureState?>? known, CancellationToken ct) =>
        (await WithSeriesAsync([state], known, ct))[0];

    /// <summary>The states (of distinct measures), each with its series up to its version, in the order given.</summary>
    /// <param name="states">The states as stored.</param>
    /// <param name="known">As for one state.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<IReadOnlyList<MeasureState>> WithSeriesAsync(IReadOnlyList<MeasureState> states, Func<Guid, MeasureState?>? known, CancellationToken ct)
    {
        var from = new MeasureState?[states.Count];
        var reads = new List<int>(states.Count);
        for (var i = 0; i < states.Count; i++)
        {
            from[i] = known?.Invoke(states[i].Id) is { } k && k.Version <= states[i].Version ? k : null;
            if (from[i]?.Version != states[i].Version)
            {
                reads.Add(i);
            }
        }
        var series = reads.Count == 0 ? [] : await ReadAsync(reads.Select(i => (states[i].Id, from[i]?.Version ?? 0, states[i].Version)).ToList(), ct);
        var result = new MeasureState[states.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var before = from[i]?.Measurements ?? [];
            result[i] = states[i] with
            {
                Measurements = series.TryGetValue(states[i].Id, out var read) ? [.. before, .. read.Select(x => x.Measurement)] : before,
            };
        }
        return result;
    }

    /// <summary>The measurements of each stream with a version in (after, upTo], in version order.</summary>
    private async Task<Dictionary<Guid, List<(long Version, Measurement Measurement)>>> ReadAsync(IReadOnlyList<(Guid Id, long After, long UpTo)> ranges, CancellationToken ct)
    {
        // Events up to a state's version are committed and never change: no need to share the snapshot the states were read in.
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        // One round trip for many states: for each, a range of the stream-and-version index. The
        // name filter admits only the one stored shape, so its four fields are taken from the
        // stored JSON by name (docs/event-contract.md): no JSON is parsed here, which for a long
        // pilot's thousands of small documents would cost more than the query. Not sorted by
        // PostgreSQL: the index yields each stream in version order, which is checked here.
        await using var command = new NpgsqlCommand(
            $"""
            select w.id, e.version, e.data->>'indicator', (e.data->>'value')::numeric, (e.data->>'on')::date, e.data->>'source'
            from unnest(@ids, @afters, @versions) as w(id, after, version)
            cross join lateral (
              select e.version, e.data from {EventStoreSetup.Schema}.mt_events as e
              where e.stream_id = w.id and e.version > w.after and e.version <= w.version and e.type = any(@types) and e.is_archived = false) as e
            """, connection);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, ranges.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue("afters", NpgsqlDbType.Array | NpgsqlDbType.Bigint, ranges.Select(r => r.After).ToArray());
        command.Parameters.AddWithValue("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint, ranges.Select(r => r.UpTo).ToArray());
        command.Parameters.AddWithValue("types", NpgsqlDbType.Array | NpgsqlDbType.Text, StoredNames);
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
                list.Add((version, new Measurement(reader.GetString(2), reader.GetDecimal(3), reader.GetFieldValue<DateOnly>(4), reader.GetString(5))));
            }
        }
        if (!ordered)
        {
            foreach (var list in series.Values)
            {
                list.Sort((a, b) => a.Version.CompareTo(b.Version));
            }
        }
        return series;
    }
}
