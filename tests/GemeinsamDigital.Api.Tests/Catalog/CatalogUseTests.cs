using System.Net;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Catalog;

/// <summary>Commands check codes against the current catalogue: added codes are accepted, retired ones refused for new uses, old measures read as before.</summary>
public class CatalogUseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Proposing_with_a_retired_code_is_422_while_an_old_measure_with_it_still_reads_fine()
    {
        var measures = new MeasureDriver(api.Client);
        var old = await measures.Propose(SampleCommands.Propose() with { Perspectives = ["zp3", "zp1"] });
        (await api.Client.PostJson("/api/catalog/replace-entry", new ReplaceCatalogEntry("futurePerspectives", "zp3", "zp4"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await api.Client.PostJson("/api/measures", SampleCommands.Propose(title: "Neu") with { Perspectives = ["zp1", "zp3"] });
        var problem = await refused.ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "catalog-code-retired", "perspectives[1]");
        problem.GetProperty("errors").GetProperty("perspectives[1]")[0].GetString()!.ShouldContain("'zp4'");

        var read = await api.Client.GetAsync($"/api/measures/{old}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await read.Json()).GetProperty("perspectives").EnumerateArray().Select(p => p.GetString()).ShouldBe(["zp3", "zp1"]);
        // The old measure goes on along its lifecycle: its next step names no retired code.
        (await measures.Post(old, SampleCommands.UnderstandProblem())).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The retired code stays a filter: the old measure is found by it.
        var list = await (await api.Client.GetAsync("/api/measures?perspective=zp3")).Json();
        list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ShouldContain(old);
    }

    [Fact]
    public async Task A_code_added_later_is_accepted_and_an_unknown_one_stays_400()
    {
        (await api.Client.PostJson("/api/catalog/add-entry", new AddCatalogEntry("measureTypes", "reallabor", "Reallabor", "Living lab", null, null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var proposed = await api.Client.PostJson("/api/measures", SampleCommands.Propose(title: "Reallabor Kiez") with { Type = "reallabor" });
        proposed.StatusCode.ShouldBe(HttpStatusCode.Created, await proposed.Content.ReadAsStringAsync());

        await (await api.Client.PostJson("/api/measures", SampleCommands.Propose() with { Type = "gibt-es-nicht" }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "type");
    }
}
