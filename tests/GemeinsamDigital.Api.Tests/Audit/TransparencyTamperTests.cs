using System.Net;
using System.Text.Json;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>
/// A database administrator rewrites events behind the service's back: tree heads published
/// before catch what the chains cannot, and nothing built on the events takes the change in silently.
/// One class per tampering, each on its own database, so one's changes never meet another's checks.
/// </summary>
public abstract class TransparencyTamperTests(ApiFixture api)
{
    protected readonly ApiFixture api = api;
    protected readonly HttpClient _client = api.Client;

    protected async Task<Guid> Measure()
    {
        var measure = await new Scenario(_client).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate());
        await measure.Step(SampleCommands.StartPilot());
        return measure.Id;
    }

    protected async Task<List<ChainRecord>> Stored(Guid id)
    {
        var records = new List<ChainRecord>();
        await foreach (var r in api.Services.GetRequiredService<StoredEvents>().ReadStreamAsync(id, CancellationToken.None))
        {
            records.Add(r);
        }
        return records;
    }

    // What an administrator would do to hide the rewrite from the service: the leaves' hashes and every node recomputed.
    protected async Task RebuildLogTables(Dictionary<long, string> rewritten)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task Run(string sql, params (string, object)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            await command.ExecuteNonQueryAsync();
        }
        await Run("lock table gd.merkle_leaves, gd.merkle_nodes in exclusive mode");
        foreach (var (sequence, hash) in rewritten)
        {
            await Run("update gd.merkle_leaves set event_hash = @h where seq_id = @s", ("h", hash), ("s", sequence));
        }
        var log = new MemoryMerkleLog();
        await using (var read = new NpgsqlCommand("select event_hash from gd.merkle_leaves order by leaf_index", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                log.Append(MerkleTree.EventLeaf(reader.GetString(0)));
            }
        }
        await Run("delete from gd.merkle_nodes");
        var (levels, indexes, hashes) = (new List<int>(), new List<long>(), new List<byte[]>());
        for (var level = 0; (1L << level) <= log.Size; level++)
        {
            for (long index = 0; (index + 1) << level <= log.Size; index++)
            {
                levels.Add(level);
                indexes.Add(index);
                hashes.Add(log.Node(new MerkleNode(level, index)));
            }
        }
        await Run("insert into gd.merkle_nodes (level, idx, hash) select * from unnest(@l, @i, @h)", ("l", levels.ToArray()), ("i", indexes.ToArray()), ("h", hashes.ToArray()));
        await transaction.CommitAsync();
    }
}

public class ConsistentRewriteTests(ApiFixture api) : TransparencyTamperTests(api), IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_consistent_rewrite_of_events_and_log_passes_the_integrity_check_but_not_the_consistency_proof()
    {
        var victim = await Measure();
        await Measure();
        await api.WaitForLog();
        using var key = await _client.TreeHeadKey();
        var older = await _client.SignTreeHead();

        // The events rewritten with recomputed hashes, and the log's tables rebuilt to match (the algorithms are public).
        var records = await Stored(victim);
        var previous = records[1].StoredPrevious!;
        var rewritten = new Dictionary<long, string>();
        for (var i = 1; i < records.Count; i++)
        {
            var content = i == 1 ? records[i].Content with { Data = """{"affectedGroups":[],"evidence":"Nichts."}""" } : records[i].Content;
            var hash = EventHash.Compute(previous, content);
            await api.Sql("""
                update gd.mt_events set data = @data::jsonb, headers = headers || jsonb_build_object('hash', @hash::text, 'prevHash', @previous::text)
                where stream_id = @id and version = @version
                """, ("id", victim), ("version", content.Version), ("data", content.Data), ("hash", hash), ("previous", previous));
            rewritten[records[i].Sequence!.Value] = hash;
            previous = hash;
        }
        await RebuildLogTables(rewritten);

        var integrity = await (await _client.GetAsync($"/api/measures/{victim}/integrity")).Read<IntegrityReport>();
        integrity.Intact.ShouldBeTrue("the chain and the (rewritten) log agree");

        await new Scenario(_client).Propose(SampleCommands.Propose());
        await api.WaitForLog();
        var newer = await _client.SignTreeHead();
        var withProof = await (await _client.GetAsync($"/api/audit/tree-head?treeSize={newer.TreeSize}&consistencyFrom={older.TreeSize}")).Read<TreeHead>();

        var directory = TransparencySupport.NewTempDirectory();
        var keyFile = TransparencySupport.WriteTemp(directory, "key.pem", TreeHeads.ExportPublicKey(key));
        var (code, output) = TransparencySupport.RunVerify("verify-consistency",
            TransparencySupport.WriteTemp(directory, "old.json", older), TransparencySupport.WriteTemp(directory, "new.json", withProof), "--public-key", keyFile);
        code.ShouldBe(1, output);
        output.ShouldStartWith("INCONSISTENT");
        // The rewritten sequences lie inside a range the command names.
        var ranges = TreeHeads.CheckConsistency(older, withProof, withProof.Consistency!).Rewritten;
        ranges.ShouldNotBeEmpty();
        rewritten.Keys.ShouldAllBe(s => ranges.Any(r => r.FirstSequence <= s && s <= r.LastSequence));
        output.ShouldContain($"event sequences {ranges[0].FirstSequence}–{ranges[0].LastSequence}");

        // The whole log against the head kept from before.
        var log = await (await _client.GetAsync($"/api/audit/log?treeSize={older.TreeSize}")).Content.ReadAsByteArrayAsync();
        (code, output) = TransparencySupport.RunVerify("verify-log", TransparencySupport.WriteTemp(directory, "log.ndjson", System.Text.Encoding.UTF8.GetString(log)),
            TransparencySupport.WriteTemp(directory, "old-again.json", older), "--public-key", keyFile);
        code.ShouldBe(1, output);
        output.ShouldContain("rewritten: leaves");
        Directory.Delete(directory, recursive: true);
    }
}

