using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Aggregation;
using Marten.Internal.Storage;
using Marten.Linq.SqlGeneration;
using Marten.Storage;
using Npgsql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// Rebuilds single-stream projections in ONE pass over the events: pages in sequence order,
/// each event resolved by Marten's own event storage (upcasters and metadata included) and fed to
/// every projection's own Evolve, the documents held in memory, then swapped in with binary COPY in
/// one transaction. The daemon's rebuild reads all events once per projection and loads and
/// upserts documents page by page; this is what made a full rebuild slow (see README, Benchmarks).
/// <para>Guarantees. Async projections: their agent is stopped, the events up to the daemon's high
/// water mark (below it nothing is in flight) are folded, and documents and progression are written
/// in one transaction; the agent then continues after the mark, so events appended meanwhile are
/// applied exactly once (an agent the coordinator restarts during the replay is locked out of the
/// swap, fails on the progression it wrote over, and is replaced by one started after the swap). Inline projections: their tables are locked against writes (reads go on)
/// for the swap, the events committed after the mark are folded on top first, and a command still
/// in flight writes its documents after the swap, as it would have. Until the swap readers see the
/// previous documents, never partial ones.</para>
/// </summary>
public sealed class ProjectionReplay(IDocumentStore store, ResolvedEvents events, ILogger<ProjectionReplay> logger)
{
    /// <summary>Events read per round trip; a page is folded while the next one is read.</summary>
    public const int PageSize = 10_000;

    private StoreOptions Options => (StoreOptions)store.Options;

    /// <summary>Can this projection be rebuilt by the replay (a single-stream projection keyed by Guid)?</summary>
    public static bool Replays(IProjectionSource<IDocumentOperations, IQuerySession> source) => Fold.TryCreate(source, out _);

