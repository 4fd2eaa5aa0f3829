using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using Microsoft.Extensions.DependencyInjection;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>
/// Rows of gd.mt_events altered directly in PostgreSQL, behind the service's back: the integrity
/// check and a checkpoint taken before must both detect and locate each change.
/// </summary>
public class TamperEvidenceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    /// <summary>A measure with versions 1..5, checked intact, and a checkpoint taken over it.</summary>
    private async Task<(Guid Id, string Checkpoint)> MeasureAndCheckpoint()
    {
        var measure = await new Scenario(_client).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate());
        await measure.Step(SampleCommands.StartPilot());
        var report = await Integrity(measure.Id);
        report.Intact.ShouldBeTrue();
        report.HeadVersion.ShouldBe(5);
        var checkpoint = await (await _client.GetAsync("/api/audit/checkpoint")).Read<CheckpointView>();
        await api.WaitForLog();
        return (measure.Id, checkpoint.Checkpoint);
    }

    private async Task<IntegrityReport> Integrity(Guid id) =>
        await (await _client.GetAsync($"/api/measures/{id}/integrity")).Read<IntegrityReport>();

    private async Task<CheckpointVerification> Verify(string checkpoint) =>
        await (await _client.GetAsync($"/api/audit/verify?checkpoint={Uri.EscapeDataString(checkpoint)}")).Read<CheckpointVerification>();

    private Task<long> SequenceOf(Guid id, long version) =>
        api.Scalar<long>("select seq_id from gd.mt_events where stream_id = @id and version = @v", ("id", id), ("v", version));

    private async Task ShouldBeLocated(Guid id, string checkpoint, long version, ChainBreakReason reason, long? sequence)
    {
        var integrity = await Integrity(id);
        integrity.Intact.ShouldBeFalse();
        var mismatch = integrity.FirstMismatch.ShouldNotBeNull();
        (mismatch.Version, mismatch.Reason, mismatch.Sequence).ShouldBe((version, reason, sequence), mismatch.Detail);

        var verification = await Verify(checkpoint);
        verification.Unchanged.ShouldBeFalse();
        verification.CheckpointOnRecord.ShouldBeTrue();
        var change = verification.Changes.Where(c => c.MeasureId == id).ShouldHaveSingleItem();
        (change.Version, change.Reason, change.Sequence).ShouldBe((version, reason, sequence), change.Detail);
    }

    [Fact]
    public async Task Changed_data_is_detected_and_located()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var sequence = await SequenceOf(id, 3);
        await api.Sql("""update gd.mt_events set data = jsonb_set(data, '{perspectives}', '["zp1"]') where stream_id = @id and version = 3""", ("id", id));

        await ShouldBeLocated(id, checkpoint, 3, ChainBreakReason.DataChanged, sequence);
        var mismatch = (await Integrity(id)).FirstMismatch!;
        mismatch.ExpectedHash.ShouldNotBe(mismatch.StoredHash);
    }

    [Fact]
    public async Task Changed_metadata_is_detected_and_located()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var sequence = await SequenceOf(id, 2);
        await api.Sql("""update gd.mt_events set headers = jsonb_set(headers, '{actor}', '"someone-else"') where stream_id = @id and version = 2""", ("id", id));

        await ShouldBeLocated(id, checkpoint, 2, ChainBreakReason.DataChanged, sequence);
    }

    [Fact]
    public async Task Swapped_versions_are_detected_as_a_changed_order()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var sequence = await SequenceOf(id, 3);
        await api.Sql("""
            update gd.mt_events set version = -1 where stream_id = @id and version = 2;
            update gd.mt_events set version = 2 where stream_id = @id and version = 3;
            update gd.mt_events set version = 3 where stream_id = @id and version = -1;
            """, ("id", id));

        // Version 2 now holds the event written as version 3.
        await ShouldBeLocated(id, checkpoint, 2, ChainBreakReason.OrderChanged, sequence);
    }

    [Fact]
    public async Task Swapped_sequence_numbers_are_detected_as_a_changed_order()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var second = await SequenceOf(id, 2);
        var third = await SequenceOf(id, 3);
        await api.Sql("""
            update gd.mt_events set seq_id = -1 where seq_id = @a;
            update gd.mt_events set seq_id = @a where seq_id = @b;
            update gd.mt_events set seq_id = @b where seq_id = -1;
            """, ("a", second), ("b", third));

        await ShouldBeLocated(id, checkpoint, 3, ChainBreakReason.OrderChanged, second);
    }

    [Fact]
    public async Task A_deleted_event_is_detected_and_located()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        await api.Sql("delete from gd.mt_events where stream_id = @id and version = 3", ("id", id));

        await ShouldBeLocated(id, checkpoint, 3, ChainBreakReason.EventMissing, null);
    }

    [Fact]
    public async Task A_deleted_event_is_found_even_when_later_versions_were_renumbered()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var sequence = await SequenceOf(id, 4);
        await api.Sql("""
            delete from gd.mt_events where stream_id = @id and version = 3;
            update gd.mt_events set version = version - 1 where stream_id = @id and version > 3;
            update gd.mt_streams set version = 4 where id = @id;
            """, ("id", id));

        await ShouldBeLocated(id, checkpoint, 3, ChainBreakReason.EventMissing, sequence);
    }

    [Fact]
    public async Task A_deleted_last_event_is_detected_by_the_stream_table_and_by_the_checkpoint()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        await api.Sql("delete from gd.mt_events where stream_id = @id and version = 5", ("id", id));
        await ShouldBeLocated(id, checkpoint, 5, ChainBreakReason.EventMissing, null);

        // Covering the tracks in the stream table hides it from the chain, not from the transparency log or the checkpoint.
        await api.Sql("update gd.mt_streams set version = 4 where id = @id", ("id", id));
        var mismatch = (await Integrity(id)).FirstMismatch.ShouldNotBeNull();
        (mismatch.Version, mismatch.Reason).ShouldBe((5L, ChainBreakReason.DiffersFromLog));
        var change = (await Verify(checkpoint)).Changes.Where(c => c.MeasureId == id).ShouldHaveSingleItem();
        (change.Version, change.Reason).ShouldBe((5L, ChainBreakReason.EventMissing));
    }

    [Fact]
    public async Task An_event_rewritten_with_a_recomputed_hash_is_located_by_the_link_that_follows()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var sequence = await SequenceOf(id, 2);
        var records = await Stored(id);
        var forged = records[1].Content with { Data = """{"affectedGroups":[],"evidence":"Nichts."}""" };
        var forgedHash = EventHash.Compute(records[1].StoredPrevious!, forged);
        await Rewrite(id, 2, forged.Data, forgedHash, records[1].StoredPrevious!);

        await ShouldBeLocated(id, checkpoint, 2, ChainBreakReason.DataChanged, sequence);
    }

    [Fact]
    public async Task A_chain_rewritten_to_its_head_is_caught_by_the_transparency_log_and_the_checkpoint()
    {
        var (id, checkpoint) = await MeasureAndCheckpoint();
        var records = await Stored(id);
        var previous = records[1].StoredPrevious!;
        for (var i = 1; i < records.Count; i++)
        {
            var content = i == 1 ? records[i].Content with { Data = """{"affectedGroups":[],"evidence":"Nichts."}""" } : records[i].Content;
            var hash = EventHash.Compute(previous, content);
            await Rewrite(id, content.Version, content.Data, hash, previous);
            previous = hash;
        }

        // Someone who knows the algorithm can forge a consistent chain: the log it did not rewrite, and an external anchor, catch it.
        var mismatch = (await Integrity(id)).FirstMismatch.ShouldNotBeNull();
        (mismatch.Version, mismatch.Reason, mismatch.Sequence).ShouldBe((2L, ChainBreakReason.DiffersFromLog, records[1].Sequence));
        var verification = await Verify(checkpoint);
        verification.Unchanged.ShouldBeFalse();
        var change = verification.Changes.Where(c => c.MeasureId == id).ShouldHaveSingleItem();
        (change.Version, change.Reason).ShouldBe((5L, ChainBreakReason.DataChanged));
    }

    [Fact]
    public async Task Integrity_of_an_unknown_measure_is_404()
    {
        var response = await _client.GetAsync($"/api/measures/{Guid.NewGuid()}/integrity");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    private async Task<List<ChainRecord>> Stored(Guid id)
    {
        var records = new List<ChainRecord>();
        await foreach (var r in api.Services.GetRequiredService<StoredEvents>().ReadStreamAsync(id, CancellationToken.None))
        {
            records.Add(r);
        }
        return records;
    }

    private Task Rewrite(Guid id, long version, string data, string hash, string previous) =>
        api.Sql("""
            update gd.mt_events
            set data = @data::jsonb, headers = headers || jsonb_build_object('hash', @hash::text, 'prevHash', @previous::text)
            where stream_id = @id and version = @version
            """, ("id", id), ("version", version), ("data", data), ("hash", hash), ("previous", previous));
}