public class ChangedEventTests(ApiFixture api) : TransparencyTamperTests(api), IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_changed_event_is_refused_by_the_rebuild_and_the_revision_close_and_announced_on_reads()
    {
        var victim = await Measure();
        await api.WaitForLog();
        var original = await api.Scalar<string>("select data::text from gd.mt_events where stream_id = @id and version = 3", ("id", victim));
        await api.Sql("""update gd.mt_events set data = jsonb_set(data, '{perspectives}', '["zp1"]') where stream_id = @id and version = 3""", ("id", victim));

        var rebuild = await _client.PostAsync("/api/admin/projections/rebuild", null);
        rebuild.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await rebuild.Json();
        problem.GetProperty("type").GetString().ShouldEndWith("/integrity-broken");
        problem.GetProperty("streams").EnumerateArray().Select(s => s.GetGuid()).ShouldContain(victim);

        foreach (var url in new[] { $"/api/measures/{victim}", $"/api/measures/{victim}?version=2" })
        {
            var read = await _client.GetAsync(url);
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
            read.Headers.GetValues("Integrity-Status").Single().ShouldBe("broken; version=3");
            var notice = (await read.Json()).GetProperty("integrity");
            notice.GetProperty("status").GetString().ShouldBe("broken");
            notice.GetProperty("firstMismatch").GetProperty("version").GetInt64().ShouldBe(3);
        }

        var from = new DateOnly(2026, 1, 1);
        var opened = await _client.PostJson("/api/revisions", new OpenRevisionPhase("Prüfphase", from, from.AddMonths(6), null));
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var phase = (await opened.Json()).GetProperty("phaseId").GetGuid();
        var close = await _client.PostAsync($"/api/revisions/{phase}/close", null);
        close.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await close.Json()).GetProperty("streams").EnumerateArray().Select(s => s.GetGuid()).ShouldBe([victim]);

        // Restored from a backup: the check finds it intact, the notice goes, the rebuild runs.
        await api.Sql("update gd.mt_events set data = @data::jsonb where stream_id = @id and version = 3", ("id", victim), ("data", original));
        (await (await _client.GetAsync($"/api/measures/{victim}/integrity")).Read<IntegrityReport>()).Intact.ShouldBeTrue();
        (await _client.GetAsync($"/api/measures/{victim}")).Headers.Contains("Integrity-Status").ShouldBeFalse();
        (await _client.PostAsync("/api/admin/projections/rebuild", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.PostAsync($"/api/revisions/{phase}/close", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public class DeletedTailTests(ApiFixture api) : TransparencyTamperTests(api), IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_background_verifier_finds_a_deleted_tail_the_chain_cannot_see()
    {
        var victim = await Measure();
        await api.WaitForLog();
        await api.Sql("delete from gd.mt_events where stream_id = @id and version = 5", ("id", victim));
        await api.Sql("update gd.mt_streams set version = 4 where id = @id", ("id", victim));

        var sweep = await api.Services.GetRequiredService<IntegrityMonitor>().SweepAsync("verifier", CancellationToken.None);
        var mismatch = sweep.Broken[victim];
        (mismatch.Version, mismatch.Reason).ShouldBe((5L, ChainBreakReason.DiffersFromLog));
        (await _client.GetAsync($"/api/measures/{victim}")).Headers.GetValues("Integrity-Status").Single().ShouldBe("broken; version=5");
    }
}
