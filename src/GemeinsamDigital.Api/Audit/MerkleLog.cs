using GemeinsamDigital.Audit;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Storage;
using Marten.Subscriptions;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace GemeinsamDigital.Api.Audit;

/// <summary>One leaf of the log: an event, by its global sequence.</summary>
public sealed record MerkleLeaf(long LeafIndex, long Sequence, Guid StreamId, long Version, string EventHash);

/// <summary>
/// The Merkle log over every chained event in global sequence order (RFC 9162 shape,
/// <see cref="MerkleTree"/>), in two tables of its own: the leaves (sequence, stream, version, the
/// event's hash) and the perfect subtrees' hashes by level. Appending leaf i writes its leaf hash and
/// the one perfect node per trailing 1-bit of i that it completes: amortised two rows, O(log n) at
/// worst; a root or a proof reads at most O(log² n) nodes in one query. Written only by
/// <see cref="MerkleAppender"/>; nothing locks the events table.
/// </summary>
public sealed class MerkleLog(IDocumentStore store)
{
    public const string LeavesTable = "merkle_leaves";
    public const string NodesTable = "merkle_nodes";
    public const string Leaves = $"{EventStoreSetup.Schema}.{LeavesTable}";
    private const string Nodes = $"{EventStoreSetup.Schema}.{NodesTable}";

    public static IEnumerable<Table> Definitions()
    {
        var leaves = new Table(Leaves);
        leaves.AddColumn<long>("leaf_index").AsPrimaryKey();
        leaves.AddColumn<long>("seq_id").NotNull();
        leaves.AddColumn<Guid>("stream_id").NotNull();
        leaves.AddColumn<long>("version").NotNull();
        leaves.AddColumn<string>("event_hash").NotNull();
        leaves.Indexes.Add(new IndexDefinition("ux_merkle_leaves_seq") { Columns = ["seq_id"], IsUnique = true });
        leaves.Indexes.Add(new IndexDefinition("ix_merkle_leaves_stream") { Columns = ["stream_id", "version"] });
        yield return leaves;

        var nodes = new Table(Nodes);
        nodes.AddColumn<int>("level").AsPrimaryKey();
        nodes.AddColumn<long>("idx").AsPrimaryKey();
        nodes.AddColumn("hash", "bytea").NotNull();
        yield return nodes;
    }

