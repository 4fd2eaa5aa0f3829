using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Webhooks;

/// <summary>
/// Webhooks delivered to a real receiver on loopback: once per change and subscription, in order
/// per measure, signed; through a receiver's failures; into dead letters and out again.
/// </summary>
public class WebhookDeliveryTests(WebhookFixture api, ITestOutputHelper output) : IClassFixture<WebhookFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    internal static async Task<(Guid Id, string Secret)> SubscribeAsync(HttpClient client, string url, object? filter = null)
    {
        var body = JsonSerializer.SerializeToElement(filter ?? new { }, HttpExtensions.JsonOptions).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value);
        body["url"] = url;
        var response = await client.PostAsJsonAsync("/api/subscriptions", body, HttpExtensions.JsonOptions);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Json();
        return (created.GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    private static JsonElement Body(object command) => JsonSerializer.SerializeToElement(command, command.GetType(), HttpExtensions.JsonOptions);

    private static async Task<BatchAnswer> BatchAsync(HttpClient client, IEnumerable<BatchItem> items)
    {
        var response = await client.PostAsJsonAsync("/api/measures/batch", new CommandBatch([.. items]), HttpExtensions.JsonOptions);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await response.Read<BatchAnswer>();
        answer.Counts.Failed.ShouldBe(0, JsonSerializer.Serialize(answer.Items.Where(i => i.Status >= 300).Take(3)));
        return answer;
    }

    /// <summary>Proposes <paramref name="measures"/> measures and amends each <paramref name="amendments"/> times, interleaved: that many commands.</summary>
    private static async Task<IReadOnlyList<Guid>> RunCommandsAsync(HttpClient client, int measures, int amendments)
    {
        var proposed = await BatchAsync(client, Enumerable.Range(0, measures).Select(_ => new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose()), null)));
        var ids = proposed.Items.Select(i => i.MeasureId!.Value).ToList();
        for (var round = 1; round <= amendments; round++)
        {
            await BatchAsync(client, ids.Select(id => new BatchItem(id, AmendDetails.Name, Body(new AmendDetails($"Titel, Fassung {round}", null, null)), null)));
        }
        return ids;
    }

    private async Task<List<ChangeRow>> FeedAsync(IEnumerable<Guid> measures)
    {
        var wanted = measures.ToHashSet();
        var changes = new List<ChangeRow>();
        long after = 0;
        while (true)
        {
            var page = await (await api.CreateClient().GetAsync($"/api/changes?after={after}&limit=1000")).Json();
            var items = page.GetProperty("items").EnumerateArray().Select(i => new ChangeRow(i.GetProperty("measureId").GetGuid(), i.GetProperty("sequence").GetInt64())).ToList();
            if (items.Count == 0)
            {
                return [.. changes.Where(c => wanted.Contains(c.MeasureId))];
            }
            changes.AddRange(items);
            after = items[^1].Sequence;
        }
    }

    private sealed record ChangeRow(Guid MeasureId, long Sequence);

    [Fact]
    public async Task A_thousand_commands_on_fifty_measures_are_delivered_once_each_in_order_per_measure_and_signed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = api.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        var (subscription, secret) = await SubscribeAsync(client, receiver.Url);
        try
        {
            var started = DateTime.UtcNow;
            var measures = await RunCommandsAsync(client, measures: 50, amendments: 19);
            output.WriteLine($"1,000 commands in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            var accepted = await receiver.WaitForAsync(r => r.Count >= 1000, Patience);
            output.WriteLine($"delivered {accepted.Count} after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");

            // Exactly once: no change missing, none extra, and (the receiver always answering 200) no request repeated.
            receiver.Received.Count.ShouldBe(1000);
            accepted.Count.ShouldBe(1000);
            var feed = await FeedAsync(measures);
            accepted.Select(r => r.Sequence).Order().ShouldBe(feed.Select(c => c.Sequence).Order());
            foreach (var measure in accepted.GroupBy(r => r.MeasureId))
            {
                measure.Select(r => r.Version).ShouldBe(Enumerable.Range(1, 20).Select(v => (long)v), $"measure {measure.Key} in the order of its versions");
            }
            accepted.ShouldAllBe(r => r.SignedWith(secret));
            accepted.ShouldAllBe(r => r.Id.StartsWith("msg_"));
            var first = accepted[0].Data;
            first.GetProperty("measure").GetString()!.ShouldEndWith($"/api/measures/{first.GetProperty("measureId").GetGuid()}");
            first.GetProperty("actor").ValueKind.ShouldBe(JsonValueKind.Null, "deliveries carry no personal data");
            // A signature over other bytes does not verify.
            (accepted[0] with { Body = accepted[0].Body + " " }).SignedWith(secret).ShouldBeFalse();

            var counts = (await (await client.GetAsync($"/api/subscriptions/{subscription}")).Json()).GetProperty("deliveries");
            counts.GetProperty("delivered").GetInt64().ShouldBe(1000);
            counts.GetProperty("pending").GetInt64().ShouldBe(0);
        }
        finally
        {
            await client.DeleteAsync($"/api/subscriptions/{subscription}");
        }
    }

    [Fact]
    public async Task A_receiver_failing_for_a_while_then_recovering_gets_every_change_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Down for 0.8 s from the first request: shorter than the four attempts' pauses (0.2 + 0.4 + 0.8 s), so nothing dies.
        DateTime? down = null;
        receiver.Answer = () => DateTime.UtcNow < (down ??= DateTime.UtcNow).AddSeconds(0.8) ? 503 : 200;
        var client = api.CreateClient();
        var (subscription, secret) = await SubscribeAsync(client, receiver.Url);
        try
        {
            var measures = await RunCommandsAsync(client, measures: 5, amendments: 3);
            var accepted = await receiver.WaitForAsync(r => r.Count >= 20, Patience);
            receiver.Received.Count(r => r.Answered == 503).ShouldBeGreaterThan(0, "the receiver failed at first");
            accepted.Count.ShouldBe(20);
            accepted.Select(r => r.Sequence).Order().ShouldBe((await FeedAsync(measures)).Select(c => c.Sequence).Order());
            foreach (var measure in accepted.GroupBy(r => r.MeasureId))
            {
                measure.Select(r => r.Version).ShouldBe([1L, 2, 3, 4]);
            }
            accepted.ShouldAllBe(r => r.SignedWith(secret));
        }
        finally
        {
            await client.DeleteAsync($"/api/subscriptions/{subscription}");
        }
    }

    [Fact]
    public async Task A_receiver_that_always_fails_ends_in_the_dead_letters_and_gets_them_when_redelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = () => 500;
        var client = api.CreateClient();
        var (subscription, secret) = await SubscribeAsync(client, receiver.Url);
        try
        {
            var measures = await RunCommandsAsync(client, measures: 2, amendments: 1);
            JsonElement dead = default;
            var until = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < until)
            {
                dead = await (await client.GetAsync($"/api/subscriptions/{subscription}/deliveries?status=dead")).Json();
                if (dead.GetProperty("total").GetInt64() == 4)
                {
                    break;
                }
                await Task.Delay(200);
            }
            dead.GetProperty("total").GetInt64().ShouldBe(4, dead.ToString());
            var letter = dead.GetProperty("items")[0];
            letter.GetProperty("attempts").GetInt32().ShouldBe(WebhookFixture.MaxAttempts);
            letter.GetProperty("lastStatusCode").GetInt32().ShouldBe(500);
            letter.GetProperty("lastError").GetString()!.ShouldStartWith("HTTP 500");
            receiver.Received.Count.ShouldBe(4 * WebhookFixture.MaxAttempts, "each delivery tried exactly MaxAttempts times");

            // One letter alone, then all the rest.
            receiver.Answer = () => 200;
            var one = letter.GetProperty("id").GetString()!;
            var again = await client.PostAsync($"/api/subscriptions/{subscription}/redeliver?delivery={one}", null);
            again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync());
            (await receiver.WaitForAsync(r => r.Count == 1, Patience)).Single().Id.ShouldBe(one);
            var rest = await client.PostAsync($"/api/subscriptions/{subscription}/redeliver", null);
            rest.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await rest.Json()).GetProperty("queued").GetInt32().ShouldBe(3);
            var accepted = await receiver.WaitForAsync(r => r.Count == 4, Patience);
            accepted.Select(r => r.Sequence).Order().ShouldBe((await FeedAsync(measures)).Select(c => c.Sequence).Order());
            accepted.ShouldAllBe(r => r.SignedWith(secret));

            // A delivered one may be sent again; an unknown one is not there.
            var redelivered = await client.PostAsync($"/api/subscriptions/{subscription}/redeliver?delivery={one}", null);
            redelivered.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await redelivered.Json()).GetProperty("queued").GetInt32().ShouldBe(1);
            var unknown = await client.PostAsync($"/api/subscriptions/{subscription}/redeliver?delivery=msg_nothing", null);
            await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "delivery-not-found");
        }
        finally
        {
            await client.DeleteAsync($"/api/subscriptions/{subscription}");
        }
    }

    [Fact]
    public async Task A_slow_receiver_holds_only_its_own_share_and_others_are_served_meanwhile()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(1.5);
        await using var fast = await WebhookReceiver.StartAsync();
        var client = api.CreateClient();
        var (slowSubscription, _) = await SubscribeAsync(client, slow.Url);
        var (fastSubscription, _) = await SubscribeAsync(client, fast.Url);
        try
        {
            await RunCommandsAsync(client, measures: 10, amendments: 1);
            await fast.WaitForAsync(r => r.Count >= 20, Patience);
            slow.Received.Count.ShouldBeLessThan(20, "the fast receiver did not wait for the slow one");
            await slow.WaitForAsync(r => r.Count >= 20, Patience);
            slow.MaxConcurrent.ShouldBeLessThanOrEqualTo(4, "no more of one subscription's deliveries on their way at once than PerSubscription");
        }
        finally
        {
            await client.DeleteAsync($"/api/subscriptions/{slowSubscription}");
            await client.DeleteAsync($"/api/subscriptions/{fastSubscription}");
        }
    }

    [Fact]
    public async Task A_filtered_subscription_gets_only_the_changes_it_asks_for()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = api.CreateClient();
        var (subscription, _) = await SubscribeAsync(client, receiver.Url, new { lead = "ba-mitte", eventTypes = new[] { "details-amended" } });
        try
        {
            var driver = new MeasureDriver(client);
            var mitte = await driver.Propose(SampleCommands.Propose() with { Lead = "ba-mitte", Source = new IdeaSourceInput("verwaltung", "ba-mitte", null) });
            var other = await driver.Propose();
            await driver.Send(mitte, SampleCommands.AmendDetails());
            await driver.Send(other, SampleCommands.AmendDetails());
            var accepted = await receiver.WaitForAsync(r => r.Count >= 1, Patience);
            // Whatever else comes would come with the amendment of the other measure, already handed on.
            await Task.Delay(1000);
            receiver.Accepted.ShouldHaveSingleItem().MeasureId.ShouldBe(mitte);
            accepted[0].Data.GetProperty("type").GetString().ShouldBe("details-amended");
        }
        finally
        {
            await client.DeleteAsync($"/api/subscriptions/{subscription}");
        }
    }

    [Fact]
    public async Task A_creation_retried_with_its_idempotency_key_makes_one_subscription()
    {
        var client = api.ClientFor("ba-pankow", Roles.Editor);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions") { Content = JsonContent.Create(new { url = "http://127.0.0.1:9/hook" }) };
            request.Headers.Add(IdempotencyRequest.Header, key);
            return await client.SendAsync(request);
        }
        var first = await Create();
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var again = await Create();
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await again.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await (await client.GetAsync("/api/subscriptions")).Json()).GetProperty("items").GetArrayLength().ShouldBe(1);
        await client.DeleteAsync(first.Headers.Location);
    }

    [Fact]
    public async Task Subscriptions_belong_to_their_administration_and_a_deleted_one_gets_nothing_more()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var mitte = api.ClientFor("ba-mitte", Roles.Editor);
        var (subscription, _) = await SubscribeAsync(mitte, receiver.Url);
        var view = await (await mitte.GetAsync($"/api/subscriptions/{subscription}")).Json();
        view.GetProperty("administration").GetString().ShouldBe("ba-mitte");
        view.GetProperty("secret").ValueKind.ShouldBe(JsonValueKind.Null, "the secret is shown once");

        var neukoelln = api.ClientFor("ba-neukoelln", Roles.DashboardReader);
        await (await neukoelln.GetAsync($"/api/subscriptions/{subscription}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subscription-not-found");
        await (await neukoelln.DeleteAsync($"/api/subscriptions/{subscription}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subscription-not-found");
        (await (await neukoelln.GetAsync("/api/subscriptions")).Json()).GetProperty("items").EnumerateArray()
            .ShouldNotContain(s => s.GetProperty("id").GetGuid() == subscription);
        (await (await api.CreateClient().GetAsync("/api/subscriptions")).Json()).GetProperty("items").EnumerateArray()
            .ShouldContain(s => s.GetProperty("id").GetGuid() == subscription, "the strategy office sees every subscription");
        (await api.AnonymousClient().GetAsync("/api/subscriptions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await mitte.DeleteAsync($"/api/subscriptions/{subscription}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await new MeasureDriver(api.CreateClient()).Propose();
        await Task.Delay(1500);
        receiver.Received.ShouldBeEmpty();
        await (await mitte.GetAsync($"/api/subscriptions/{subscription}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subscription-not-found");
    }
}
