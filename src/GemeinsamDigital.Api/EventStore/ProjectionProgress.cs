using JasperFx.Events.Projections;
using Npgsql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>How far an async projection has come, read from Marten's progression table.</summary>
/// <param name="Projection">Projection name.</param>
/// <param name="Sequence">Global sequence of the last event the projection has applied.</param>
/// <param name="Newest">Global sequence of the newest stored event.</param>
public sealed record ProjectionPosition(string Projection, long Sequence, long Newest)
{
    /// <summary>Events stored but not yet applied by the projection.</summary>
    public long Lag => Math.Max(0, Newest - Sequence);
}

public static class ProjectionProgress
{
    /// <summary>The daemon's progression row of a projection ("name:All").</summary>
    public static string ShardOf(string projection) => new ShardName(projection).Identity;

    /// <summary>
    /// Starts a stopped agent so that it reaches the current high water mark even when no event follows.
    /// The daemon hands a starting agent the mark it knows when the start begins; a mark detected
    /// while the agent starts reaches only running agents, so the current mark is published once more.
    /// </summary>
    public static async Task StartAgentAsync(JasperFx.Events.Daemon.IProjectionDaemon daemon, string shard, CancellationToken ct)
    {
        await daemon.StartAgentAsync(shard, ct);
        // The agent learns of new events from the high water mark's changes. Told the current mark
        // before it listens, it would wait for the next change, which never comes once writes stop:
        // so tell it once it runs.
        try
        {
            await daemon.WaitForShardToBeRunning(shard, TimeSpan.FromSeconds(10)).WaitAsync(ct);
        }
        catch (TimeoutException)
        {
            // Reported by the readiness check; the mark is published all the same.
        }
        await daemon.Tracker.MarkHighWaterAsync(daemon.HighWaterMark());
    }

    /// <summary>
    /// Stops whatever agent runs the shard on this node (one the coordinator started in the
    /// meantime included) and starts a fresh one from the stored progression.
    /// </summary>
    public static async Task RestartAgentAsync(JasperFx.Events.Daemon.IProjectionDaemon daemon, string shard, CancellationToken ct)
    {
        await daemon.StopAgentAsync(shard);
        await StartAgentAsync(daemon, shard, ct);
    }

    /// <summary>Reads positions inside the caller's transaction, so they match what else it reads there.</summary>
    public static async Task<IReadOnlyList<ProjectionPosition>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> projections, CancellationToken ct)
    {
        var shards = projections.Select(ShardOf).ToArray();
        await using var command = new NpgsqlCommand(
            $"""
            select p.name, p.last_seq_id, (select coalesce(max(seq_id), 0) from {EventStoreSetup.Schema}.mt_events)
            from unnest(@shards) as s(name)
            left join {EventStoreSetup.Schema}.mt_event_progression p on p.name = s.name
            """, connection, transaction);
        command.Parameters.AddWithValue("shards", shards);
        var found = new Dictionary<string, long>();
        long newest = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0))
                {
                    found[reader.GetString(0)] = reader.GetInt64(1);
                }
                newest = reader.GetInt64(2);
            }
        }
        return [.. projections.Select(p => new ProjectionPosition(p, found.GetValueOrDefault(ShardOf(p)), newest))];
    }

    /// <summary>
    /// Per projection, how long the oldest event it has not applied yet has waited (none when it is up
    /// to date; by the database's clock, which stored the event): read from the progression table, so
    /// it tells whether *any* node projects, whichever node asks.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TimeSpan>> WaitingAsync(
        NpgsqlConnection connection, IReadOnlyList<string> projections, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            select s.name, extract(epoch from clock_timestamp() - e.timestamp)::float8
            from unnest(@shards) as s(name)
            left join {EventStoreSetup.Schema}.mt_event_progression p on p.name = s.name
            cross join lateral (
                select timestamp from {EventStoreSetup.Schema}.mt_events
                where seq_id > coalesce(p.last_seq_id, 0) order by seq_id limit 1) e
            """, connection);
        command.Parameters.AddWithValue("shards", projections.Select(ShardOf).ToArray());
        var waiting = new Dictionary<string, TimeSpan>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var projection = projections.First(p => ShardOf(p) == reader.GetString(0));
            waiting[projection] = TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1)));
        }
        return waiting;
    }
}
