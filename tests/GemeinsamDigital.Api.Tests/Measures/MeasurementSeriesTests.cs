using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Http;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// The stored measure leaves out its measurement series, so a command does not rewrite it; every
/// read (the measure now, at a version, at a moment, the list and its CSV) answers the series up
/// to the state's version, as the fold of the events has it. The same holds for the monitoring row
/// and the live dashboards.
/// </summary>
public class MeasurementSeriesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task A_command_stores_the_measure_without_its_series_and_reads_answer_all_of_it()
    {
        var id = await PilotWith(30);
        (await StoredSeriesLength(id)).ShouldBe(0);

        var read = await _measures.Read(id);
        read.Measurements.Select(m => m.Value).ShouldBe(Values(30));
        await using var session = api.Store.QuerySession();
        Json(read).ShouldBe(Json((await MeasureFolds.AsReadAsync(session, id))!));
    }

    [Fact]
    public async Task A_read_at_a_version_or_moment_answers_the_series_up_to_it_and_no_further()
    {
        var id = await PilotWith(6);
        var events = await _measures.Events(id);
        var firstMeasured = events.First(e => e.Type == "indicator-measured");

        var before = await Get($"/api/measures/{id}?version={firstMeasured.Version - 1}");
        before.Measurements.ShouldBeEmpty();
        var third = await Get($"/api/measures/{id}?version={firstMeasured.Version + 2}");
        third.Measurements.Select(m => m.Value).ShouldBe(Values(3));
        var moment = Uri.EscapeDataString(events.Single(e => e.Version == firstMeasured.Version + 4).Timestamp.ToString("O"));
        (await Get($"/api/measures/{id}?asOf={moment}")).Measurements.Select(m => m.Value).ShouldBe(Values(5));
    }

    [Fact]
    public async Task The_list_and_its_csv_answer_each_measures_own_series()
    {
        var (a, b, none) = (await PilotWith(3), await PilotWith(5), await _measures.Propose());

        var page = await _client.GetAsync("/api/measures?pageSize=200");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await page.Read<MeasurePage>()).Items.ToDictionary(m => m.Id);
        items[a].Measurements.Select(m => m.Value).ShouldBe(Values(3));
        items[b].Measurements.Select(m => m.Value).ShouldBe(Values(5));
        items[none].Measurements.ShouldBeEmpty();

        var csv = await _client.GetAsync("/api/measures?pageSize=200&format=csv");
        var rows = CsvTableTests.Parse((await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'), ',');
        var (column, idColumn) = (Array.IndexOf(rows[0], "measurements"), Array.IndexOf(rows[0], "id"));
        JsonDocument.Parse(rows.Single(r => r[idColumn] == b.ToString())[column]).RootElement.GetArrayLength().ShouldBe(5);
        JsonDocument.Parse(rows.Single(r => r[idColumn] == none.ToString())[column]).RootElement.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_measure_stored_with_its_series_before_reads_it_once_and_drops_it_with_the_next_command()
    {
        var id = await PilotWith(4);
        // The shape stored before the series left the measure: the series inside the document.
        await ExecuteAsync($$"""
            update gd.mt_doc_measurestate set data = jsonb_set(data, '{measurements}',
              (select jsonb_agg(jsonb_build_object('indicator', 'aufenthalt', 'value', v, 'on', '2024-09-01', 'source', 'alt')) from generate_series(1, 4) as v))
            where id = '{{id}}'
            """);
        (await StoredSeriesLength(id)).ShouldBe(4);

        (await _measures.Read(id)).Measurements.Select(m => m.Value).ShouldBe(Values(4));
        await _measures.Send(id, SampleCommands.RecordMeasurement() with { Value = 5m });
        (await StoredSeriesLength(id)).ShouldBe(0);
        (await _measures.Read(id)).Measurements.Select(m => m.Value).ShouldBe(Values(5));
    }

    [Fact]
    public async Task The_monitoring_row_is_stored_without_the_series_and_the_live_dashboard_shows_all_of_it()
    {
        var id = await PilotWith(7);
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        ((int)(await ScalarAsync($"select jsonb_array_length(data->'measure'->'measurements') from gd.mt_doc_monitoringrow where id = '{id}'"))!).ShouldBe(0);

        var response = await _client.GetAsync($"/api/dashboard/indicators?measureId={id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var series = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("figures").GetProperty("series").EnumerateArray().Single();
        series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDecimal()).ShouldBe(Values(7));
        series.GetProperty("latest").GetDecimal().ShouldBe(7m);
    }

    [Fact]
    public async Task Reads_continue_the_series_the_kept_monitoring_rows_hold_and_never_take_more_of_it_than_their_version()
    {
        var id = await PilotWith(4);
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        // A dashboard makes the node keep the rows, this measure's with its 4 measurements.
        (await _client.GetAsync("/api/dashboard/indicators")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var kept = api.Services.GetRequiredService<GemeinsamDigital.Api.Monitoring.MonitoringRowCache>().Measure(id);
        kept.ShouldNotBeNull().Measurements.Count.ShouldBe(4);

        // Newer than the kept row: its series, then what was measured since.
        await _measures.Send(id, SampleCommands.RecordMeasurement() with { Value = 5m });
        await _measures.Send(id, SampleCommands.RecordMeasurement() with { Value = 6m });
        (await _measures.Read(id)).Measurements.Select(m => m.Value).ShouldBe(Values(6));
        var page = await _client.GetAsync("/api/measures?pageSize=200");
        (await page.Read<MeasurePage>()).Items.Single(m => m.Id == id).Measurements.Select(m => m.Value).ShouldBe(Values(6));

        // Older than the kept row: none of its series beyond the version asked for.
        var events = await _measures.Events(id);
        var second = events.Where(e => e.Type == "indicator-measured").ElementAt(1).Version;
        (await Get($"/api/measures/{id}?version={second}")).Measurements.Select(m => m.Value).ShouldBe(Values(2));

        // The rows loaded after the projection moved continue the kept series the same way.
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var response = await _client.GetAsync($"/api/dashboard/indicators?measureId={id}");
        // (Figures from the rows kept before answer while newer ones load: asked again until they reflect every event.)
        for (var i = 0; i < 50 && response.Headers.GetValues(GemeinsamDigital.Api.Monitoring.DashboardResponder.LagHeader).Single() != "0"; i++)
        {
            await Task.Delay(100);
            response = await _client.GetAsync($"/api/dashboard/indicators?measureId={id}");
        }
        var series = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("figures").GetProperty("series").EnumerateArray().Single();
        series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDecimal()).ShouldBe(Values(6));
    }

    /// <summary>A measure in pilot with n measurements of values 1 … n.</summary>
    private async Task<Guid> PilotWith(int n)
    {
        var id = await _measures.ProposeIn(MeasureStage.Pilot);
        for (var i = 1; i <= n; i++)
        {
            await _measures.Send(id, SampleCommands.RecordMeasurement() with { Value = i });
        }
        return id;
    }

    private static decimal[] Values(int n) => [.. Enumerable.Range(1, n).Select(i => (decimal)i)];

    private async Task<MeasureState> Get(string url)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        return await response.Read<MeasureState>();
    }

    private async Task<int> StoredSeriesLength(Guid id) =>
        (int)(await ScalarAsync($"select jsonb_array_length(data->'measurements') from gd.mt_doc_measurestate where id = '{id}'"))!;

    private async Task ExecuteAsync(string sql) => await ScalarAsync(sql);

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, HttpExtensions.JsonOptions);
}