    /// <summary>Leaves in the log, and the sequence of the last one (0 when empty).</summary>
    public async Task<(long Size, long LastSequence)> SizeAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await SizeAsync(connection, ct);
    }

    internal static async Task<(long Size, long LastSequence)> SizeAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select leaf_index + 1, seq_id from {Leaves} order by leaf_index desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    public async Task<MerkleLeaf?> LeafBySequenceAsync(long sequence, CancellationToken ct) =>
        await ReadLeafAsync($"where seq_id = @v", sequence, ct);

    public async Task<MerkleLeaf?> LeafAsync(long index, CancellationToken ct) =>
        await ReadLeafAsync($"where leaf_index = @v", index, ct);

    /// <summary>The last leaf of a stream at or below a tree size (the leaf an export proves).</summary>
    public async Task<MerkleLeaf?> LastLeafOfStreamAsync(Guid streamId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select leaf_index, seq_id, stream_id, version, event_hash from {Leaves} where stream_id = @s order by leaf_index desc limit 1", connection);
        command.Parameters.AddWithValue("s", streamId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadLeaf(reader) : null;
    }

    /// <summary>Leaves by index range, for the verifier and the log export.</summary>
    public async Task<List<MerkleLeaf>> LeavesAsync(long fromIndex, long toIndexExclusive, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select leaf_index, seq_id, stream_id, version, event_hash from {Leaves} where leaf_index >= @a and leaf_index < @b order by leaf_index", connection);
        command.Parameters.AddWithValue("a", fromIndex);
        command.Parameters.AddWithValue("b", toIndexExclusive);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var leaves = new List<MerkleLeaf>();
        while (await reader.ReadAsync(ct))
        {
            leaves.Add(ReadLeaf(reader));
        }
        return leaves;
    }

    public async Task<byte[]> RootAsync(long size, CancellationToken ct) =>
        size == 0 ? MerkleTree.EmptyRoot() : await ComputeAsync(node => MerkleTree.Root(size, node), ct);

    public Task<List<byte[]>> InclusionProofAsync(long index, long size, CancellationToken ct) =>
        ComputeAsync(node => MerkleTree.InclusionProof(index, size, node), ct);

    public Task<List<byte[]>> ConsistencyProofAsync(long from, long to, CancellationToken ct) =>
        ComputeAsync(node => MerkleTree.ConsistencyProof(from, to, node), ct);

    /// <summary>The perfect subtrees of a tree size with their hashes and the sequences of their first and last leaves.</summary>
    public async Task<List<SubtreeHash>> SubtreesAsync(long size, CancellationToken ct)
    {
        var frontier = MerkleTree.Frontier(size);
        var hashes = await NodesAsync(frontier, ct);
        var bounds = new HashSet<long>(frontier.SelectMany(n => new[] { n.FirstLeaf, n.FirstLeaf + n.Leaves - 1 }));
        var sequences = new Dictionary<long, long>();
        await using (var connection = await OpenAsync(ct))
        await using (var command = new NpgsqlCommand($"select leaf_index, seq_id from {Leaves} where leaf_index = any(@i)", connection))
        {
            command.Parameters.AddWithValue("i", bounds.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                sequences[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }
        return [.. frontier.Select(n => new SubtreeHash(n.FirstLeaf, n.Leaves, Convert.ToHexStringLower(hashes[n]),
            sequences.TryGetValue(n.FirstLeaf, out var first) ? first : null,
            sequences.TryGetValue(n.FirstLeaf + n.Leaves - 1, out var last) ? last : null))];
    }

    // Runs a computation twice: once to learn which nodes it reads, then on those nodes read in one query.
    private async Task<T> ComputeAsync<T>(Func<Func<MerkleNode, byte[]>, T> computation, CancellationToken ct)
    {
        var nodes = await NodesAsync(MerkleTree.NodesNeeded(node => computation(node)), ct);
        return computation(node => nodes.TryGetValue(node, out var hash)
            ? hash
            : throw new InvalidOperationException($"Merkle node {node.Level}/{node.Index} is missing: the log's tables were changed."));
    }

    internal async Task<Dictionary<MerkleNode, byte[]>> NodesAsync(IEnumerable<MerkleNode> wanted, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await NodesAsync(connection, wanted, ct);
    }

    internal static async Task<Dictionary<MerkleNode, byte[]>> NodesAsync(NpgsqlConnection connection, IEnumerable<MerkleNode> wanted, CancellationToken ct)
    {
        var list = wanted.ToList();
        var result = new Dictionary<MerkleNode, byte[]>();
        if (list.Count == 0)
        {
            return result;
        }
        await using var command = new NpgsqlCommand(
            $"select n.level, n.idx, n.hash from {Nodes} n join unnest(@l, @i) as w(level, idx) on n.level = w.level and n.idx = w.idx", connection);
        command.Parameters.AddWithValue("l", list.Select(n => n.Level).ToArray());
        command.Parameters.AddWithValue("i", list.Select(n => n.Index).ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[new MerkleNode(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
        }
        return result;
    }

    internal const string AppendLeavesSql =
        $"insert into {Leaves} (leaf_index, seq_id, stream_id, version, event_hash) select * from unnest(?, ?, ?, ?, ?)";

    internal const string AppendNodesSql =
        $"insert into {Nodes} (level, idx, hash) select * from unnest(?, ?, ?)";

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        return connection;
    }

    private async Task<MerkleLeaf?> ReadLeafAsync(string where, long value, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select leaf_index, seq_id, stream_id, version, event_hash from {Leaves} {where}", connection);
        command.Parameters.AddWithValue("v", value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadLeaf(reader) : null;
    }

    private static MerkleLeaf ReadLeaf(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetGuid(2), r.GetInt64(3), r.GetString(4));
}

/// <summary>
/// Appends committed events to the <see cref="MerkleLog"/>: a Marten subscription, run by the async
/// daemon page by page in global order up to the high water mark, writing a page's leaves and nodes
/// in the transaction that records its progress (so each event becomes exactly one leaf whatever
/// crashes). Events without a chain hash (Marten's tombstones for rolled-back sequence numbers) are
/// not leaves.
/// </summary>
public sealed class MerkleAppender : SubscriptionBase
{
    public const string SubscriptionName = "merkle";

    // No constructor dependencies: the store is configured with this subscription, so it cannot be one.
    public MerkleAppender()
    {
        Name = SubscriptionName;
        Options.BatchSize = 1000;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        await using var connection = operations.DocumentStore.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(cancellationToken);
        var (size, lastSequence) = await MerkleLog.SizeAsync(connection, cancellationToken);
        // The frontier (one perfect node per 1-bit of the size) is all that appending needs.
        var frontier = MerkleTree.Frontier(size);
        var known = await MerkleLog.NodesAsync(connection, frontier, cancellationToken);
        var stack = frontier.Select(n => (n.Level, Hash: known[n])).ToList();

        var leafIndexes = new List<long>();
        var sequences = new List<long>();
        var streams = new List<Guid>();
        var versions = new List<long>();
        var eventHashes = new List<string>();
        var levels = new List<int>();
        var indexes = new List<long>();
        var hashes = new List<byte[]>();
        foreach (var e in page.Events)
        {
            // A page replayed after a crash between reading and committing is skipped by sequence.
            if (e.Sequence <= lastSequence || EventLedger.Header(e, EventLedger.HashHeader) is not { } eventHash || !EventHash.IsHash(eventHash))
            {
                continue;
            }
            var index = size++;
            leafIndexes.Add(index);
            sequences.Add(e.Sequence);
            streams.Add(e.StreamId);
            versions.Add(e.Version);
            eventHashes.Add(eventHash);

            var hash = MerkleTree.EventLeaf(eventHash);
            var level = 0;
            var position = index;
            levels.Add(0);
            indexes.Add(position);
            hashes.Add(hash);
            while ((position & 1) == 1)
            {
                var (leftLevel, left) = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                System.Diagnostics.Debug.Assert(leftLevel == level);
                hash = MerkleTree.NodeHash(left, hash);
                level++;
                position >>= 1;
                levels.Add(level);
                indexes.Add(position);
                hashes.Add(hash);
            }
            stack.Add((level, hash));
        }
        if (leafIndexes.Count > 0)
        {
            operations.QueueSqlCommand(MerkleLog.AppendLeavesSql,
                leafIndexes.ToArray(), sequences.ToArray(), streams.ToArray(), versions.ToArray(), eventHashes.ToArray());
            operations.QueueSqlCommand(MerkleLog.AppendNodesSql, levels.ToArray(), indexes.ToArray(), hashes.ToArray());
        }
        return NullChangeListener.Instance;
    }
}
