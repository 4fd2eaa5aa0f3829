using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace GemeinsamDigital.Api.Tests.Operations;

/// <summary>The service with traces recorded in memory.</summary>
public sealed class TracingApiFixture : ApiFixture
{
    public List<Activity> Spans { get; } = [];

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Telemetry:Traces", "true");
        builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans)));
    }

    /// <summary>The spans of one trace (other hosts of the test run share the activity sources).</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId trace)
    {
        // The exporter appends while spans of other requests end: copy first (List.ToArray does
        // not enumerate, so it cannot fail on a concurrent append).
        return [.. Spans.ToArray().Where(s => s.TraceId == trace)];
    }
}

/// <summary>Metrics at /metrics (Prometheus) and traces of a command.</summary>
public class TelemetryTests(TracingApiFixture api) : IClassFixture<TracingApiFixture>
{
    /// <summary>A scrape of /metrics as the strategy office.</summary>
    public static async Task<string> ScrapeAsync(ApiFixture api)
    {
        var response = await api.Client.GetAsync(TelemetrySetup.MetricsPath);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Metrics_count_commands_by_type_and_outcome_with_latency_and_projection_lag()
    {
        var driver = new MeasureDriver(api.Client);
        var id = await driver.Propose();
        await driver.Send(id, SampleCommands.UnderstandProblem());
        (await driver.Post(id, SampleCommands.UnderstandProblem(), ifMatch: "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var scrape = await ScrapeAsync(api);

        Sample(scrape, "gd_commands_total", """command="measure/propose",outcome="accepted" """).ShouldBeGreaterThanOrEqualTo(1);
        Sample(scrape, "gd_commands_total", """command="measure/understand-problem",outcome="accepted" """).ShouldBeGreaterThanOrEqualTo(1);
        Sample(scrape, "gd_commands_total", """command="measure/understand-problem",outcome="refused" """).ShouldBeGreaterThanOrEqualTo(1);
        Sample(scrape, "gd_command_duration_seconds_count", """command="measure/propose",outcome="accepted" """).ShouldBeGreaterThanOrEqualTo(1);
        scrape.ShouldContain("gd_command_duration_seconds_bucket{");
        foreach (var shard in ProjectionSetup.DaemonShards)
        {
            Sample(scrape, "gd_projection_lag", $"""shard="{ProjectionProgress.ShardOf(shard)}" """).ShouldBeGreaterThanOrEqualTo(0);
        }
        // Marten's append counter, its daemon's metrics per shard and Npgsql's metrics are there too.
        scrape.ShouldContain("marten_monitoring_all_processed_total");
        scrape.ShouldContain("marten_event_append_events_total{");
        scrape.ShouldContain("db_client_operation_duration_seconds_bucket{");
    }

    [Fact]
    public async Task Metrics_are_refused_to_anonymous_callers_and_to_editors()
    {
        (await api.AnonymousClient().GetAsync(TelemetrySetup.MetricsPath)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var editor = api.ClientFor(GemeinsamDigital.Domain.Catalog.StrategyCatalog.SenateChancellery, Roles.Editor);
        (await editor.GetAsync(TelemetrySetup.MetricsPath)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientFor(GemeinsamDigital.Domain.Catalog.StrategyCatalog.SenateChancellery, Roles.Auditor).GetAsync(TelemetrySetup.MetricsPath))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_command_is_one_trace_the_http_span_with_martens_and_npgsqls_spans_below_it()
    {
        var trace = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/measures")
        {
            Content = System.Net.Http.Json.JsonContent.Create(SampleCommands.Propose(), options: HttpExtensions.JsonOptions),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        (await api.Client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Created);

        IReadOnlyList<Activity> spans = [];
        for (var i = 0; i < 50 && !spans.Any(s => s.Source.Name == "Microsoft.AspNetCore"); i++)
        {
            await Task.Delay(100);
            spans = api.Trace(trace);
        }
        var http = spans.Single(s => s.Source.Name == "Microsoft.AspNetCore");
        http.DisplayName.ShouldBe("POST /api/measures");
        var bySpan = spans.ToDictionary(s => s.SpanId);
        bool Below(Activity span)
        {
            for (var parent = span.ParentSpanId; bySpan.TryGetValue(parent, out var p); parent = p.ParentSpanId)
            {
                if (p == http)
                {
                    return true;
                }
            }
            return false;
        }
        var marten = spans.Where(s => s.Source.Name == "Marten").ToList();
        var npgsql = spans.Where(s => s.Source.Name == "Npgsql").ToList();
        marten.ShouldNotBeEmpty(string.Join(", ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}")));
        npgsql.ShouldNotBeEmpty();
        marten.Where(s => !Below(s)).ShouldBeEmpty();
        npgsql.Where(s => !Below(s)).ShouldBeEmpty();
        // The append itself: an insert into the events table, in this trace.
        npgsql.ShouldContain(s => (s.GetTagItem("db.query.text") ?? "").ToString()!.Contains("mt_quick_append_events"));
    }

    /// <summary>The value of the first sample of a metric whose labels include the given ones; fails when there is none.</summary>
    public static double Sample(string scrape, string metric, string labels)
    {
        var wanted = labels.Trim();
        foreach (Match m in Regex.Matches(scrape, $@"^{Regex.Escape(metric)}\{{([^}}]*)\}} (\S+)", RegexOptions.Multiline))
        {
            if (m.Groups[1].Value.Contains(wanted, StringComparison.Ordinal))
            {
                return double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new ShouldAssertException($"No sample {metric}{{{wanted}}} in the scrape:\n{string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith(metric, StringComparison.Ordinal)).Take(20))}");
    }
}
