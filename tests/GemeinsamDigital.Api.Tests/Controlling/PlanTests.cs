using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using Marten;
using Marten.Events;
using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Controlling;

/// <summary>
/// The plans a measure serves: linking and unlinking through the API, the measure list's plan
/// filter, and the plans dashboard, whose figures equal those worked out here from the measures.
/// </summary>
public class PlanTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    private static ReportStatus Report(string health) =>
        SampleCommands.ReportStatus() with { Period = "2024-Q2", Health = health, On = new DateOnly(2024, 6, 30) };

    [Fact]
    public async Task Links_show_on_the_measure_filter_the_list_and_add_up_on_the_plans_dashboard_now_and_as_of_before()
    {
        // a: pilot, on track, serves BEK and StEP Klima; b: mandated, off track, serves BEK; c: idea, serves BEK, unlinked from EGovG; d: serves nothing.
        var a = await _measures.ProposeIn(MeasureStage.Pilot);
        var b = await _measures.ProposeIn(MeasureStage.Mandated);
        var c = await _measures.Propose();
        var d = await _measures.Propose();
        await _measures.Send(a, Report("on-track"));
        await _measures.Send(b, Report("off-track"));
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await _measures.Send(a, new LinkPlan("bek-2030", "Hitzedaten für das Klimamonitoring."));
        await _measures.Send(a, new LinkPlan("step-klima-2", null));
        await _measures.Send(b, new LinkPlan("bek-2030", null));
        await _measures.Send(c, new LinkPlan("egovg-bln", null));
        await _measures.Send(c, new LinkPlan("bek-2030", null));
        var unlinked = await _measures.Send(c, new UnlinkPlan("egovg-bln", "Kein Verwaltungsverfahren."));

        var measureA = await _measures.Read(a);
        measureA.Plans.Select(p => (p.Plan, p.Contribution)).ShouldBe([("bek-2030", "Hitzedaten für das Klimamonitoring."), ("step-klima-2", (string?)null)]);
        (await _measures.Read(c)).Plans.Select(p => p.Plan).ShouldBe(["bek-2030"]);
        (await _measures.Events(c)).Last().Type.ShouldBe("plan-unlinked");
        unlinked.Version.ShouldBe((await _measures.Read(c)).Version);

        // Refusals: a plan twice (422), a plan not served (422), an unknown plan (400 naming it).
        await (await _measures.Post(a, new LinkPlan("bek-2030", null))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "rule-violated");
        await (await _measures.Post(d, new UnlinkPlan("bek-2030", null))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "rule-violated");
        var unknown = await (await _measures.Post(d, new LinkPlan("bek-2050", null))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        unknown.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["plan"]);

        // The list's plan filter.
        (await Ids("/api/measures?plan=bek-2030&pageSize=200")).Order().ShouldBe(new[] { a, b, c }.Order());
        (await Ids("/api/measures?plan=step-klima-2")).ShouldBe([a]);
        (await Ids("/api/measures?plan=egovg-bln")).ShouldBeEmpty();
        await (await api.Client.GetAsync("/api/measures?plan=zp1")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "plan");

        // The dashboard, against the measures as read.
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var all = new[] { a, b, c, d };
        var states = new List<MeasureState>();
        foreach (var id in all)
        {
            states.Add(await _measures.Read(id));
        }
        var figures = await Dashboard("");
        figures.GetProperty("measures").GetInt32().ShouldBe(4);
        figures.GetProperty("measuresServingPlans").GetInt32().ShouldBe(3);
        foreach (var plan in figures.GetProperty("plans").EnumerateArray())
        {
            var code = plan.GetProperty("code").GetString()!;
            var serving = states.Where(m => m.Plans.Any(p => p.Plan == code)).ToList();
            plan.GetProperty("measures").GetInt32().ShouldBe(serving.Count, code);
            plan.GetProperty("unreported").GetInt32().ShouldBe(serving.Count(m => m.LatestStatusReport is null), code);
            foreach (var stage in plan.GetProperty("stages").EnumerateArray())
            {
                stage.GetProperty("measures").GetInt32().ShouldBe(serving.Count(m => m.Stage.Code() == stage.GetProperty("code").GetString()), $"{code} {stage}");
            }
            foreach (var health in plan.GetProperty("health").EnumerateArray())
            {
                health.GetProperty("measures").GetInt32().ShouldBe(serving.Count(m => m.LatestStatusReport?.Health == health.GetProperty("code").GetString()), $"{code} {health}");
            }
        }
        var bek = Plan(figures, "bek-2030");
        bek.GetProperty("measures").GetInt32().ShouldBe(3);
        Count(bek, "health", "off-track").ShouldBe(1);
        Count(bek, "stages", "pilot").ShouldBe(1);
        bek.GetProperty("unreported").GetInt32().ShouldBe(1);

        // Filters as every dashboard: the plan filter itself, and a lead no measure here has.
        var filtered = await Dashboard("?plan=step-klima-2");
        filtered.GetProperty("measures").GetInt32().ShouldBe(1);
        Plan(filtered, "bek-2030").GetProperty("measures").GetInt32().ShouldBe(1, "a serves both plans");
        (await Dashboard("?lead=ba-spandau")).GetProperty("measuresServingPlans").GetInt32().ShouldBe(0);

        // As of before the links: the same measures, none serving a plan.
        var earlier = await Dashboard("?asOf=" + Uri.EscapeDataString(before.ToString("O")));
        earlier.GetProperty("measures").GetInt32().ShouldBe(4);
        earlier.GetProperty("measuresServingPlans").GetInt32().ShouldBe(0);
        Plan(earlier, "bek-2030").GetProperty("measures").GetInt32().ShouldBe(0);

        // CSV with English labels: a row per plan, per plan and stage, per plan and health.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/plans?format=csv");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        var csv = await api.Client.SendAsync(request);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("section,plan,code,label,measures,unreported");
        lines.ShouldContain(l => l.StartsWith("plan,bek-2030,bek-2030,Berlin Energy and Climate Protection Programme (BEK 2030),3,1", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("health,bek-2030,off-track,Off track,1,", StringComparison.Ordinal));
        lines.Count(l => l.StartsWith("health,bek-2030,", StringComparison.Ordinal)).ShouldBe(StatusHealth.Codes.Count);
    }

    private async Task<List<Guid>> Ids(string url)
    {
        var response = await api.Client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid())];
    }

    private async Task<JsonElement> Dashboard(string query)
    {
        var response = await api.Client.Get("/api/dashboard/plans" + query, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("figures");
    }

    private static JsonElement Plan(JsonElement figures, string code) =>
        figures.GetProperty("plans").EnumerateArray().Single(p => p.GetProperty("code").GetString() == code);

    private static int Count(JsonElement plan, string list, string code) =>
        plan.GetProperty(list).EnumerateArray().Single(x => x.GetProperty("code").GetString() == code).GetProperty("measures").GetInt32();
}
