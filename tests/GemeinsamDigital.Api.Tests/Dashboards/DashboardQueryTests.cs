using System.Net;
using System.Text;
using System.Text.Json;
using S = GemeinsamDigital.Testing.MonitoringScenario;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Api.Tests.Http;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>Filters, asOf, content negotiation and validation of the dashboards, over the scenario.</summary>
public class DashboardQueryTests(MonitoringFixture api) : IClassFixture<MonitoringFixture>, IAsyncLifetime
{
    public static readonly TheoryData<string> All =
        ["portfolio", "funnel", "cycle-times", "overdue", "collaboration", "participation", "indicators"];

    private readonly HttpClient _client = api.Client;

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("district=ba-mitte", 3, "pilot|1,scaled|1,stopped|1")] // leads Sensorbänke, in Kiezradar's and Ratsdaten's teams
    [InlineData("lead=skzl", 1, "scaled|1")]
    [InlineData("type=dezentral", 4, "idea|1,pilot|2,stopped|1")]
    [InlineData("perspective=zp7", 2, "scaled|1,withdrawn|1")]
    [InlineData("from=2024-09-01&to=2024-12-31", 4, "idea|1,goals-defined|1,pilot|2")] // closed before September: Ratsdaten, Sensorbänke, Sprechstunde
    [InlineData("to=2023-12-31", 3, "pilot|1,scaled|1,stopped|1")] // proposed by then: Ratsdaten, Sensorbänke, Schul-WLAN
    [InlineData("district=ba-neukoelln&type=dezentral&perspective=zp6", 1, "pilot|1")]
    public async Task Filters_select_measures_by_lead_district_type_perspective_and_window(string query, int measures, string stages)
    {
        var f = await _client.Figures($"/api/dashboard/portfolio?{query}");
        f.GetProperty("measures").GetInt32().ShouldBe(measures);
        string.Join(',', f.GetProperty("stages").Rows("code", "measures").Where(r => !r.EndsWith("|0"))).ShouldBe(stages);
    }

    [Fact]
    public async Task The_window_also_limits_dated_figures_to_it()
    {
        // In 2024: Kiezradar (40), Sensorbänke (120) and Schul-WLAN (60) held participations; Ratsdaten's was in 2023.
        var f = await _client.Figures("/api/dashboard/participation?from=2024-01-01&to=2024-12-31");
        f.GetProperty("measuresWithPilot").GetInt32().ShouldBe(4);
        f.GetProperty("measuresWithParticipation").GetInt32().ShouldBe(3);
        f.GetProperty("participants").GetInt64().ShouldBe(220);
        f.GetProperty("groups").Rows("code", "measures", "share").ShouldBe([
            "staat|2|0.5", "wirtschaft|0|0", "wissenschaft|0|0", "zivilgesellschaft|3|0.75", "stille-gruppen|3|0.75"]);

        // Stays that ended in the first half of 2024, outcomes reached in it (Sensorbänke stopped in August).
        var c = await _client.Figures("/api/dashboard/cycle-times?from=2024-01-01&to=2024-06-30");
        c.GetProperty("stages").Rows("code", "count", "medianDays").Take(1).ShouldBe(["idea|3|14"]); // Kiezradar 10, Sprechstunde 14, Klimadaten 14 (ended 06-15)
        c.GetProperty("stages")[4].GetProperty("count").GetInt32().ShouldBe(2); // Pilot: Ratsdaten 187 (ended 04-05), Sensorbänke 192 (ended 06-10)
        c.GetProperty("outcomes").Rows("code", "count").ShouldBe(["scaled|1", "iterated|1", "stopped|0", "withdrawn|1"]);

        // Schul-WLAN's 2023 measurement (30 of 10→60 = 0.4) judged against today's pilot, which started after it: expected 0.
        var i = await _client.Figures($"/api/dashboard/indicators?measureId={S.SchulWlan}&to=2023-12-31");
        i.GetProperty("series").Rows("latest", "progress", "expected", "status").ShouldBe(["30|0.4|0|on-track"]);
        // As of the end of 2023 the first pilot (2023-05-01 to 10-31) was the current one: 123/183 days elapsed → behind.
        var then = await _client.Figures($"/api/dashboard/indicators?measureId={S.SchulWlan}&asOf=2023-12-31T23:59:59Z", sequence: 50);
        then.GetProperty("series").Rows("latest", "progress", "expected", "status").ShouldBe(["30|0.4|0.6721|behind"]);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task Figures_as_of_now_computed_from_the_events_equal_the_live_projection(string dashboard)
    {
        var live = await (await _client.Get($"/api/dashboard/{dashboard}", "application/json")).Json();
        var asOf = await (await _client.Get($"/api/dashboard/{dashboard}?asOf=2025-01-15T12:00:00Z", "application/json")).Json();

        live.GetProperty("freshness").GetProperty("basis").GetString().ShouldBe("projection");
        asOf.GetProperty("freshness").GetProperty("basis").GetString().ShouldBe("events");
        asOf.GetProperty("freshness").GetProperty("eventSequence").GetInt64().ShouldBe(MonitoringFixture.LastSequence);
        asOf.GetProperty("figures").GetRawText().ShouldBe(live.GetProperty("figures").GetRawText());

        var liveCsv = await _client.Csv($"/api/dashboard/{dashboard}");
        (await _client.Csv($"/api/dashboard/{dashboard}?asOf=2025-01-15T12:00:00Z")).ShouldBe(liveCsv);
    }

    [Fact]
    public async Task Figures_as_of_a_past_moment_fold_only_the_events_recorded_until_then()
    {
        // On 2024-01-01 00:00: Ratsdaten in its pilot (events 11–17), Sensorbänke in its pilot (23–27), Schul-WLAN evaluated (41–49).
        var portfolio = await _client.Figures("/api/dashboard/portfolio?asOf=2024-01-01", sequence: 50);
        portfolio.GetProperty("measures").GetInt32().ShouldBe(3);
        string.Join(',', portfolio.GetProperty("stages").Rows("code", "measures").Where(r => !r.EndsWith("|0"))).ShouldBe("pilot|2,evaluated|1");

        // On 2024-10-15 (all but Kiezradar's last measurement and the idea): Kiezradar's m2 (due 10-01) was missed 14 days before; Klimadaten had no event since 07-15 (92 days).
        var overdue = await _client.Figures("/api/dashboard/overdue?asOf=2024-10-15T00:00:00Z", sequence: MonitoringFixture.LastSequence);
        overdue.GetProperty("today").GetString().ShouldBe("2024-10-15");
        overdue.GetProperty("milestones").Rows("measureId", "milestoneId", "daysOverdue").ShouldBe([$"{S.Kiezradar}|m2|14"]);
        overdue.GetProperty("inactive").Rows("measureId", "daysInactive").ShouldBe([$"{S.Klimadaten}|92"]);

        var response = await _client.Get("/api/dashboard/funnel?asOf=2024-01-01T00:00:00%2B01:00", "text/csv");
        response.Headers.GetValues(DashboardResponder.BasisHeader).Single().ShouldBe("events");
        response.Headers.GetValues(DashboardResponder.SequenceHeader).Single().ShouldBe("50");
    }

    [Theory]
    [InlineData("lead=ba-nirgendwo", "lead")]
    [InlineData("district=senfin", "district")]
    [InlineData("type=geheim", "type")]
    [InlineData("perspective=zp9", "perspective")]
    [InlineData("from=2024-02-30", "from")]
    [InlineData("to=31.12.2024", "to")]
    [InlineData("from=2024-06-01&to=2024-01-01", "from")]
    [InlineData("asOf=gestern", "asOf")]
    [InlineData("asOf=2024-01-01T00:00:00", "asOf")] // a date and time needs its offset
    [InlineData("asOf=2025-01-15T12:00:01Z", "asOf")]
    public async Task Unknown_codes_bad_dates_and_future_asOf_are_400_naming_the_field(string query, string field)
    {
        foreach (var dashboard in All)
        {
            var response = await _client.GetAsync($"/api/dashboard/{dashboard}?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await response.Json();
            problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.GetRawText());
            if (query.StartsWith("asOf=2025", StringComparison.Ordinal))
            {
                messages[0].GetString()!.ShouldContain("future");
            }
        }
    }

    [Theory]
    [InlineData("/api/dashboard/overdue?inactiveDays=0", "inactiveDays")]
    [InlineData("/api/dashboard/overdue?inactiveDays=many", "inactiveDays")]
    [InlineData("/api/dashboard/indicators?measureId=42", "measureId")]
    public async Task Dashboard_specific_parameters_are_validated(string url, string field)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Json()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("text/csv", "text/csv")]
    [InlineData("text/*", "text/csv")]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/csv;q=0.5, application/json", "application/json")]
    [InlineData("application/json;q=0.2, text/csv;q=0.9", "text/csv")]
    [InlineData("application/xml, text/csv;q=0.1", "text/csv")]
    public async Task Accept_selects_json_or_csv(string accept, string expected)
    {
        var response = await _client.Get("/api/dashboard/funnel", accept);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(expected);
        response.Headers.Vary.ShouldContain("Accept");
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task The_german_variant_is_the_same_table_with_bom_semicolons_and_decimal_commas(string dashboard)
    {
        var rows = CsvTableTests.Parse(await _client.Csv($"/api/dashboard/{dashboard}?format=csv"), ',');
        var response = await _client.Get($"/api/dashboard/{dashboard}?format=csv-de", "application/json");
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe($"dashboard-{dashboard}.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var german = CsvTableTests.Parse(Encoding.UTF8.GetString(bytes[3..]), ';');
        german.Count.ShouldBe(rows.Count);
        var decimals = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                var isDecimal = System.Text.RegularExpressions.Regex.IsMatch(rows[r][c], @"^-?\d+\.\d+$");
                decimals += isDecimal ? 1 : 0;
                german[r][c].ShouldBe(isDecimal ? rows[r][c].Replace('.', ',') : rows[r][c]);
            }
        }
        if (dashboard is "funnel" or "portfolio" or "participation" or "indicators")
        {
            decimals.ShouldBeGreaterThan(0);
        }
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("text/csv;q=0")]
    public async Task Unsupported_accept_is_406(string accept)
    {
        foreach (var dashboard in All)
        {
            var response = await _client.Get($"/api/dashboard/{dashboard}", accept);
            response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
            var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
            problem.GetProperty("supported").EnumerateArray().Select(s => s.GetString()).ShouldBe(["application/json", "text/csv"]);
        }
    }
}
