using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>Four measures proposed one after the other; the third then has its problem understood.</summary>
public sealed class SearchFixture : ApiFixture
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _seeded;

    public async Task SeededAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await SeedAsync();
                _seeded = true;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task SeedAsync()
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var (title, description, lead) in new[]
        {
            ("Gieß-App für Straßenbäume", "Freiwillige gießen Bäume, die Trockenheit leiden.", "ba-mitte"),
            ("Schul-WLAN in allen Bezirken", "Verlässliches Internet für Schulen und Lehrkräfte.", "ba-mitte"),
            ("Parksensoren im Lieferverkehr", "Ladezonen werden mit Sensoren frei gehalten.", "ba-mitte"),
            ("Bürgeramt digital", "Termine in Bürgerämtern online buchen.", "ba-pankow"),
        })
        {
            var propose = SampleCommands.Propose(lead, title) with { Description = description };
            ids[title] = (await (await Client.PostJson("/api/measures", propose)).Read<CommandAccepted>()).MeasureId;
        }
        (await Client.PostJson($"/api/measures/{ids["Parksensoren im Lieferverkehr"]}/understand-problem", SampleCommands.UnderstandProblem()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public class MeasureSearchTests(SearchFixture api) : IClassFixture<SearchFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = api.Client;

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Schule", "Schul-WLAN in allen Bezirken")] // German stemming: Schule ~ Schulen
    [InlineData("baum", "Gieß-App für Straßenbäume")] // description "Bäume"
    [InlineData("Sensor", "Parksensoren im Lieferverkehr")] // description "Sensoren"
    [InlineData("termin buchen", "Bürgeramt digital")]
    [InlineData("\"Internet für Schulen\"", "Schul-WLAN in allen Bezirken")]
    public async Task Full_text_search_finds_words_in_title_and_description(string q, string expected)
    {
        var page = await (await _client.GetAsync($"/api/measures?q={Uri.EscapeDataString(q)}")).Read<MeasurePage>();
        page.Items.Select(m => m.Title).ShouldBe([expected]);
        page.Total.ShouldBe(1);
    }

    [Fact]
    public async Task Search_combines_with_filters_and_finds_nothing_for_unknown_words()
    {
        (await (await _client.GetAsync("/api/measures?q=Schule&lead=ba-pankow")).Read<MeasurePage>()).Total.ShouldBe(0);
        (await (await _client.GetAsync("/api/measures?q=Raumfahrt")).Read<MeasurePage>()).Total.ShouldBe(0);
        (await (await _client.GetAsync("/api/measures?q=Sensor&stage=problem-understood")).Read<MeasurePage>()).Total.ShouldBe(1);
    }

    [Theory]
    [InlineData("title", new[] { "Bürgeramt digital", "Gieß-App für Straßenbäume", "Parksensoren im Lieferverkehr", "Schul-WLAN in allen Bezirken" })]
    [InlineData("-title", new[] { "Schul-WLAN in allen Bezirken", "Parksensoren im Lieferverkehr", "Gieß-App für Straßenbäume", "Bürgeramt digital" })]
    [InlineData("proposedAt", new[] { "Gieß-App für Straßenbäume", "Schul-WLAN in allen Bezirken", "Parksensoren im Lieferverkehr", "Bürgeramt digital" })]
    [InlineData("-proposedAt", new[] { "Bürgeramt digital", "Parksensoren im Lieferverkehr", "Schul-WLAN in allen Bezirken", "Gieß-App für Straßenbäume" })]
    [InlineData("-lastActivityAt", new[] { "Parksensoren im Lieferverkehr", "Bürgeramt digital", "Schul-WLAN in allen Bezirken", "Gieß-App für Straßenbäume" })]
    public async Task Sorting_by_title_proposal_and_last_activity(string sort, string[] expected)
    {
        var page = await (await _client.GetAsync($"/api/measures?sort={sort}")).Read<MeasurePage>();
        page.Items.Select(m => m.Title).ShouldBe(expected);
    }

    [Fact]
    public async Task Sorting_by_stage_follows_the_lifecycle_and_pages_do_not_overlap()
    {
        var ascending = await (await _client.GetAsync("/api/measures?sort=stage")).Read<MeasurePage>();
        ascending.Items.Select(m => m.Stage).ShouldBe([MeasureStage.Idea, MeasureStage.Idea, MeasureStage.Idea, MeasureStage.ProblemUnderstood]);
        var descending = await (await _client.GetAsync("/api/measures?sort=-stage")).Read<MeasurePage>();
        descending.Items[0].Title.ShouldBe("Parksensoren im Lieferverkehr");

        var first = await (await _client.GetAsync("/api/measures?sort=stage&pageSize=2")).Read<MeasurePage>();
        var second = await (await _client.GetAsync("/api/measures?sort=stage&pageSize=2&page=2")).Read<MeasurePage>();
        first.Items.Concat(second.Items).Select(m => m.Id).ShouldBe(ascending.Items.Select(m => m.Id));
    }

    [Theory]
    [InlineData("sort=popularity", "sort")]
    [InlineData("sort=--title", "sort")]
    public async Task Invalid_sort_is_400(string query, string field)
    {
        var response = await _client.GetAsync($"/api/measures?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Json()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Overlong_query_is_400()
    {
        var response = await _client.GetAsync($"/api/measures?q={new string('a', MeasureSearch.MaxQuery + 1)}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Json()).GetProperty("errors").TryGetProperty("q", out _).ShouldBeTrue();
    }
}
