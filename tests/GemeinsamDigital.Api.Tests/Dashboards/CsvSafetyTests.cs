using GemeinsamDigital.Api.Seed;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Testing;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Dashboards;

public class CsvSafetyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Csv_cells_from_users_cannot_run_as_spreadsheet_formulas()
    {
        await using (var session = api.Store.LightweightSession())
        {
            var id = Guid.Parse("0193b000-0000-7000-8000-0000000000ff");
            var proposal = MeasureLifecycle.Propose(id, Samples.Propose("ba-spandau", "=HYPERLINK(\"http://x\",\"klick\")"));
            session.Events.StartStream<MeasureState>(id, [DemoSeeder.Backdated(proposal.Events[0], DateTimeOffset.UtcNow.AddDays(-3))]);
            await session.SaveChangesAsync();
        }
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        var csv = await _client.Csv("/api/dashboard/overdue?inactiveDays=1&lead=ba-spandau");
        csv.Split("\r\n")[1].ShouldStartWith("inactive,0193b000-0000-7000-8000-0000000000ff,\"'=HYPERLINK(\"\"http://x\"\",\"\"klick\"\")\",ba-spandau,Idea,");
    }
}
