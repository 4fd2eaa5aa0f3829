using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GemeinsamDigital.Api.Tests.Audit;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using YamlDotNet.RepresentationModel;

namespace GemeinsamDigital.Api.Tests.Operations;

/// <summary>ops/monitoring: the alert rules and the Grafana dashboard use only metrics and labels a scrape of /metrics has.</summary>
public class MonitoringFileTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static string Ops(params string[] path) =>
        Path.Combine([FindRoot(), "ops", .. path]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GemeinsamDigital.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Repository root not found.");
    }

    public static IEnumerable<string> AlertExpressions()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Ops("monitoring", "prometheus-alerts.yml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (YamlMappingNode group in (YamlSequenceNode)root["groups"])
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                yield return ((YamlScalarNode)rule["expr"]).Value!;
            }
        }
    }

    public static IEnumerable<string> DashboardExpressions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Ops("monitoring", "grafana-dashboard.json")));
        return [.. json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    private static readonly string[] _prefixes = ["gd_", "marten_", "http_", "db_", "aspnetcore_", "kestrel_", "wolverine_"];
    private static readonly HashSet<string> _functions = ["by", "sum", "max", "rate", "increase", "histogram_quantile", "and", "le"];

    [Fact]
    public async Task Alert_rules_and_dashboard_use_only_metrics_and_labels_the_service_exports()
    {
        // Something for every metric: commands, a dashboard, a broken hash chain.
        var driver = new MeasureDriver(api.Client);
        var id = await driver.Propose();
        await driver.Send(id, SampleCommands.UnderstandProblem());
        (await api.Client.GetAsync("/api/dashboard/portfolio")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await api.Sql("""update gd.mt_events set data = jsonb_set(data, '{title}', '"changed"') where stream_id = @id and version = 1""", ("id", id));
        (await api.Client.GetAsync($"/api/measures/{id}/integrity")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var scrape = await TelemetryTests.ScrapeAsync(api);
        var samples = scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();

        var expressions = AlertExpressions().Concat(DashboardExpressions()).ToList();
        expressions.Count.ShouldBeGreaterThan(10);
        expressions.ShouldContain(e => e.Contains("gd_projection_lag"));
        expressions.ShouldContain(e => e.Contains("gd_integrity_failures_total"));
        expressions.ShouldContain(e => e.Contains("gd_command_duration_seconds_bucket"));
        expressions.ShouldContain(e => e.Contains("http_response_status_code=~\"5..\""));
        foreach (var expression in expressions)
        {
            // Names that are no label (in a selector or a by clause).
            var metrics = Regex.Matches(Regex.Replace(expression, @"by \([^)]*\)", ""), @"\b[a-z_:][a-z0-9_:]*\b(?!\s*=)").Select(m => m.Value)
                .Where(n => _prefixes.Any(n.StartsWith)).Distinct().ToList();
            metrics.ShouldNotBeEmpty(expression);
            var lines = new List<string>();
            foreach (var metric in metrics)
            {
                var mine = samples.Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal)).ToList();
                mine.ShouldNotBeEmpty($"{metric} (in {expression}) is not in the scrape");
                lines.AddRange(mine);
            }
            var labels = Regex.Matches(expression, @"by \(([^)]*)\)").SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                .Concat(Regex.Matches(expression, @"[{,]\s*([a-z_]+)\s*=~?").Select(m => m.Groups[1].Value))
                .Where(l => !_functions.Contains(l)).Distinct();
            foreach (var label in labels)
            {
                lines.ShouldContain(l => l.Contains(label + "=\""), $"label {label} (in {expression}) is on none of its metrics");
            }
        }
    }
}
