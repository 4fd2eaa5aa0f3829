using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

public class HistoryAndTimeTravelTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task History_of_a_long_lived_measure_is_complete_ordered_and_paged()
    {
        var measure = await new Scenario(_client, api.Clock).LongLife();
        var total = measure.Expected.Count;
        total.ShouldBeGreaterThan(20);

        var items = new List<MeasureEventView>();
        string? next = $"/api/measures/{measure.Id}/history?limit=7";
        var pages = 0;
        while (next is not null)
        {
            var page = await (await _client.GetAsync(next)).Read<HistoryPage>();
            page.Items.Count.ShouldBeLessThanOrEqualTo(7);
            items.AddRange(page.Items);
            next = page.Next;
            pages++;
        }

        pages.ShouldBe((total + 6) / 7);
        items.Select(e => e.Version).ShouldBe(Enumerable.Range(1, total).Select(v => (long)v));
        items.Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        items.Select(e => e.Sequence).Distinct().Count().ShouldBe(total);
        items.Select(e => e.Timestamp).ShouldBe(measure.Times);
        items[0].Type.ShouldBe("measure-proposed.v2");
        items[^1].Type.ShouldBe("measure-scaled");
        items.Count(e => e.Type == "pilot-started").ShouldBe(2);
        items.ShouldAllBe(e => e.ActorName == ApiFixture.DefaultActor && e.CorrelationId != null && e.CausationId != null && e.Hash!.Length == 64);
        items[0].Data.GetProperty("title").GetString().ShouldBe("Smart Space Hardenbergplatz");

        // /events and /history share one mapping.
        var events = (await (await _client.GetAsync($"/api/measures/{measure.Id}/events")).Read<ItemList<MeasureEventView>>()).Items.ToList();
        events.Select(e => (e.Version, e.Sequence, e.Type, e.Hash)).ShouldBe(items.Select(e => (e.Version, e.Sequence, e.Type, e.Hash)));

        var tail = await (await _client.GetAsync($"/api/measures/{measure.Id}/history?fromVersion={total - 1}&limit=5")).Read<HistoryPage>();
        tail.Items.Select(e => e.Version).ShouldBe([total - 1L, total]);
        tail.Next.ShouldBeNull();
        var beyond = await (await _client.GetAsync($"/api/measures/{measure.Id}/history?fromVersion={total + 10}")).Read<HistoryPage>();
        beyond.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task History_shows_every_event_as_Marten_reads_it_serialized_as_the_API_serializes()
    {
        // The history is written from the stored JSON; it must say what deserializing each event and serializing it again says.
        var measure = await new Scenario(_client, api.Clock).LongLife();
        var response = await _client.GetAsync($"/api/measures/{measure.Id}/history?limit={HistoryEndpoint.MaxLimit}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        page.Select(p => p.Key).ShouldBe(["measureId", "fromVersion", "limit", "items", "nextFromVersion", "next"]);
        page["nextFromVersion"].ShouldBeNull();
        page["next"].ShouldBeNull();

        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(measure.Id);
        var items = page["items"]!.AsArray();
        items.Count.ShouldBe(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expected = new JsonObject
            {
                ["version"] = e.Version,
                ["sequence"] = e.Sequence,
                ["type"] = e.EventTypeName,
                ["timestamp"] = JsonSerializer.SerializeToNode(e.Timestamp, HttpExtensions.JsonOptions),
                ["actor"] = e.Headers![CommandMetadata.ActorHeader]?.ToString(),
                ["actorName"] = ApiFixture.DefaultActor,
                ["administration"] = e.Headers.TryGetValue(CommandMetadata.AdministrationHeader, out var administration) ? administration?.ToString() : null,
                ["reason"] = e.Headers.TryGetValue(CommandMetadata.ReasonHeader, out var reason) ? reason?.ToString() : null,
                ["correlationId"] = e.CorrelationId,
                ["causationId"] = e.CausationId,
                ["data"] = JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), HttpExtensions.JsonOptions),
                ["hash"] = e.Headers[EventLedger.HashHeader]?.ToString(),
            };
            JsonNode.DeepEquals(items[i], expected).ShouldBeTrue($"version {e.Version}: {items[i]!.ToJsonString()} != {expected.ToJsonString()}");
            items[i]!.AsObject().Select(p => p.Key).ShouldBe(expected.Select(p => p.Key));
        }

        // GET …/events is the same list, whole: in the envelope of a cursor list with no next part.
        var all = JsonNode.Parse(await (await _client.GetAsync($"/api/measures/{measure.Id}/events")).Content.ReadAsStringAsync())!.AsObject();
        all.Select(p => p.Key).ShouldBe(["items", "next"]);
        JsonNode.DeepEquals(all["items"], items).ShouldBeTrue();
        all["next"].ShouldBeNull();
    }

    [Fact]
    public async Task An_auditor_reads_up_to_ten_thousand_events_per_page_and_no_more()
    {
        var measure = await new Scenario(_client, api.Clock).LongLife();
        var total = measure.Expected.Count;
        var whole = await (await _client.GetAsync($"/api/measures/{measure.Id}/history?limit={HistoryEndpoint.MaxLimit}")).Read<HistoryPage>();
        (whole.Limit, whole.Items.Count, whole.Next).ShouldBe((HistoryEndpoint.MaxLimit, total, null));

        var tooLarge = await _client.GetAsync($"/api/measures/{measure.Id}/history?limit={HistoryEndpoint.MaxLimit + 1}");
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        tooLarge.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await tooLarge.Json()).GetProperty("errors").GetProperty("limit")[0].GetString().ShouldBe("'limit' must be a whole number from 1 to 10000.");

        // A page starting near the largest version does not overflow.
        var far = await (await _client.GetAsync($"/api/measures/{measure.Id}/history?fromVersion={long.MaxValue - 5}&limit={HistoryEndpoint.MaxLimit}")).Read<HistoryPage>();
        (far.Items.Count, far.Next).ShouldBe((0, null));
    }

    [Fact]
    public async Task State_at_every_version_equals_the_state_recomputed_by_hand()
    {
        var measure = await new Scenario(_client, api.Clock).LongLife();
        var events = (await (await _client.GetAsync($"/api/measures/{measure.Id}/events")).Read<ItemList<MeasureEventView>>()).Items.ToList();
        for (var version = 1; version <= measure.Expected.Count; version++)
        {
            var response = await _client.GetAsync($"/api/measures/{measure.Id}?version={version}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");
            var state = await response.Read<MeasureState>();
            state.ShouldEqualState(measure.Expected[version - 1]);
            // The state names the chain link of the event it ends with.
            state.LastEventHash.ShouldNotBeNull().ShouldBe(events[version - 1].Hash);
        }

        // Live aggregation and the inline projection agree.
        var today = await (await _client.GetAsync($"/api/measures/{measure.Id}")).Read<MeasureState>();
        today.ShouldEqualState(measure.Expected[^1]);
        today.LastEventHash.ShouldBe(events[^1].Hash);
    }

    [Fact]
    public async Task State_at_several_timestamps_equals_the_state_recomputed_by_hand()
    {
        var measure = await new Scenario(_client, api.Clock).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate());
        await measure.Step(SampleCommands.StartPilot());
        api.Clock.Advance(TimeSpan.FromDays(5));

        for (var version = 1; version <= measure.Expected.Count; version++)
        {
            var at = measure.Times[version - 1];
            foreach (var moment in new[] { at, at.AddHours(12), at.AddDays(3).AddTicks(-10) })
            {
                var response = await _client.GetAsync($"/api/measures/{measure.Id}?asOf={Uri.EscapeDataString(moment.ToString("O"))}");
                response.StatusCode.ShouldBe(HttpStatusCode.OK, moment.ToString("O"));
                response.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");
                (await response.Read<MeasureState>()).ShouldEqualState(measure.Expected[version - 1]);
            }
        }

        // Another offset, and an unencoded '+' that arrives as a space.
        var berlin = measure.Times[1].ToOffset(TimeSpan.FromHours(1)).AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'+01:00'");
        var plain = await _client.GetAsync($"/api/measures/{measure.Id}?asOf={berlin}");
        plain.StatusCode.ShouldBe(HttpStatusCode.OK, await plain.Content.ReadAsStringAsync());
        (await plain.Read<MeasureState>()).Version.ShouldBe(2);
    }

    [Fact]
    public async Task Time_travel_rejects_what_cannot_be_answered()
    {
        var measure = await new Scenario(_client, api.Clock).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        var id = measure.Id;
        var now = api.Clock.GetUtcNow();

        await ShouldBeProblem($"/api/measures/{id}?version=3", HttpStatusCode.NotFound, "version 3 does not exist");
        await ShouldBeProblem($"/api/measures/{id}?version=0", HttpStatusCode.BadRequest, "from 1");
        await ShouldBeProblem($"/api/measures/{id}?version=-2", HttpStatusCode.BadRequest, "from 1");
        await ShouldBeProblem($"/api/measures/{id}?version=abc", HttpStatusCode.BadRequest, null);
        await ShouldBeProblem($"/api/measures/{id}?asOf={Uri.EscapeDataString(now.AddMinutes(1).ToString("O"))}", HttpStatusCode.BadRequest, "future");
        await ShouldBeProblem($"/api/measures/{id}?asOf=yesterday", HttpStatusCode.BadRequest, "ISO 8601");
        await ShouldBeProblem($"/api/measures/{id}?asOf=2024-01-15T10:00:00", HttpStatusCode.BadRequest, "ISO 8601");
        await ShouldBeProblem($"/api/measures/{id}?asOf=2024-13-45T10:00:00Z", HttpStatusCode.BadRequest, "ISO 8601");
        await ShouldBeProblem($"/api/measures/{id}?asOf=2020-01-01T00:00:00Z", HttpStatusCode.NotFound, "did not exist yet");
        await ShouldBeProblem($"/api/measures/{id}?version=1&asOf=2024-01-16T00:00:00Z", HttpStatusCode.BadRequest, "not both");
        await ShouldBeProblem($"/api/measures/{Guid.NewGuid()}?version=1", HttpStatusCode.NotFound, "no measure");
        await ShouldBeProblem($"/api/measures/{Guid.NewGuid()}?asOf=2024-01-16T00:00:00Z", HttpStatusCode.NotFound, "no measure");
        await ShouldBeProblem($"/api/measures/{id}/history?limit=0", HttpStatusCode.BadRequest, null);
        await ShouldBeProblem($"/api/measures/{id}/history?fromVersion=0", HttpStatusCode.BadRequest, null);
        await ShouldBeProblem($"/api/measures/{Guid.NewGuid()}/history", HttpStatusCode.NotFound, null);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/measures/{id}?version=1");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        (await _client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    private async Task ShouldBeProblem(string url, HttpStatusCode status, string? detailContains)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.ShouldBe(status, url);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        if (detailContains is not null)
        {
            (await response.Content.ReadAsStringAsync()).ShouldContain(detailContains, Case.Insensitive);
        }
    }
}
