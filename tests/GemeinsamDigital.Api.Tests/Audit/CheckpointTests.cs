using System.Net;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>Checkpoints on an untouched store (its own database: nothing here is tampered with).</summary>
public class CheckpointTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<CheckpointView> Take() => await (await _client.GetAsync("/api/audit/checkpoint")).Read<CheckpointView>();

    private async Task<CheckpointVerification> Verify(string checkpoint) =>
        await (await _client.GetAsync($"/api/audit/verify?checkpoint={Uri.EscapeDataString(checkpoint)}")).Read<CheckpointVerification>();

    [Fact]
    public async Task Nothing_changed_up_to_a_checkpoint_even_after_later_appends()
    {
        var first = await new Scenario(_client).Propose(SampleCommands.Propose());
        await first.Step(SampleCommands.UnderstandProblem());
        await new Scenario(_client).Propose(SampleCommands.Propose("ba-mitte", "Zweite"));

        var checkpoint = await Take();
        checkpoint.Checkpoint.ShouldBe($"gdcp1:{checkpoint.Sequence}:{checkpoint.Digest}");
        checkpoint.Streams.ShouldBeGreaterThanOrEqualTo(2);
        (await Take()).Checkpoint.ShouldBe(checkpoint.Checkpoint, "the same state gives the same checkpoint");

        await first.Step(SampleCommands.DefineGoals());
        await new Scenario(_client).Propose(SampleCommands.Propose("ba-pankow", "Dritte"));

        var verification = await Verify(checkpoint.Checkpoint);
        verification.Unchanged.ShouldBeTrue(string.Join("; ", verification.Changes.Select(c => c.Detail)));
        verification.RecomputedDigest.ShouldBe(checkpoint.Digest);
        verification.CheckpointOnRecord.ShouldBeTrue();
        verification.Changes.ShouldBeEmpty();
        verification.StreamsChecked.ShouldBe(checkpoint.Streams);

        var later = await Take();
        later.Sequence.ShouldBeGreaterThan(checkpoint.Sequence);
        later.Digest.ShouldNotBe(checkpoint.Digest);
        (await Verify(later.Checkpoint)).Unchanged.ShouldBeTrue();
    }

    [Fact]
    public async Task Demo_data_is_chained_like_everything_else()
    {
        await DemoSeeder.SeedAsync(api.Store, api.Subjects, CancellationToken.None);
        var kiezbox = DemoMeasures.IdFor("Kiezbox 2.0 – Daten in Alltag und Krise");
        var integrity = await (await _client.GetAsync($"/api/measures/{kiezbox}/integrity")).Read<IntegrityReport>();
        integrity.Intact.ShouldBeTrue(integrity.FirstMismatch?.Detail);
        integrity.EventsChecked.ShouldBeGreaterThan(5);

        var history = await (await _client.GetAsync($"/api/measures/{kiezbox}/history")).Read<HistoryPage>();
        // Backdated to the measure's real periods (its last status report: October 2026), not stamped when seeded.
        history.Items.ShouldAllBe(e => e.ActorName == DemoSeeder.Actor && e.Administration != null && e.Timestamp < new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

        var verification = await Verify((await Take()).Checkpoint);
        verification.Unchanged.ShouldBeTrue();
        verification.StreamsChecked.ShouldBeGreaterThanOrEqualTo(DemoMeasures.All().Count);
    }

    [Fact]
    public async Task Checkpoints_taken_while_commands_run_are_consistent_cuts()
    {
        var measures = new List<Scenario>();
        for (var i = 0; i < 4; i++)
        {
            measures.Add(await new Scenario(_client).Propose(SampleCommands.Propose("ba-spandau", $"Parallel {i}")));
        }
        var writes = measures.Select(async m =>
        {
            await m.Step(SampleCommands.UnderstandProblem());
            await m.Step(SampleCommands.DefineGoals());
            await m.Step(SampleCommands.Mandate());
        }).ToList();
        var checkpoints = new List<CheckpointView>();
        for (var i = 0; i < 5; i++)
        {
            checkpoints.Add(await Take());
        }
        await Task.WhenAll(writes);

        foreach (var checkpoint in checkpoints)
        {
            (await Verify(checkpoint.Checkpoint)).Unchanged.ShouldBeTrue(checkpoint.Checkpoint);
        }
    }

    [Fact]
    public async Task A_token_this_service_never_issued_does_not_verify()
    {
        await new Scenario(_client).Propose(SampleCommands.Propose());
        var real = await Take();
        var forged = Checkpoint.Token(real.Sequence, new string('a', 64));

        var verification = await Verify(forged);
        verification.Unchanged.ShouldBeFalse();
        verification.CheckpointOnRecord.ShouldBeFalse();
        verification.RecomputedDigest.ShouldBe(real.Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("gdcp1:12")]
    [InlineData("gdcp2:12:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("gdcp1:-1:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("gdcp1:12:00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("gdcp1:12:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    public async Task Malformed_checkpoints_are_400(string token)
    {
        var response = await _client.GetAsync($"/api/audit/verify?checkpoint={Uri.EscapeDataString(token)}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_missing_checkpoint_parameter_is_400()
    {
        (await _client.GetAsync("/api/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
