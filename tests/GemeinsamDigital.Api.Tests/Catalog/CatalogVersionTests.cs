using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Api.Tests.Catalog;

/// <summary>The catalogue as an event stream: the strategy office's commands, versions, asOf, changes and Leichte Sprache.</summary>
public class CatalogVersionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static JsonElement Entry(JsonElement catalog, string list, string code) =>
        catalog.GetProperty(list).EnumerateArray().Single(e => e.GetProperty("code").GetString() == code);

    private async Task<JsonElement> Catalog(string query = "", string? language = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog" + query);
        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }
        var response = await api.AnonymousClient().SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private async Task<long> Ok(string command, object body)
    {
        var response = await api.Client.PostJson("/api/catalog/" + command, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var accepted = await response.Json();
        response.Headers.ETag!.Tag.ShouldBe($"\"{accepted.GetProperty("version").GetInt64()}\"");
        return accepted.GetProperty("version").GetInt64();
    }

    [Fact]
    public async Task Relabel_and_retire_then_read_version_1_the_current_version_and_the_changes_between()
    {
        var first = await Catalog();
        var v1 = first.GetProperty("version").GetInt64();
        v1.ShouldBeGreaterThanOrEqualTo(1);
        Entry(first, "futurePerspectives", "zp6").GetProperty("status").GetString().ShouldBe("active");

        await Ok("relabel-entry", new RelabelCatalogEntry("futurePerspectives", "zp6", "Chancen für alle", "Opportunities for all", null));
        var current = await Ok("retire-entry", new RetireCatalogEntry("participationFormats", "kiezlabor"));
        current.ShouldBe(v1 + 2);

        var now = await Catalog();
        now.GetProperty("version").GetInt64().ShouldBe(current);
        Entry(now, "futurePerspectives", "zp6").GetProperty("label").GetString().ShouldBe("Chancen für alle");
        var retired = Entry(now, "participationFormats", "kiezlabor");
        (retired.GetProperty("status").GetString(), retired.GetProperty("label").GetString()).ShouldBe(("retired", "Kiezlabor / mobiles CityLAB"));

        var one = await Catalog("?version=1");
        one.GetProperty("version").GetInt64().ShouldBe(1);
        Entry(one, "futurePerspectives", "zp6").GetProperty("label").GetString().ShouldBe("Zukunftschancen für alle");
        Entry(one, "participationFormats", "kiezlabor").GetProperty("status").GetString().ShouldBe("active");
        // The fixed lists are there in every version.
        one.GetProperty("stages").GetArrayLength().ShouldBeGreaterThan(0);

        // asOf before any change (even before the catalogue was recorded) answers version 1.
        (await Catalog("?asOf=2024-01-01")).GetProperty("version").GetInt64().ShouldBe(1);

        var english = await Catalog("?version=" + (v1 + 1), "en");
        english.GetProperty("version").GetInt64().ShouldBe(v1 + 1);
        Entry(english, "futurePerspectives", "zp6").GetProperty("label").GetString().ShouldBe("Opportunities for all");

        var changes = await (await api.AnonymousClient().GetAsync($"/api/catalog/changes?from={v1}")).Json();
        (changes.GetProperty("from").GetInt64(), changes.GetProperty("to").GetInt64()).ShouldBe((v1, current));
        var items = changes.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("code").GetString() is "zp6" or "kiezlabor").ToList();
        items.Select(c => c.GetProperty("kind").GetString()).ShouldBe(["relabelled", "retired"]);
        items[0].GetProperty("previousLabel").GetString().ShouldBe("Zukunftschancen für alle");
        items[0].GetProperty("label").GetString().ShouldBe("Chancen für alle");
    }

    [Fact]
    public async Task Unknown_versions_are_404_and_bad_ones_400()
    {
        await (await api.AnonymousClient().GetAsync("/api/catalog?version=9999")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "catalog-version-not-found");
        await (await api.AnonymousClient().GetAsync("/api/catalog?version=0")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "version");
        await (await api.AnonymousClient().GetAsync("/api/catalog?version=1&asOf=2025-01-01")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "version");
        await (await api.AnonymousClient().GetAsync("/api/catalog?asOf=2999-01-01")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "asOf");
        await (await api.AnonymousClient().GetAsync("/api/catalog/changes?from=9999")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "catalog-version-not-found");
        await (await api.AnonymousClient().GetAsync("/api/catalog/changes?from=3&to=2")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "to");
    }

    [Fact]
    public async Task Only_the_strategy_office_changes_the_catalogue_and_refusals_name_the_field()
    {
        var editor = api.ClientFor("ba-pankow", Roles.Editor);
        await (await editor.PostJson("/api/catalog/retire-entry", new RetireCatalogEntry("measureTypes", "netzwerk"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await api.AnonymousClient().PostJson("/api/catalog/retire-entry", new RetireCatalogEntry("measureTypes", "netzwerk"))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        await (await api.Client.PostJson("/api/catalog/add-entry", new AddCatalogEntry("futurePerspectives", "ZP 9", "X", null, null, null)))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "code");
        await (await api.Client.PostJson("/api/catalog/add-entry", new AddCatalogEntry("futurePerspectives", "zp9", new string('x', 201), null, null, null)))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "label");
        await (await api.Client.PostJson("/api/catalog/relabel-entry", new RelabelCatalogEntry("futurePerspectives", "zp99", "X", null, null)))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "code");

        await Ok("retire-entry", new RetireCatalogEntry("underHeardGroups", "wohnungslose"));
        await (await api.Client.PostJson("/api/catalog/retire-entry", new RetireCatalogEntry("underHeardGroups", "wohnungslose")))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "code");
        await (await api.Client.PostJson("/api/catalog/replace-entry", new ReplaceCatalogEntry("underHeardGroups", "fluchterfahrung", "wohnungslose")))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "replacedBy");
        await (await api.Client.PostJson("/api/catalog/replace-entry", new ReplaceCatalogEntry("underHeardGroups", "fluchterfahrung", "gibt-es-nicht")))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "replacedBy");

        // An added code is in the catalogue; a replaced one points to its successor.
        await Ok("add-entry", new AddCatalogEntry("underHeardGroups", "seniorinnen", "Ältere Menschen", "Older people", "Alte Menschen", null));
        await Ok("replace-entry", new ReplaceCatalogEntry("underHeardGroups", "diskriminierungserfahrung", "seniorinnen"));
        var catalog = await Catalog();
        Entry(catalog, "underHeardGroups", "seniorinnen").GetProperty("status").GetString().ShouldBe("active");
        Entry(catalog, "underHeardGroups", "diskriminierungserfahrung").GetProperty("replacedBy").GetString().ShouldBe("seniorinnen");
    }

    [Fact]
    public async Task Leichte_Sprache_labels_where_there_are_German_elsewhere()
    {
        await Ok("relabel-entry", new RelabelCatalogEntry("guidingPrinciples", "resilient", null, null, "Berlin hält auch in schweren Zeiten zusammen"));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog");
        request.Headers.AcceptLanguage.ParseAdd("de-x-ls");
        var response = await api.AnonymousClient().SendAsync(request);
        response.Content.Headers.ContentLanguage.ShouldBe(["de-x-ls"]);
        var easy = await response.Json();
        Entry(easy, "guidingPrinciples", "resilient").GetProperty("label").GetString().ShouldBe("Berlin hält auch in schweren Zeiten zusammen");
        Entry(easy, "guidingPrinciples", "kooperativ").GetProperty("label").GetString().ShouldBe("Kooperativ");
        var german = await Catalog(language: "de");
        Entry(german, "guidingPrinciples", "resilient").GetProperty("label").GetString().ShouldBe("Resilient");
        Entry(german, "guidingPrinciples", "resilient").GetProperty("easyLabel").GetString().ShouldBe("Berlin hält auch in schweren Zeiten zusammen");
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_record_version_1_once()
    {
        var reader = api.Services.GetService(typeof(CatalogReader)) as CatalogReader;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => reader!.EnsureSeededAsync(CancellationToken.None)));
        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(CatalogState.StreamId);
        events.Count(e => e.Data is CatalogSeeded).ShouldBe(1);
        events[0].Version.ShouldBe(1);
    }
}
