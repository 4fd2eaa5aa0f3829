using System.Text.Json;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Testing;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Internal.Storage;
using Marten.Linq.SqlGeneration;
using Marten.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.EventStore;

/// <summary>
/// What EventStore/ relies on beyond Marten's documented API: the columns of its event tables, the
/// append mode's handling of preset timestamps, the progression rows, the storage internals the
/// replay and the raw readers use, the stored type names and headers. A Marten upgrade that
/// changes one of them fails here, with a message naming the code to look at, instead of
/// somewhere deep in the audit or the rebuild.
/// </summary>
public class MartenContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly CommandMetadata _metadata = new("contract:tester", "skzl", "Vertragstest", "contract-correlation", "contract-causation");

    private static readonly string[] _text = ["varchar", "text"];

    private StoreOptions Options => (StoreOptions)api.Store.Options;

    private static string Broken(string what, string lookAt) =>
        $"MARTEN CONTRACT BROKEN (a Marten upgrade?): {what}. Look at {lookAt}.";

    [Fact]
    public async Task The_stored_event_columns_the_raw_readers_select_keep_their_names_and_types()
    {
        // Make sure the event tables exist (they are created with the first event).
        await AppendMeasureAsync(new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var columns = await ColumnsAsync();

        var expected = new (string Table, string Column, string[] Types, string ReadBy)[]
        {
            ("mt_events", "seq_id", ["int8"], "GetInt64 in StoredEvents, StoredEventRange; max(seq_id) in WriteSession, ProjectionProgress; paging of ResolvedEvents"),
            ("mt_events", "stream_id", ["uuid"], "GetGuid in StoredEvents; filter of StoredEventRange, ResolvedEvents"),
            ("mt_events", "version", ["int8"], "GetInt64 in StoredEvents, StoredEventRange"),
            ("mt_events", "type", _text, "GetString in StoredEvents, UTF-8 bytes in StoredEventRange, compared with EventTypes"),
            ("mt_events", "timestamp", ["timestamptz"], "GetFieldValue<DateTimeOffset> in StoredEvents, StoredEventRange; filter of ResolvedEvents"),
            ("mt_events", "data", ["jsonb"], "data::text in StoredEvents, StoredEventRange (copied as is into responses)"),
            ("mt_events", "headers", ["jsonb"], "headers ->> 'actor', 'hash', 'prevHash', … in StoredEvents, StoredEventRange"),
            ("mt_events", "correlation_id", _text, "GetString in StoredEvents, StoredEventRange"),
            ("mt_events", "causation_id", _text, "GetString in StoredEvents, StoredEventRange"),
            ("mt_events", "is_archived", ["bool"], "filter of ResolvedEvents.StreamAsync (as Marten's own stream fetch)"),
            ("mt_streams", "id", ["uuid"], "stream lookup in StoredEvents, StoredEventRange"),
            ("mt_streams", "version", ["int8"], "GetInt64 in StoredEvents.StreamVersionAsync, StoredEventRange"),
        };
        var problems = expected
            .Select(e => (e, Found: columns.GetValueOrDefault((e.Table, e.Column))))
            .Where(x => x.Found is null || !x.e.Types.Contains(x.Found))
            .Select(x => $"{EventStoreSetup.Schema}.{x.e.Table}.{x.e.Column}: expected {string.Join(" or ", x.e.Types)}, found {x.Found ?? "no such column"} (read by: {x.e.ReadBy})");
        string.Join(Environment.NewLine, problems).ShouldBeEmpty(Broken(
            "the stored event columns read with raw SQL changed",
            "the SQL and the typed reads in src/GemeinsamDigital.Api/EventStore/StoredEvents.cs, StoredEventRange.cs, ResolvedEvents.cs, WriteSession.cs, ProjectionProgress.cs"));

        // A history page is one indexed range scan, in version order, and a version is unique in its stream.
        var indexes = await ListAsync<string>(
            "select indexdef from pg_indexes where schemaname = @schema and tablename = 'mt_events'", ("schema", EventStoreSetup.Schema));
        indexes.ShouldContain(d => d.StartsWith("CREATE UNIQUE INDEX") && d.EndsWith("(stream_id, version)"), Broken(
            $"{EventStoreSetup.Schema}.mt_events has no unique index on (stream_id, version) any more (found: {string.Join("; ", indexes)})",
            "StoredEventRange (history pages, …/events read a version range by that index) and StoredEvents.ReadStreamAsync"));
    }

    [Fact]
    public async Task Preset_event_timestamps_are_stored_exactly_to_the_microsecond()
    {
        // Years ago and with every sub-second digit set: no clock at insert time produces these.
        var (id, events) = await AppendMeasureAsync(new DateTimeOffset(2019, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567));
        var stored = new List<(long Version, DateTimeOffset Timestamp)>();
        await foreach (var record in api.Services.GetRequiredService<StoredEvents>().ReadStreamAsync(id, CancellationToken.None))
        {
            stored.Add((record.Content.Version, record.Content.Timestamp));
        }

        stored.Count.ShouldBe(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var preset = EventHash.Truncate(events[i].At);
            stored[i].Timestamp.ShouldBe(preset, Broken(
                $"event {stored[i].Version} (appended {(i < Started ? "with StartStream" : "to an existing stream")}) was stored with timestamp "
                + $"{stored[i].Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} instead of the preset {preset.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} "
                + $"(append mode {Options.Events.AppendMode}). The hash chain covers the timestamp, so every new event would fail verification",
                "opts.Events.AppendMode in src/GemeinsamDigital.Api/EventStore/EventStoreSetup.cs (it must store IEvent.Timestamp as set) "
                + "and wrapped.Timestamp in src/GemeinsamDigital.Api/Audit/EventLedger.cs"));
        }
    }

    [Fact]
    public async Task Progression_rows_are_the_ones_ProjectionProgress_reads_and_ProjectionReplay_writes()
    {
        await AppendMeasureAsync(new DateTimeOffset(2021, 5, 6, 9, 0, 0, TimeSpan.Zero));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var columns = await ColumnsAsync();
        var expected = new (string Column, string[] Types)[] { ("name", _text), ("last_seq_id", ["int8"]), ("last_updated", ["timestamptz"]) };
        var problems = expected
            .Select(e => (e, Found: columns.GetValueOrDefault(("mt_event_progression", e.Column))))
            .Where(x => x.Found is null || !x.e.Types.Contains(x.Found))
            .Select(x => $"{EventStoreSetup.Schema}.mt_event_progression.{x.e.Column}: expected {string.Join(" or ", x.e.Types)}, found {x.Found ?? "no such column"}");
        string.Join(Environment.NewLine, problems).ShouldBeEmpty(Broken(
            "the progression table changed",
            "ProjectionProgress.ReadAsync and the progression upsert in ProjectionReplay.SwapAsync (src/GemeinsamDigital.Api/EventStore/)"));
        var unique = await ListAsync<string>(
            "select indexdef from pg_indexes where schemaname = @schema and tablename = 'mt_event_progression'", ("schema", EventStoreSetup.Schema));
        unique.ShouldContain(d => d.StartsWith("CREATE UNIQUE INDEX") && d.EndsWith("(name)"), Broken(
            $"mt_event_progression is no longer unique by name (found: {string.Join("; ", unique)})",
            "the 'on conflict (name)' upsert in ProjectionReplay.SwapAsync"));

        // The daemon records its progress under the name ProjectionProgress computes, and Marten reads that row.
        var projection = MonitoringProjection.ProjectionName;
        var shard = ProjectionProgress.ShardOf(projection);
        var newest = await ScalarAsync<long>($"select max(seq_id) from {EventStoreSetup.Schema}.mt_events");
        var names = await ListAsync<string>($"select name from {EventStoreSetup.Schema}.mt_event_progression");
        names.ShouldContain(shard, Broken(
            $"the daemon no longer writes a progression row named '{shard}' (rows: {string.Join(", ", names)})",
            "ProjectionProgress.ShardOf, which the freshness figures, readiness and the replay use to find a projection's row"));
        (await RowAsync(shard)).ShouldBe(newest, Broken(
            $"the progression row '{shard}' is not at the newest sequence after the daemon caught up",
            "ProjectionProgress.ReadAsync (it reads last_seq_id as the projection's position)"));
        (await PositionAsync(projection)).ShouldBe(newest, Broken("ProjectionProgress.ReadAsync no longer reads the daemon's position", "src/GemeinsamDigital.Api/EventStore/ProjectionProgress.cs"));

        // The high water mark the replay starts from (and the measure list's changedAfterSequence reads) is a progression row too.
        var highWater = await api.Store.Advanced.ProjectionProgressFor(new ShardName(ShardState.HighWaterMark));
        ((long?)highWater).ShouldBe(await RowAsync(ShardState.HighWaterMark), Broken(
            $"Marten's high water mark is not the progression row '{ShardState.HighWaterMark}'",
            "the mark ProjectionReplay.RebuildAsync replays up to, and StreamSequences.HighWaterMarkAsync"));
        await using (var query = api.Store.QuerySession())
        {
            (await StreamSequences.HighWaterMarkAsync(query, CancellationToken.None)).ShouldBe((long)highWater, Broken(
                "StreamSequences.HighWaterMarkAsync does not read Marten's high water mark",
                "src/GemeinsamDigital.Api/EventStore/StreamSequences.cs"));
        }

        // What the replay writes is what Marten reads, and the daemon goes on from it.
        var rebuilt = await api.Services.GetRequiredService<ProjectionOperations>().TryRebuildAsync([projection], TimeSpan.FromMinutes(1), CancellationToken.None);
        rebuilt.ShouldNotBeNull();
        (await api.Store.Advanced.ProjectionProgressFor(new ShardName(projection))).ShouldBe(newest, Broken(
            "Marten does not read the progression the replay wrote",
            "the progression upsert in ProjectionReplay.SwapAsync (name, last_seq_id, last_updated)"));
        var (next, _) = await AppendMeasureAsync(new DateTimeOffset(2021, 5, 7, 9, 0, 0, TimeSpan.Zero));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await RowAsync(shard)).ShouldBe(await ScalarAsync<long>($"select max(seq_id) from {EventStoreSetup.Schema}.mt_events"), Broken(
            "the daemon did not continue from the progression the replay wrote",
            "ProjectionReplay.SwapAsync and ProjectionProgress.StartAgentAsync"));
        await using var session = api.Store.QuerySession();
        (await session.LoadAsync<MonitoringRow>(next)).ShouldNotBeNull("the daemon did not project the event appended after the replay");
    }

    [Fact]
    public async Task Marten_internals_used_by_ResolvedEvents_and_ProjectionReplay_are_there_and_behave()
    {
        var database = api.Store.Storage.Database;
        const string lookAtResolved = "src/GemeinsamDigital.Api/EventStore/ResolvedEvents.cs (time travel and the replay read events through it)";
        const string lookAtReplay = "src/GemeinsamDigital.Api/EventStore/ProjectionReplay.cs (the fold and the swap)";

        // ResolvedEvents: Marten's event storage as select list and row resolver.
        var eventStorage = database.Providers.StorageFor<IEvent>().QueryOnly;
        eventStorage.ShouldBeAssignableTo<IEventStorage>(Broken($"Marten's query-only event storage is {eventStorage.GetType()}, no IEventStorage", lookAtResolved));
        eventStorage.ShouldBeAssignableTo<ISelectClause>(Broken($"Marten's event storage {eventStorage.GetType()} is no ISelectClause (its select list)", lookAtResolved));
        eventStorage.ShouldBeAssignableTo<Weasel.Storage.ISelector<IEvent>>(Broken($"Marten's event storage {eventStorage.GetType()} is no ISelector<IEvent> (its row resolver)", lookAtResolved));

        // Resolved from raw rows, the events are what Marten's own stream fetch gives.
        var (id, _) = await AppendMeasureAsync(new DateTimeOffset(2022, 2, 3, 9, 0, 0, TimeSpan.Zero));
        var resolved = await api.Services.GetRequiredService<ResolvedEvents>().StreamAsync(id, null, null, CancellationToken.None);
        IReadOnlyList<IEvent> fetched;
        await using (var session = api.Store.QuerySession())
        {
            fetched = await session.Events.FetchStreamAsync(id);
        }
        Describe(resolved).ShouldBe(Describe(fetched), Broken("ResolvedEvents no longer resolves events as Marten's FetchStream does", lookAtResolved));

        // ProjectionReplay: our single-stream projections are replayed, not left to the daemon.
        var sources = Options.Projections.All.ToList();
        foreach (var source in sources)
        {
            ProjectionReplay.Replays(source).ShouldBeTrue(Broken(
                $"projection '{source.Name}' ({source.GetType().Name}) is no longer recognised as a single-stream projection by Guid "
                + "(SingleStreamProjection<,> base, ProjectionBase.StreamType, IncludedEventTypes)", lookAtReplay));
        }

        // The document storage the swap locks, deletes and bulk loads.
        var provider = database.Providers.StorageFor<MeasureState>();
        var documents = provider.ShouldBeAssignableTo<MartenDocumentProvider<MeasureState>>(Broken($"Marten's document provider is {provider.GetType()}", lookAtReplay))!;
        documents.QueryOnly.TableName.QualifiedName.ShouldBe($"{EventStoreSetup.Schema}.mt_doc_measurestate", Broken("the document table's qualified name changed", lookAtReplay));
        documents.BulkLoader.ShouldNotBeNull(Broken("Marten's document provider has no bulk loader", lookAtReplay));

        // The bulk loader writes inside the caller's transaction: the swap is atomic only then.
        MeasureState state;
        await using (var session = api.Store.QuerySession())
        {
            state = (await session.LoadAsync<MeasureState>(id)).ShouldNotBeNull();
        }
        var table = documents.QueryOnly.TableName.QualifiedName;
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var delete = new NpgsqlCommand($"delete from {table} where id = @id", connection, transaction))
            {
                delete.Parameters.AddWithValue("id", id);
                await delete.ExecuteNonQueryAsync();
            }
            await documents.BulkLoader.LoadAsync(Tenant.ForDatabase(database), Options.Serializer(), connection, [state with { Title = "bulk loaded" }], CancellationToken.None);
            await using (var read = new NpgsqlCommand($"select data ->> 'title' from {table} where id = @id", connection, transaction))
            {
                read.Parameters.AddWithValue("id", id);
                (await read.ExecuteScalarAsync()).ShouldBe("bulk loaded", Broken("the bulk loader did not write the document on the caller's connection", lookAtReplay));
            }
            await transaction.RollbackAsync();
        }
        await using (var session = api.Store.QuerySession())
        {
            (await session.LoadAsync<MeasureState>(id))!.Title.ShouldBe(state.Title, Broken(
                "the bulk loader committed on its own: the replay's swap would no longer be one transaction", lookAtReplay));
        }

        // The whole replay (fold by the projections' Evolve, swap by bulk loading) gives the documents the projections wrote.
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var before = await DocumentsAsync(id);
        var rebuilt = await api.Services.GetRequiredService<ProjectionOperations>().TryRebuildAsync(
            sources.Select(s => s.Name), TimeSpan.FromMinutes(1), CancellationToken.None);
        rebuilt.ShouldNotBeNull();
        (await DocumentsAsync(id)).ShouldBe(before, Broken(
            "the replayed documents differ from the ones the projections wrote (if the preset timestamp test fails as well, fix that first: "
            + "the inline projection saw the preset timestamps, the replay folds the stored ones)", lookAtReplay));
    }

    [Fact]
    public async Task Events_are_stored_under_our_type_names_with_our_headers()
    {
        const string lookAt = "src/GemeinsamDigital.Api/EventStore/EventTypes.cs, EventStoreSetup.cs (MapEventType, MetadataConfig) and Audit/EventLedger.cs";
        var graph = Options.Events.ShouldBeAssignableTo<EventGraph>(Broken("the event options are no EventGraph", lookAt))!;
        foreach (var (type, name) in EventTypes.Names)
        {
            graph.EventMappingFor(type).EventTypeName.ShouldBe(name, Broken($"{type.Name} is mapped to another stored name", lookAt));
        }

        var (id, events) = await AppendMeasureAsync(new DateTimeOffset(2023, 4, 5, 9, 0, 0, TimeSpan.Zero));
        var rows = new List<string?[]>();
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"""
                select type, headers ->> '{CommandMetadata.ActorHeader}', headers ->> '{CommandMetadata.AdministrationHeader}', headers ->> '{CommandMetadata.ReasonHeader}',
                  headers ->> '{EventLedger.PreviousHashHeader}', headers ->> '{EventLedger.HashHeader}', correlation_id, causation_id
                from {EventStoreSetup.Schema}.mt_events where stream_id = @id order by version
                """, connection);
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
            }
        }

        rows.Select(r => r[0]).ShouldBe(events.Select(e => EventTypes.NameOf(e.Event.GetType())), Broken("events are not stored under the names of EventTypes", lookAt));
        var previous = EventHash.Genesis;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var v = i + 1;
            (row[1], row[2], row[3]).ShouldBe((_metadata.Actor, _metadata.Administration, _metadata.Reason), Broken(
                $"event {v}: the actor, administration and reason headers are not stored as set", lookAt));
            (row[6], row[7]).ShouldBe((_metadata.CorrelationId, _metadata.CausationId), Broken(
                $"event {v}: correlation and causation ids are not stored as set", lookAt));
            row[4].ShouldBe(previous, Broken($"event {v}: the '{EventLedger.PreviousHashHeader}' header is not stored as set", lookAt));
            row[5].ShouldNotBeNullOrEmpty(Broken($"event {v}: the '{EventLedger.HashHeader}' header is not stored", lookAt));
            previous = row[5]!;
        }

        // Marten reads the headers back (EventLedger.HashOfAsync chains the next append to them).
        await using var session = api.Store.QuerySession();
        var fetched = await session.Events.FetchStreamAsync(id);
        fetched.Select(e => EventLedger.Header(e, EventLedger.HashHeader)).ShouldBe(rows.Select(r => r[5]), Broken(
            "Marten no longer reads the stored headers back", "EventLedger.Header and EventLedger.HashOfAsync"));
    }

    /// <summary>How many of a test measure's events start its stream; the rest are appended to it.</summary>
    private const int Started = 2;

    /// <summary>
    /// A measure's stream written by the ledger as commands write it (a new stream, then an append
    /// to it), its events a day apart from <paramref name="start"/> plus a few odd microseconds.
    /// </summary>
    private async Task<(Guid Id, List<(IMeasureEvent Event, DateTimeOffset At)> Events)> AppendMeasureAsync(DateTimeOffset start)
    {
        var id = Guid.NewGuid();
        var events = new List<(IMeasureEvent Event, DateTimeOffset At)>();
        MeasureState? state = null;
        void Add(Decision decision)
        {
            decision.Rejection.ShouldBeNull();
            foreach (var e in decision.Events)
            {
                var at = start.AddDays(events.Count).AddTicks(events.Count * 1_010_101);
                events.Add((e, at));
                state = MeasureEvolution.Evolve(state, e, new EventInfo(events.Count, at));
            }
        }
        Add(MeasureLifecycle.Propose(id, SampleCommands.Propose()));
        Add(MeasureLifecycle.Decide(state!, SampleCommands.UnderstandProblem()));
        Add(MeasureLifecycle.Decide(state!, SampleCommands.DefineGoals()));
        Add(MeasureLifecycle.Decide(state!, SampleCommands.AmendDetails()));
        events.Count.ShouldBeGreaterThan(Started);

        await using (var session = api.Store.LightweightSession())
        {
            EventLedger.StartStream(session, id, events[..Started], _metadata);
            await session.SaveChangesAsync();
        }
        await using (var session = api.Store.LightweightSession())
        {
            var stream = await session.Events.FetchForWriting<MeasureState>(id);
            await EventLedger.AppendAsync(session, stream, [.. events[Started..].Select(e => ((object)e.Event, e.At))], _metadata, CancellationToken.None);
            await session.SaveChangesAsync();
        }
        return (id, events);
    }

    private static List<string> Describe(IEnumerable<IEvent> events) =>
        [.. events.Select(e => string.Join(" | ",
            e.Id, e.StreamId, e.Version, e.Sequence, e.EventTypeName, e.DotNetTypeName, e.Timestamp.UtcDateTime.ToString("O"),
            e.CorrelationId, e.CausationId, e.UserName, e.Data.GetType().FullName, JsonSerializer.Serialize(e.Data, e.Data.GetType(), HttpExtensions.JsonOptions),
            string.Join(",", (e.Headers ?? []).OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}"))))];

    private async Task<List<string>> DocumentsAsync(Guid id)
    {
        await using var session = api.Store.QuerySession();
        var measure = await session.LoadAsync<MeasureState>(id);
        var row = await session.LoadAsync<MonitoringRow>(id);
        return [JsonSerializer.Serialize(measure, HttpExtensions.JsonOptions), JsonSerializer.Serialize(row, HttpExtensions.JsonOptions)];
    }

    private async Task<Dictionary<(string Table, string Column), string>> ColumnsAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select table_name, column_name, udt_name from information_schema.columns where table_schema = @schema", connection);
        command.Parameters.AddWithValue("schema", EventStoreSetup.Schema);
        var columns = new Dictionary<(string, string), string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }
        return columns;
    }

    private async Task<long?> RowAsync(string name)
    {
        var found = await ListAsync<long>($"select last_seq_id from {EventStoreSetup.Schema}.mt_event_progression where name = @name", ("name", name));
        return found.Count == 1 ? found[0] : null;
    }

    private async Task<long> PositionAsync(string projection)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        return (await ProjectionProgress.ReadAsync(connection, null, [projection], CancellationToken.None)).Single().Sequence;
    }

    private async Task<T> ScalarAsync<T>(string sql) => (await ListAsync<T>(sql)).Single();

    private async Task<List<T>> ListAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }
        return values;
    }
}
