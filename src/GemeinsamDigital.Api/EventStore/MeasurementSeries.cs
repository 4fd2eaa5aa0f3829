using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Storage;
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
public sealed class MeasurementSeries(IDocumentStore store, ResolvedEvents events)
{
    // The series has had one stored shape; an old name with an upcaster would be added here.
    private static readonly string[] StoredNames = [EventTypes.NameOf(typeof(IndicatorMeasured))];

    /// <summary>The state with its series up to its version (whatever series the stored state carried is replaced).</summary>
    public async Task<MeasureState> WithSeriesAsync(MeasureState state, CancellationToken ct) => (await WithSeriesAsync([state], ct))[0];

    /// <summary>The states, each with its series up to its version, in the order given.</summary>
    public async Task<IReadOnlyList<MeasureState>> WithSeriesAsync(IReadOnlyList<MeasureState> states, CancellationToken ct)
    {
        if (states.Count == 0)
        {
            return states;
        }
        // Events up to a state's version are committed and never change: no need to share the snapshot the states were read in.
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        // One round trip for many states: the stream-and-version index finds each stream's events,
        // and the versions join as a semi-join.
        var read = await events.ReadAsync(connection, null,
            """
            d.stream_id = any(@ids) and d.type = any(@types) and d.is_archived = false
            and exists (select from unnest(@ids, @versions) as w(id, version) where w.id = d.stream_id and d.version <= w.version)
            """,
            "d.stream_id, d.version", p =>
            {
                p.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, states.Select(s => s.Id).ToArray());
                p.AddWithValue("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint, states.Select(s => s.Version).ToArray());
                p.AddWithValue("types", NpgsqlDbType.Array | NpgsqlDbType.Text, StoredNames);
            }, null, ct);
        var series = new Dictionary<Guid, List<Measurement>>();
        foreach (var e in read)
        {
            if (e.Data is IndicatorMeasured measured)
            {
                if (!series.TryGetValue(e.StreamId, out var list))
                {
                    series[e.StreamId] = list = [];
                }
                list.Add(Measurement.Of(measured));
            }
        }
        return [.. states.Select(s => s with { Measurements = series.TryGetValue(s.Id, out var list) ? list : [] })];
    }
}
