using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

public class FirstSliceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Propose_read_back_transition_and_history()
    {
        var created = await _client.PostJson("/api/measures", SampleCommands.Propose());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var accepted = await created.Read<CommandAccepted>();
        created.Headers.Location!.ToString().ShouldBe($"/api/measures/{accepted.MeasureId}");

        var read = await _client.GetAsync(created.Headers.Location);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var measure = await read.Read<MeasureState>();
        measure.Title.ShouldBe("Smart Space Hardenbergplatz");
        measure.Stage.ShouldBe(MeasureStage.Idea);
        measure.Lead.ShouldBe("ba-charlottenburg-wilmersdorf");
        measure.Perspectives.ShouldBe(["zp1", "zp2"]);

        var step = await _client.PostJson($"/api/measures/{accepted.MeasureId}/understand-problem", SampleCommands.UnderstandProblem(), ifMatch: "\"1\"");
        step.StatusCode.ShouldBe(HttpStatusCode.OK);
        step.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await step.Read<CommandAccepted>()).Stage.ShouldBe(MeasureStage.ProblemUnderstood);

        var after = await (await _client.GetAsync($"/api/measures/{accepted.MeasureId}")).Read<MeasureState>();
        after.Stage.ShouldBe(MeasureStage.ProblemUnderstood);
        after.Version.ShouldBe(2);
        after.AffectedGroups.Count.ShouldBe(2);
        after.StageHistory.Select(h => h.Stage).ShouldBe([MeasureStage.Idea, MeasureStage.ProblemUnderstood]);

        var events = (await (await _client.GetAsync($"/api/measures/{accepted.MeasureId}/events")).Read<ItemList<MeasureEventView>>()).Items.ToList();
        events.Select(e => (e.Version, e.Type)).ShouldBe([(1L, "measure-proposed.v2"), (2L, "problem-understood")]);
        events.ShouldAllBe(e => e.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5));
        events[1].Sequence.ShouldBeGreaterThan(events[0].Sequence);
    }

    [Fact]
    public async Task Read_answers_304_when_the_etag_still_matches()
    {
        var id = (await (await _client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/measures/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        (await _client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task List_pages_and_filters_by_stage_and_lead()
    {
        var lead = "ba-spandau";
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await _client.PostJson("/api/measures", SampleCommands.Propose(lead, $"Spandau {i}"))).Read<CommandAccepted>()).MeasureId);
        }
        await _client.PostJson($"/api/measures/{ids[0]}/understand-problem", SampleCommands.UnderstandProblem());

        var page = await (await _client.GetAsync($"/api/measures?lead={lead}&pageSize=2")).Read<MeasurePage>();
        page.Total.ShouldBe(3);
        page.Items.Count.ShouldBe(2);
        page.PageCount.ShouldBe(2);
        page.Items.ShouldAllBe(m => m.Lead == lead);
        var second = await (await _client.GetAsync($"/api/measures?lead={lead}&pageSize=2&page=2")).Read<MeasurePage>();
        second.Items.Count.ShouldBe(1);
        page.Items.Concat(second.Items).Select(m => m.Id).ShouldBe(ids, ignoreOrder: true);

        var understood = await (await _client.GetAsync($"/api/measures?lead={lead}&stage=problem-understood")).Read<MeasurePage>();
        understood.Items.Select(m => m.Id).ShouldBe([ids[0]]);
    }
}
