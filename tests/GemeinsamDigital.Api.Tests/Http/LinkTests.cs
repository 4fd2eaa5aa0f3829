using System.Net;
using System.Text.RegularExpressions;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>RFC 8288 Link headers with absolute URLs a client follows as they are.</summary>
public partial class LinkTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static Dictionary<string, string> LinksOf(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Link", out var values) ? string.Join(", ", values) : "";
        return LinkValue().Matches(header).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
    }

    [Fact]
    public async Task A_measure_links_to_its_history_events_export_and_integrity()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var response = await api.AnonymousClient().GetAsync($"/api/measures/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var links = LinksOf(response);
        links.Keys.ShouldBe(["history", "events", "export", "integrity"], ignoreOrder: true);
        foreach (var (rel, url) in links)
        {
            url.ShouldBe($"http://localhost/api/measures/{id}/{rel}");
            // Each leads somewhere real (for a caller allowed to go there).
            (await api.Client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, rel);
        }

        // Reading it as it was links the same; a measure that does not exist links nothing.
        LinksOf(await api.AnonymousClient().GetAsync($"/api/measures/{id}?version=1")).Count.ShouldBe(4);
        var missing = await api.AnonymousClient().GetAsync($"/api/measures/{Guid.NewGuid()}");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Headers.Contains("Link").ShouldBeFalse();
    }

    [Fact]
    public async Task The_history_next_page_is_an_absolute_url_and_a_link()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        (await api.Client.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem())).StatusCode.ShouldBe(HttpStatusCode.OK);

        var first = await api.Client.GetAsync($"/api/measures/{id}/history?limit=1");
        var page = await first.Read<HistoryPage>();
        page.Next.ShouldBe($"http://localhost/api/measures/{id}/history?fromVersion=2&limit=1");
        LinksOf(first)["next"].ShouldBe(page.Next);

        var second = await api.Client.GetAsync(page.Next);
        var last = await second.Read<HistoryPage>();
        last.Items.ShouldHaveSingleItem().Version.ShouldBe(2);
        last.Next.ShouldBeNull();
        second.Headers.Contains("Link").ShouldBeFalse();
    }

    [Fact]
    public async Task The_measure_list_links_first_prev_next_and_last_keeping_the_other_parameters()
    {
        const string lead = "ba-lichtenberg";
        for (var i = 0; i < 5; i++)
        {
            (await api.Client.PostJson("/api/measures", SampleCommands.Propose(lead, $"Verlinkt {i}"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        string Page(int n) => $"http://localhost/api/measures?lead={lead}&sort=title&pageSize=2&page={n}";

        var middle = LinksOf(await api.Client.GetAsync($"/api/measures?lead={lead}&page=2&sort=title&pageSize=2"));
        middle.ShouldBe(new Dictionary<string, string> { ["first"] = Page(1), ["prev"] = Page(1), ["next"] = Page(3), ["last"] = Page(3) }, ignoreOrder: true);

        var firstPage = LinksOf(await api.Client.GetAsync($"/api/measures?lead={lead}&sort=title&pageSize=2"));
        firstPage.Keys.ShouldBe(["first", "next", "last"], ignoreOrder: true);

        var lastResponse = await api.Client.GetAsync(middle["last"]);
        (await lastResponse.Json()).GetProperty("items").GetArrayLength().ShouldBe(1);
        LinksOf(lastResponse).Keys.ShouldBe(["first", "prev", "last"], ignoreOrder: true);
    }

    [GeneratedRegex("<([^>]*)>;\\s*rel=\"([^\"]*)\"")]
    private static partial Regex LinkValue();
}
