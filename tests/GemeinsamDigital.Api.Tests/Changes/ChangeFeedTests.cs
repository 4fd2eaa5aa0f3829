using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Changes;

/// <summary>The change feed: global order, a consumer's replay equal to the list, long polling woken by commits, filters, no personal data for the public.</summary>
public class ChangeFeedTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private sealed record Item(Guid MeasureId, long Version, long Sequence, string Type, string Stage, string? Actor, string? ActorName);

    private static Item Read(JsonElement i) => new(i.GetProperty("measureId").GetGuid(), i.GetProperty("version").GetInt64(), i.GetProperty("sequence").GetInt64(),
        i.GetProperty("type").GetString()!, i.GetProperty("stage").GetString()!, i.GetProperty("actor").GetString(),
        i.GetProperty("actorName").GetString());

    private static async Task<(List<Item> Items, string Next, long Cursor)> PageAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/changes" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Json();
        var cursor = long.Parse(response.Headers.GetValues("X-Event-Sequence").Single());
        return ([.. body.GetProperty("items").EnumerateArray().Select(Read)], body.GetProperty("next").GetString()!, cursor);
    }

    /// <summary>Everything after <paramref name="after"/>, following the cursor.</summary>
    private static async Task<List<Item>> AllAsync(HttpClient client, long after = 0, string filter = "", int limit = 7)
    {
        var all = new List<Item>();
        while (true)
        {
            var (items, _, cursor) = await PageAsync(client, $"?after={after}&limit={limit}{filter}");
            all.AddRange(items);
            if (items.Count < limit)
            {
                return all;
            }
            after = cursor;
        }
    }

    /// <summary>Waits until the feed shows the measure at its version (the high water mark follows commits within a moment).</summary>
    private async Task SettleAsync(Guid measure, long version)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!(await AllAsync(api.CreateClient(), limit: 1000)).Any(i => i.MeasureId == measure && i.Version == version) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_consumer_replaying_the_feed_from_zero_ends_with_the_measure_list()
    {
        var client = api.CreateClient();
        var driver = new MeasureDriver(client);
        var pilot = await driver.ProposeIn(MeasureStage.Pilot);
        await driver.ProposeIn(MeasureStage.GoalsDefined);
        var withdrawn = await driver.Propose();
        await driver.Send(withdrawn, SampleCommands.Withdraw());
        var amended = await driver.ProposeIn(MeasureStage.Evaluated);
        var last = await driver.Send(amended, SampleCommands.AmendDetails());
        await SettleAsync(amended, last.Version);

        // Applying each change: the measure is at that version, in that stage.
        var replayed = new Dictionary<Guid, (long Version, string Stage)>();
        long previous = 0;
        foreach (var change in await AllAsync(api.AnonymousClient()))
        {
            change.Sequence.ShouldBeGreaterThan(previous, "global order");
            previous = change.Sequence;
            replayed[change.MeasureId] = (change.Version, change.Stage);
        }

        var listed = new Dictionary<Guid, (long Version, string Stage)>();
        for (var page = 1; ; page++)
        {
            var body = await (await client.GetAsync($"/api/measures?pageSize=200&page={page}")).Json();
            foreach (var m in body.GetProperty("items").EnumerateArray())
            {
                listed[m.GetProperty("id").GetGuid()] = (m.GetProperty("version").GetInt64(), m.GetProperty("stage").GetString()!);
            }
            if (page >= body.GetProperty("pageCount").GetInt32())
            {
                break;
            }
        }
        replayed.OrderBy(p => p.Key).ShouldBe(listed.OrderBy(p => p.Key));
        replayed[pilot].Stage.ShouldBe("pilot");
        replayed[withdrawn].Stage.ShouldBe("withdrawn");
        replayed[amended].ShouldBe((last.Version, "evaluated"), "an event that enters no stage leaves the stage as it was");
    }

    [Fact]
    public async Task A_long_poll_is_answered_when_a_change_commits_and_empty_when_none_comes()
    {
        var client = api.CreateClient();
        var driver = new MeasureDriver(client);
        var measure = await driver.Propose();
        await SettleAsync(measure, 1);
        var (_, _, cursor) = await PageAsync(client, "?after=0&limit=1000");

        var empty = Stopwatch.StartNew();
        var (none, next, unchanged) = await PageAsync(client, $"?after={cursor}&wait=1");
        empty.Stop();
        none.ShouldBeEmpty();
        unchanged.ShouldBe(cursor);
        next.ShouldContain($"after={cursor}");
        empty.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9), "it waited");

        var poll = PageAsync(api.AnonymousClient(), $"?after={cursor}&wait=30");
        await Task.Delay(1000);
        poll.IsCompleted.ShouldBeFalse("nothing happened yet");
        var accepted = await driver.Send(measure, SampleCommands.AmendDetails());
        var committed = Stopwatch.StartNew();
        var (items, _, after) = await poll;
        committed.Stop();
        output.WriteLine($"answered {committed.ElapsedMilliseconds} ms after the command's answer");
        var change = items.ShouldHaveSingleItem();
        change.ShouldBe(new Item(measure, accepted.Version, after, "details-amended", "idea", null, null));
        // Far below the wait: woken by the commit, not by the end of the wait (the figure for the target is in the benchmark).
        committed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Filters_select_by_the_measures_team_and_by_event_type()
    {
        var client = api.CreateClient();
        var driver = new MeasureDriver(client);
        var (_, _, start) = await PageAsync(client, "?after=0&limit=1");
        var mitte = await driver.Propose(SampleCommands.Propose() with { Lead = "ba-mitte", Source = new IdeaSourceInput("verwaltung", "ba-mitte", null) });
        var team = await driver.ProposeIn(MeasureStage.GoalsDefined);
        var mandated = await driver.Send(team, SampleCommands.Mandate(SampleCommands.Lead, "ba-neukoelln"));
        await SettleAsync(team, mandated.Version);

        (await AllAsync(client, start, "&lead=ba-mitte")).Select(i => i.MeasureId).Distinct().ShouldBe([mitte]);
        (await AllAsync(client, start, "&participating=ba-neukoelln")).Select(i => i.MeasureId).Distinct().ShouldBe([team]);
        (await AllAsync(client, start, "&district=ba-neukoelln")).Select(i => i.MeasureId).Distinct().ShouldBe([team]);
        var mandates = await AllAsync(client, start, "&eventType=measure-mandated,goals-defined");
        mandates.Select(i => i.Type).ShouldBe(["goals-defined", "measure-mandated"]);
        mandates[1].Stage.ShouldBe("mandated");
        (await AllAsync(client, start, "&eventType=measure-mandated&eventType=goals-defined")).Count.ShouldBe(2, "repeated like comma-separated");
    }

    [Fact]
    public async Task The_public_sees_no_actor_while_history_readers_do()
    {
        var measure = await new MeasureDriver(api.CreateClient()).Propose();
        await SettleAsync(measure, 1);
        (await AllAsync(api.AnonymousClient(), limit: 1000)).Single(i => i.MeasureId == measure).ShouldSatisfyAllConditions(i => i.Actor.ShouldBeNull(), i => i.ActorName.ShouldBeNull());
        (await AllAsync(api.ClientFor("skzl", Roles.DashboardReader), limit: 1000)).Single(i => i.MeasureId == measure).ShouldSatisfyAllConditions(i => i.Actor.ShouldBeNull(), i => i.ActorName.ShouldBeNull());
        // History readers see the pseudonym and the name behind it.
        var seen = (await AllAsync(api.ClientFor("skzl", Roles.Auditor), limit: 1000)).Single(i => i.MeasureId == measure);
        seen.Actor.ShouldNotBeNull().ShouldStartWith(SubjectDirectory.Prefix);
        seen.ActorName.ShouldBe(ApiFixture.DefaultActor);
    }

    [Fact]
    public async Task A_full_page_links_to_the_next_part_and_keeps_the_filters()
    {
        var driver = new MeasureDriver(api.CreateClient());
        var measure = await driver.ProposeIn(MeasureStage.Mandated);
        await SettleAsync(measure, 4);
        var response = await api.AnonymousClient().GetAsync("/api/changes?limit=2&lead=" + SampleCommands.Lead);
        var body = await response.Json();
        var items = body.GetProperty("items");
        items.GetArrayLength().ShouldBe(2);
        var cursor = items[1].GetProperty("sequence").GetInt64();
        response.Headers.GetValues("X-Event-Sequence").Single().ShouldBe(cursor.ToString());
        var next = body.GetProperty("next").GetString()!;
        next.ShouldContain($"after={cursor}");
        next.ShouldContain("lead=" + SampleCommands.Lead);
        response.Headers.GetValues("Link").Single().ShouldContain("rel=\"next\"");
        var following = await (await api.AnonymousClient().GetAsync(next)).Json();
        following.GetProperty("items")[0].GetProperty("sequence").GetInt64().ShouldBeGreaterThan(cursor);
    }

    [Fact]
    public async Task A_poll_that_finds_nothing_new_is_answered_304_to_its_tag()
    {
        var driver = new MeasureDriver(api.CreateClient());
        var measure = await driver.Propose();
        await SettleAsync(measure, 1);
        var client = api.AnonymousClient();
        var (_, _, cursor) = await PageAsync(client, "?after=0&limit=1000");
        var first = await client.GetAsync($"/api/changes?after={cursor}");
        var tag = first.Headers.ETag!.ToString();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/changes?after={cursor}");
        request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        var again = await client.SendAsync(request);
        again.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await again.Content.ReadAsStringAsync()).ShouldBeEmpty();

        var amended = await driver.Send(measure, SampleCommands.AmendDetails());
        await SettleAsync(measure, amended.Version);
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/changes?after={cursor}");
        changed.Headers.TryAddWithoutValidation("If-None-Match", tag);
        var news = await client.SendAsync(changed);
        news.StatusCode.ShouldBe(HttpStatusCode.OK);
        news.Headers.ETag!.ToString().ShouldNotBe(tag);
    }

    [Theory]
    [InlineData("?after=-1", "after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?wait=61", "wait")]
    [InlineData("?lead=ba-nirgendwo", "lead")]
    [InlineData("?district=senfin", "district")]
    [InlineData("?eventType=revision-phase-opened", "eventType")]
    [InlineData("?after=abc", "after")]
    public async Task Bad_parameters_are_refused_naming_the_parameter(string query, string field) =>
        await (await api.AnonymousClient().GetAsync("/api/changes" + query)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", field);
}
