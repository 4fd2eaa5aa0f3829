using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Testing;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>The scenario's service with readiness failing beyond a lag of 2 events.</summary>
public sealed class OperationsFixture : MonitoringFixture
{
    public const int MaxLag = 2;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Projections:MaxLag", MaxLag.ToString());
        builder.UseSetting("Projections:StallTimeout", "00:00:03");
        base.Configure(builder);
    }

    public IProjectionCoordinator Coordinator => Services.GetRequiredService<IProjectionCoordinator>();

    public IProjectionDaemon Daemon => Coordinator.DaemonForMainDatabase();

    public async Task<HealthReport> ReadinessAsync() =>
        await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));
}

public class ProjectionOperationsTests(OperationsFixture api) : IClassFixture<OperationsFixture>, IAsyncLifetime
{
    private static readonly string _shard = ProjectionProgress.ShardOf(MonitoringProjection.ProjectionName);
    private readonly HttpClient _client = api.Client;

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lag_rises_while_events_are_appended_faster_than_projected_and_returns_to_zero()
    {
        var id = (await (await _client.PostJson("/api/measures", SampleCommands.Propose("ba-lichtenberg", "Lag-Messung"))).Read<CommandAccepted>()).MeasureId;
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var (reflected, lag) = await Freshness();
        lag.ShouldBe(0);
        (await _client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Pause the daemon (projection rate 0) and append one event at a time: each one widens the lag by one.
        await api.Coordinator.PauseAsync();
        (await api.ReadinessAsync()).Entries["projection-daemon"].Description!.ShouldContain("is Stopped");
        var steps = new object[] { SampleCommands.AmendDetails(), SampleCommands.UnderstandProblem(), SampleCommands.DefineGoals(), SampleCommands.ChangeTeam() };
        for (var i = 0; i < steps.Length; i++)
        {
            var command = steps[i];
            var route = command switch
            {
                Domain.Measures.AmendDetails => "amend-details",
                Domain.Measures.UnderstandProblem => "understand-problem",
                Domain.Measures.DefineGoals => "define-goals",
                _ => "change-team",
            };
            (await _client.PostJson($"/api/measures/{id}/{route}", command)).StatusCode.ShouldBe(HttpStatusCode.OK);
            var (sequence, behind) = await Freshness();
            sequence.ShouldBe(reflected);
            behind.ShouldBe(i + 1);
        }
        var report = await api.ReadinessAsync();
        report.Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["projection-daemon"].Description!.ShouldContain($"is 4 events behind (allowed: {OperationsFixture.MaxLag})");
        (await _client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        // No daemon advances it: once the first waiting event is older than the stall timeout (3 s
        // here), readiness says so, from the progression table (what every node of a cluster sees).
        var stalled = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(report = await api.ReadinessAsync()).Entries["projection-daemon"].Description!.Contains("has left an event waiting") && DateTime.UtcNow < stalled)
        {
            await Task.Delay(200);
        }
        report.Entries["projection-daemon"].Description!.ShouldContain($"Projection '{MonitoringProjection.ProjectionName}' has left an event waiting for");
        ((double)report.Entries["projection-daemon"].Data[$"{MonitoringProjection.ProjectionName}.waitingSeconds"]).ShouldBeGreaterThanOrEqualTo(3); // rounded to 0.1 s

        // Let the daemon catch up: the lag returns to zero and the figures include the four events.
        await api.Coordinator.ResumeAsync();
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var (caughtUp, none) = await Freshness();
        none.ShouldBe(0);
        caughtUp.ShouldBe(reflected + 4);
        (await _client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rebuilding_all_projections_gives_exactly_the_live_figures()
    {
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var dashboards = new[] { "portfolio", "funnel", "cycle-times", "overdue", "collaboration", "participation", "indicators" };
        async Task<List<string>> Snapshot()
        {
            var figures = new List<string>();
            foreach (var d in dashboards)
            {
                figures.Add((await (await _client.Get($"/api/dashboard/{d}", "application/json")).Json()).GetProperty("figures").GetRawText());
                figures.Add(await _client.Csv($"/api/dashboard/{d}"));
            }
            figures.AddRange(await Documents("mt_doc_monitoringrow"));
            figures.AddRange(await Documents("mt_doc_measurestate"));
            return figures;
        }
        var live = await Snapshot();
        live.Count.ShouldBeGreaterThan(28);

        // Lose a projected row behind the daemon's back: the live figures are now wrong until rebuilt.
        await Sql($"delete from gd.mt_doc_monitoringrow where id = '{MonitoringScenario.Ratsdaten}'");
        // The service keeps rows and figures per projection sequence; a row lost behind its back is
        // what a freshly started node would see.
        api.Services.GetRequiredService<MonitoringRowCache>().Clear();
        api.Services.GetRequiredService<DashboardFigureCache>().Clear();
        (await _client.Figures("/api/dashboard/portfolio", sequence: await NewestSequence())).GetProperty("measures").GetInt32().ShouldBe(MeasuresIn(live) - 1);

        var response = await _client.PostAsync("/api/admin/projections/rebuild", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await response.Read<RebuildAnswer>();
        answer.Rebuilt.Select(r => (r.Name, r.Lifecycle)).ShouldBe([("MeasureState", "inline"), ("RevisionPhaseState", "inline"), ("ReportingCadenceState", "inline"), ("CatalogState", "inline"), (MonitoringProjection.ProjectionName, "async")]);
        answer.Rebuilt.Single(r => r.Lifecycle == "async").Sequence.ShouldBe(await NewestSequence());
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        (await Snapshot()).ShouldBe(live);
        api.Daemon.StatusFor(_shard).ShouldBe(JasperFx.AgentStatus.Running);
        var projections = (await (await _client.GetAsync("/api/admin/projections")).Read<ItemList<ProjectionView>>()).Items.ToList();
        projections.Single(p => p.Name == MonitoringProjection.ProjectionName).ShouldBe(
            new ProjectionView(MonitoringProjection.ProjectionName, "async", await NewestSequence(), 0, "Running"));
    }

    [Fact]
    public async Task Rebuilding_one_projection_by_name_and_unknown_names()
    {
        var response = await _client.PostAsync($"/api/admin/projections/{MonitoringProjection.ProjectionName}/rebuild?timeoutSeconds=60", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Read<RebuildAnswer>()).Rebuilt.Single().Name.ShouldBe(MonitoringProjection.ProjectionName);
        api.Daemon.StatusFor(_shard).ShouldBe(JasperFx.AgentStatus.Running);

        var unknown = await _client.PostAsync("/api/admin/projections/nope/rebuild", null);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Json()).GetProperty("detail").GetString()!.ShouldContain("monitoring");
        var badTimeout = await _client.PostAsync("/api/admin/projections/rebuild?timeoutSeconds=0", null);
        badTimeout.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badTimeout.Json()).GetProperty("errors").TryGetProperty("timeoutSeconds", out _).ShouldBeTrue();
    }

    private static int MeasuresIn(List<string> snapshot) =>
        System.Text.Json.JsonDocument.Parse(snapshot[0]).RootElement.GetProperty("measures").GetInt32();

    private async Task<(long Sequence, long Lag)> Freshness()
    {
        var response = await _client.GetAsync("/api/dashboard/portfolio");
        var body = (await response.Json()).GetProperty("freshness");
        var sequence = body.GetProperty("eventSequence").GetInt64();
        var lag = body.GetProperty("lag").GetInt64();
        response.Headers.GetValues(DashboardResponder.SequenceHeader).Single().ShouldBe(sequence.ToString());
        response.Headers.GetValues(DashboardResponder.LagHeader).Single().ShouldBe(lag.ToString());
        return (sequence, lag);
    }

    private async Task<long> NewestSequence()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select max(seq_id) from gd.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> Documents(string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id::text || ' ' || data::text from gd.{table} order by id", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
