using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Api.Tests.Revisions;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Seed;

/// <summary>The demo's controlling as a visitor sees it: a slipping measure, missing reports, health in the closed phase, plans.</summary>
public class DemoControllingTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await using var query = api.Store.QuerySession();
        if (!await query.Query<MeasureState>().AnyAsync())
        {
            await DemoSeeder.SeedAsync(api.Store, api.Subjects, CancellationToken.None);
        }
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> Figures(string url)
    {
        var response = await api.Client.Get(url, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("figures");
    }

    [Fact]
    public async Task The_school_wifi_slips_off_track_and_the_missing_reports_are_overdue()
    {
        var slipping = DemoMeasures.IdFor(DemoControlling.Slipping);
        var wifi = await (await api.Client.GetAsync($"/api/measures/{slipping}")).Read<MeasureState>();
        wifi.HealthHistory.Select(h => h.Health).ShouldBe(["on-track", "on-track", "at-risk", "at-risk", "off-track", "off-track", "off-track", "off-track", "off-track"]);
        wifi.LatestStatusReport!.Period.ShouldBe("2026-Q3");

        var health = await Figures("/api/dashboard/health");
        var run = health.GetProperty("offTrack").EnumerateArray().Single(r => r.GetProperty("measureId").GetGuid() == slipping);
        (run.GetProperty("fromPeriod").GetString(), run.GetProperty("toPeriod").GetString(), run.GetProperty("periods").GetInt32(), run.GetProperty("current").GetBoolean())
            .ShouldBe(("2025-Q3", "2026-Q3", 5, true));

        var due = await Figures("/api/dashboard/reporting-due");
        var overdue = due.GetProperty("reports").EnumerateArray()
            .Select(r => (Id: r.GetProperty("measureId").GetGuid(), Period: r.GetProperty("period").GetString(), Status: r.GetProperty("status").GetString())).ToList();
        overdue.ShouldContain((DemoMeasures.IdFor(DemoControlling.MissingOne), "2025-Q2", "overdue"));
        overdue.ShouldContain((DemoMeasures.IdFor(DemoControlling.Paused), "2026-Q3", "overdue"));
        overdue.ShouldNotContain(r => r.Id == slipping, "the slipping measure reports every quarter");
        // As of the day after 2025-Q2's due day, only the volunteering exchange owed that report.
        var then = await Figures("/api/dashboard/reporting-due?asOf=2025-07-16");
        then.GetProperty("reports").EnumerateArray().Where(r => r.GetProperty("period").GetString() == "2025-Q2")
            .Select(r => r.GetProperty("measureId").GetGuid()).ShouldContain(DemoMeasures.IdFor(DemoControlling.MissingOne));
    }

    [Fact]
    public async Task The_closed_2024_phase_keeps_the_third_quarter_reports_and_plans_are_counted()
    {
        var revisions = new RevisionDriver(api.Client);
        var phase = (await revisions.List()).Single(p => p.Name == "Revisionsphase 2024");
        var snapshot = (await revisions.Snapshot(phase.Id)).Snapshot;
        var wifi = snapshot.Measures.Single(m => m.Id == DemoMeasures.IdFor(DemoControlling.Slipping));
        (wifi.LatestReport!.Period, wifi.LatestReport.Health).ShouldBe(("2024-Q3", "on-track"));
        (await revisions.Verify(phase.Id)).Matches.ShouldBeTrue();

        var plans = await Figures("/api/dashboard/plans");
        var bek = plans.GetProperty("plans").EnumerateArray().Single(p => p.GetProperty("code").GetString() == "bek-2030");
        bek.GetProperty("measures").GetInt32().ShouldBe(3);
        plans.GetProperty("measuresServingPlans").GetInt32().ShouldBe(9);
    }
}