    /// <summary>Rebuilds the given projections (all replayable, see <see cref="Replays"/>) together.</summary>
    public async Task RebuildAsync(IReadOnlyList<IProjectionSource<IDocumentOperations, IQuerySession>> sources, IProjectionDaemon daemon, TimeSpan timeout, CancellationToken ct)
    {
        var folds = sources.Select(s => Fold.TryCreate(s, out var fold) ? fold : throw new ArgumentException($"{s.Name} is not a single-stream projection.")).ToList();
        var asyncShards = folds.Where(f => !f.Inline).Select(f => ProjectionProgress.ShardOf(f.Name)).ToList();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancellation.CancelAfter(timeout);
        var token = cancellation.Token;
        foreach (var shard in asyncShards)
        {
            await daemon.StopAgentAsync(shard);
        }
        try
        {
            foreach (var fold in folds)
            {
                await store.Storage.Database.EnsureStorageExistsAsync(fold.DocumentType, token);
            }
            // Everything at or below the high water mark is committed; above it a transaction may still be open.
            var mark = Math.Max(daemon.HighWaterMark(), await store.Advanced.ProjectionProgressFor(new ShardName(ShardState.HighWaterMark), token: token));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (pause, gen0, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
            long folded;
            await using (var connection = await OpenAsync(timeout, token))
            {
                folded = await ReadAsync(connection, null, 0, mark, folds, token);
            }
            var replayed = watch.Elapsed.TotalSeconds;
            // The inline projections are swapped together (one lock, one catch-up), each async one on
            // its own with its progression: on separate connections, so PostgreSQL writes them in parallel.
            var inline = folds.Where(f => f.Inline).ToList();
            var swaps = folds.Where(f => !f.Inline).Select(f => SwapAsync([f], mark, timeout, token)).ToList();
            if (inline.Count > 0)
            {
                swaps.Add(SwapAsync(inline, mark, timeout, token));
            }
            await Task.WhenAll(swaps);
            logger.LogInformation("Rebuilt {Projections} from {Events} events up to sequence {Mark}: replayed in {Replay:0.00} s, documents swapped in {Swap:0.00} s; GC paused {Pause:0.00} s in {Gen0} collections ({Gen2} full)",
                string.Join(", ", folds.Select(f => f.Name)), folded, mark, replayed, watch.Elapsed.TotalSeconds - replayed,
                (GC.GetTotalPauseDuration() - pause).TotalSeconds, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2);
        }
        finally
        {
            foreach (var shard in asyncShards)
            {
                // Restarted even after a failure: the agent continues from the progression it finds.
                // Stopped first: the coordinator's leadership loop starts any agent it finds missing,
                // so one may have started during the replay from the old progression; the swap's
                // progression makes its next batch fail as out of order, which leaves it stopped for good.
                await ProjectionProgress.RestartAgentAsync(daemon, shard, CancellationToken.None);
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(TimeSpan timeout, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(store.Storage.Database.CreateConnection().ConnectionString)
        {
            CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Folds the events in (floor, ceiling] into the folds, reading the next page while folding one.</summary>
    private async Task<long> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long floor, long ceiling, IReadOnlyList<Fold> folds, CancellationToken ct)
    {
        long count = 0;
        var folding = Task.CompletedTask;
        while (true)
        {
            var (from, to) = (floor, ceiling);
            var page = await events.ReadAsync(connection, transaction, "d.seq_id > @floor and d.seq_id <= @ceiling", "d.seq_id", p =>
            {
                p.AddWithValue("floor", from);
                p.AddWithValue("ceiling", to);
            }, PageSize, ct);
            await folding;
            if (page.Count == 0)
            {
                return count;
            }
            count += page.Count;
            floor = page[^1].Sequence;
            // Each projection folds the page on its own: they share nothing but the (read-only) events.
            folding = Task.WhenAll(folds.Select(fold => Task.Run(() =>
            {
                foreach (var e in page)
                {
                    fold.Apply(e);
                }
            }, ct)));
        }
    }

    /// <summary>
    /// Replaces the documents of projections of one lifecycle in one transaction: inline ones with
    /// the events committed since the mark folded on top, async ones with their progression.
    /// </summary>
    private async Task SwapAsync(IReadOnlyList<Fold> folds, long mark, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = await OpenAsync(timeout, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Blocks writes to the documents (not reads) until commit, and waits for a writer that began
        // before: for inline projections the commands, for async ones an agent the coordinator may
        // have started during the replay. Taken first, so the swap's row deletes cannot deadlock with
        // that agent's upserts; its next batch then fails on the progression and it is restarted.
        await ExecuteAsync(connection, transaction, $"lock table {string.Join(", ", folds.Select(f => f.Table(store.Storage.Database)))} in share row exclusive mode", ct);
        if (folds.Any(f => f.Inline))
        {
            // A command that wrote before the lock has committed by now, so its events are read here and folded on top.
            var since = await ReadAsync(connection, transaction, mark, long.MaxValue, folds, ct);
            logger.LogInformation("Folded {Events} events appended during the replay into {Projections}", since, string.Join(", ", folds.Select(f => f.Name)));
        }
        var tenant = Tenant.ForDatabase(store.Storage.Database);
        var serializer = Options.Serializer();
        foreach (var fold in folds)
        {
            await fold.ReplaceAsync(store.Storage.Database, tenant, serializer, connection, transaction, ct);
            if (!fold.Inline)
            {
                await using var progress = new NpgsqlCommand(
                    $"""
                    insert into {EventStoreSetup.Schema}.mt_event_progression (name, last_seq_id, last_updated) values (@name, @mark, transaction_timestamp())
                    on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated
                    """, connection, transaction);
                progress.Parameters.AddWithValue("name", ProjectionProgress.ShardOf(fold.Name));
                progress.Parameters.AddWithValue("mark", mark);
                await progress.ExecuteNonQueryAsync(ct);
            }
        }
        await transaction.CommitAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One projection's documents, folded in memory by the projection's own Evolve.</summary>
    private abstract class Fold
    {
        public required string Name { get; init; }

        public required bool Inline { get; init; }

        public abstract Type DocumentType { get; }

        public abstract string Table(IMartenDatabase database);

        public abstract void Apply(IEvent e);

        public abstract Task ReplaceAsync(IMartenDatabase database, Tenant tenant, ISerializer serializer, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct);

        public static bool TryCreate(IProjectionSource<IDocumentOperations, IQuerySession> source, out Fold fold)
        {
            fold = null!;
            var type = source.GetType();
            while (type is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>)))
            {
                type = type.BaseType;
            }
            // Projections filtered by stream type are left to the daemon; an event-type filter the replay applies itself.
            if (type is null || type.GetGenericArguments()[1] != typeof(Guid)
                || source is not ProjectionBase { StreamType: null } filtered)
            {
                return false;
            }
            fold = (Fold)Activator.CreateInstance(typeof(Fold<>).MakeGenericType(type.GetGenericArguments()[0]), source, filtered.IncludedEventTypes.ToArray())!;
            return true;
        }
    }

    private sealed class Fold<TDoc> : Fold where TDoc : notnull
    {
        private readonly SingleStreamProjection<TDoc, Guid> _projection;
        private readonly Dictionary<Guid, TDoc> _documents = [];
        private readonly Type[] _included;
        private readonly Dictionary<Type, bool> _takes = [];

        [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
        public Fold(SingleStreamProjection<TDoc, Guid> projection, Type[] included)
        {
            _projection = projection;
            _included = included;
            Name = projection.Name;
            Inline = projection.Lifecycle == ProjectionLifecycle.Inline;
        }

        public override Type DocumentType => typeof(TDoc);

        public override string Table(IMartenDatabase database) => Provider(database).QueryOnly.TableName.QualifiedName;

        private static MartenDocumentProvider<TDoc> Provider(IMartenDatabase database) => (MartenDocumentProvider<TDoc>)database.Providers.StorageFor<TDoc>();

        public override void Apply(IEvent e)
        {
            // The projection's IncludeType list, as the daemon applies it (empty: every event).
            if (_included.Length > 0)
            {
                if (!_takes.TryGetValue(e.EventType, out var takes))
                {
                    _takes[e.EventType] = takes = _included.Any(t => t.IsAssignableFrom(e.EventType));
                }
                if (!takes)
                {
                    return;
                }
            }
            var next = _projection.Evolve(_documents.GetValueOrDefault(e.StreamId), e.StreamId, e);
            if (next is null)
            {
                _documents.Remove(e.StreamId);
            }
            else
            {
                _documents[e.StreamId] = next;
            }
        }

        /// <summary>
        /// Deletes the rows (readers keep seeing them until commit; TRUNCATE would block them) and
        /// writes the documents with Marten's bulk loader (binary COPY) inside the caller's transaction.
        /// </summary>
        public override async Task ReplaceAsync(IMartenDatabase database, Tenant tenant, ISerializer serializer, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
        {
            await ExecuteAsync(connection, transaction, $"delete from {Table(database)}", ct);
            await Provider(database).BulkLoader.LoadAsync(tenant, serializer, connection, _documents.Values, ct);
        }
    }
}
