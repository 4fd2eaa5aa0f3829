using GemeinsamDigital.Domain.Measures;
using Marten.Events;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>Contract details of the dashboards that need no scenario.</summary>
public class DashboardContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Csv_cells_from_users_cannot_run_as_spreadsheet_formulas()
    {
        await using (var session = api.Store.LightweightSession())
        {
            var id = Guid.Parse("0193b000-0000-7000-8000-0000000000ff");
            var proposal = MeasureLifecycle.Propose(id, SampleCommands.Propose("ba-spandau", "=HYPERLINK(\"http://x\",\"klick\")"));
            EventLedger.StartStream(session, id, [(proposal.Events[0], DateTimeOffset.UtcNow.AddDays(-3))], new CommandMetadata("test", "ba-spandau", null, "test"));
            await session.SaveChangesAsync();
        }
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        var csv = await _client.Csv("/api/dashboard/overdue?inactiveDays=1&lead=ba-spandau");
        csv.Split("\r\n")[1].ShouldStartWith("inactive,0193b000-0000-7000-8000-0000000000ff,\"'=HYPERLINK(\"\"http://x\"\",\"\"klick\"\")\",ba-spandau,idea,");
    }

    [Fact]
    public async Task OpenApi_documents_every_dashboard_with_json_csv_and_its_problems()
    {
        var paths = (await (await _client.GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("paths");
        foreach (var dashboard in DashboardQueryTests.All)
        {
            var get = paths.GetProperty($"/api/dashboard/{dashboard}").GetProperty("get");
            get.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
            get.GetProperty("tags")[0].GetString().ShouldBe("Dashboards");
            var parameters = get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            new[] { "from", "to", "lead", "district", "type", "perspective", "asOf" }.ShouldAllBe(p => parameters.Contains(p));
            var ok = get.GetProperty("responses").GetProperty("200").GetProperty("content");
            ok.TryGetProperty("application/json", out _).ShouldBeTrue();
            ok.TryGetProperty("text/csv", out _).ShouldBeTrue();
            get.GetProperty("responses").TryGetProperty("400", out _).ShouldBeTrue();
            get.GetProperty("responses").TryGetProperty("406", out _).ShouldBeTrue();
        }
        paths.TryGetProperty("/api/admin/projections/{name}/rebuild", out _).ShouldBeTrue();
    }
}
