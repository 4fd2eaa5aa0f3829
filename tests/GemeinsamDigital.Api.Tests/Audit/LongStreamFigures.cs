using System.Diagnostics;
using System.Net;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>
/// A measure with 10,000 events: everything must stay complete and correct; the timings are
/// printed (test output), not asserted.
/// </summary>
public class LongStreamFigures(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const int Events = 10_000;
    private const int Batch = 1_000;
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task A_stream_of_ten_thousand_events_pages_travels_verifies_and_exports()
    {
        var measure = await new Scenario(_client).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate());
        await measure.Step(SampleCommands.StartPilot());
        var id = measure.Id;

        var clock = Stopwatch.StartNew();
        var ledger = api.Services.GetRequiredService<EventLedger>();
        var metadata = new CommandMetadata("figures", "ba-mitte", "Lasttest", "figures-run");
        for (var appended = measure.Expected.Count; appended < Events; appended += Batch)
        {
            await using var session = api.Store.LightweightSession();
            var stream = await session.Events.FetchForWriting<MeasureState>(id);
            var count = Math.Min(Batch, Events - appended);
            var events = Enumerable.Range(appended + 1, count)
                .Select(v => (IMeasureEvent)new IndicatorMeasured("aufenthalt", v / 100m, SampleCommands.PilotStart.AddDays(v % 365), "Zählung"))
                .ToList();
            await EventLedger.AppendAsync(session, stream, ledger.Now(events), metadata, CancellationToken.None);
            await session.SaveChangesAsync();
        }
        Report("append 10,000 events in batches of 1,000 (ledger + inline projection)", clock);

        // Warm up (first-call code generation), so the figures are about the data.
        await Get<HistoryPage>($"/api/measures/{id}/history?limit=1");
        await Get<MeasureState>($"/api/measures/{id}?version=1");

        clock.Restart();
        var lastPage = await Get<HistoryPage>($"/api/measures/{id}/history?fromVersion={Events - 99}&limit=100");
        Report("history: one page of 100 at the stream's end", clock);
        lastPage.Items.Select(e => e.Version).ShouldBe(Enumerable.Range(Events - 99, 100).Select(v => (long)v));
        lastPage.Next.ShouldBeNull();

        clock.Restart();
        var all = new List<long>();
        string? next = $"/api/measures/{id}/history?limit=1000";
        while (next is not null)
        {
            var page = await Get<HistoryPage>(next);
            all.AddRange(page.Items.Select(e => e.Version));
            next = page.Next;
        }
        Report("history: all 10,000 events in pages of 1,000", clock);
        all.ShouldBe(Enumerable.Range(1, Events).Select(v => (long)v));

        clock.Restart();
        var whole = await Get<HistoryPage>($"/api/measures/{id}/history?limit={HistoryEndpoint.MaxLimit}");
        Report("history: all 10,000 events in one page of 10,000", clock);
        whole.Items.Select(e => e.Version).ShouldBe(Enumerable.Range(1, Events).Select(v => (long)v));
        whole.Next.ShouldBeNull();

        clock.Restart();
        var middle = await Get<MeasureState>($"/api/measures/{id}?version={Events / 2}");
        Report("time travel to version 5,000", clock);
        middle.Version.ShouldBe(Events / 2);
        middle.Measurements.Count.ShouldBe(Events / 2 - 5);

        clock.Restart();
        var integrity = await Get<IntegrityReport>($"/api/measures/{id}/integrity");
        Report("integrity check of 10,000 events", clock);
        integrity.Intact.ShouldBeTrue();
        integrity.EventsChecked.ShouldBe(Events);

        clock.Restart();
        var bundle = await (await _client.GetAsync($"/api/measures/{id}/export")).Content.ReadAsByteArrayAsync();
        Report($"export ({bundle.Length / 1024} KiB)", clock);
        clock.Restart();
        var verified = AuditBundle.Verify(bundle);
        Report("offline verification of the export", clock);
        verified.Valid.ShouldBeTrue(verified.Problem);
        verified.HeadHash.ShouldBe(integrity.HeadHash);

        clock.Restart();
        var checkpoint = await Get<CheckpointView>("/api/audit/checkpoint");
        Report("take a checkpoint", clock);
        clock.Restart();
        var verification = await Get<CheckpointVerification>($"/api/audit/verify?checkpoint={checkpoint.Checkpoint}");
        Report("verify the checkpoint (recompute every chain)", clock);
        verification.Unchanged.ShouldBeTrue();
        verification.EventsChecked.ShouldBe(Events + 1, "the stream's events and the catalogue's first version");
    }

    private async Task<T> Get<T>(string url)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        return await response.Read<T>();
    }

    private void Report(string what, Stopwatch clock) => output.WriteLine($"{clock.ElapsedMilliseconds,7} ms  {what}");
}
