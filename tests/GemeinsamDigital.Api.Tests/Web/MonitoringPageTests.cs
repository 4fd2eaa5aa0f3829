using System.Net;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using GemeinsamDigital.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Web;

/// <summary>
/// The monitoring page in a real Chromium against the service on PostgreSQL with the demo data: its
/// figures are the API's, its controls work by keyboard, axe finds no WCAG 2.1 AA violation, it fits
/// 320 px, and it talks to no host but the service.
/// </summary>
public sealed class MonitoringPageTests(BrowserFixture web, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string District = "ba-mitte";

    /// <summary>One page in its own context, recording every request, console error and cookie.</summary>
    private sealed class Visit(IBrowserContext context, IPage page, List<string> requests, List<string> errors) : IAsyncDisposable
    {
        public IPage Page => page;
        public IBrowserContext Context => context;
        public List<string> Requests => requests;
        public List<string> Errors => errors;

        public async ValueTask DisposeAsync() => await context.DisposeAsync();
    }

    private async Task<Visit> OpenAsync(string route, int width = 1280, int height = 900)
    {
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var errors = new List<string>();
        context.Request += (_, r) => { lock (requests) { requests.Add(r.Url); } };
        page.Console += (_, m) => { if (m.Type == "error") { lock (errors) { errors.Add(m.Text); } } };
        page.PageError += (_, e) => { lock (errors) { errors.Add(e); } };
        page.Response += (_, r) => { if (r.Status >= 400) { lock (errors) { errors.Add($"{r.Status} {r.Url}"); } } };
        var visit = new Visit(context, page, requests, errors);
        var response = await page.GotoAsync($"{web.BaseUrl}/monitoring/{route}");
        response!.Status.ShouldBe(200);
        await page.WaitForSelectorAsync("body[data-renders]");
        return visit;
    }

    private static async Task Rendered(IPage page, Func<Task> action)
    {
        var before = await page.EvaluateAsync<string?>("() => document.body.dataset.renders") ?? "0";
        await action();
        await page.WaitForFunctionAsync("n => Number(document.body.dataset.renders || 0) > Number(n)", before);
    }

    private static async Task GoAsync(IPage page, string hash) =>
        await Rendered(page, () => page.EvaluateAsync("h => { location.hash = h; }", hash));

    /// <summary>Nothing but the service was asked, nothing failed in the console, no cookie was set.</summary>
    private async Task ShouldHaveStayedHome(Visit visit)
    {
        lock (visit.Requests)
        {
            visit.Requests.ShouldNotBeEmpty();
            visit.Requests.Where(u => !u.StartsWith(web.BaseUrl + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ShouldBeEmpty();
        }
        lock (visit.Errors)
        {
            visit.Errors.ShouldBeEmpty();
        }
        (await visit.Context.CookiesAsync()).ShouldBeEmpty();
    }

    private static Task<string[][]> ChartRows(IPage page, string id) =>
        page.EvalOnSelectorAllAsync<string[][]>($"#{id} tbody tr", "rows => rows.map(r => [r.dataset.code, r.querySelector('td.num').dataset.value])");

    private static string[][] ApiRows(JsonElement dashboard, string list, string value) =>
        dashboard.GetProperty("figures").GetProperty(list).EnumerateArray()
            .Select(r => new[] { r.GetProperty("code").GetString()!, r.GetProperty(value).ValueKind == JsonValueKind.Null ? "" : r.GetProperty(value).GetRawText() })
            .ToArray();

    private async Task OverviewShouldEqualApi(IPage page, string query)
    {
        var portfolio = await web.GetJson($"/api/dashboard/portfolio{query}");
        var funnel = await web.GetJson($"/api/dashboard/funnel{query}");
        var cycle = await web.GetJson($"/api/dashboard/cycle-times{query}");
        var participation = await web.GetJson($"/api/dashboard/participation{query}");
        var overdue = await web.GetJson($"/api/dashboard/overdue{query}");
        var collaboration = await web.GetJson($"/api/dashboard/collaboration{query}");
        (await ChartRows(page, "chart-stages")).ShouldBe(ApiRows(portfolio, "stages", "measures"));
        (await ChartRows(page, "chart-funnel")).ShouldBe(ApiRows(funnel, "stages", "reached"));
        (await ChartRows(page, "chart-cycle")).ShouldBe(ApiRows(cycle, "stages", "medianDays"));
        (await ChartRows(page, "chart-principles")).ShouldBe(ApiRows(portfolio, "principles", "weighted"));
        (await ChartRows(page, "chart-participation")).ShouldBe(ApiRows(participation, "groups", "share"));
        (await ChartRows(page, "chart-administrations")).ShouldBe(ApiRows(collaboration, "administrations", "measures"));
        (await page.TextContentAsync("[data-kpi=measures] .kpi-value")).ShouldBe(portfolio.GetProperty("figures").GetProperty("measures").GetInt32().ToString());
        (await page.TextContentAsync("[data-kpi=overdue] .kpi-value")).ShouldBe(overdue.GetProperty("figures").GetProperty("milestones").GetArrayLength().ToString());
    }

    [BrowserFact]
    public async Task The_overview_shows_the_dashboards_figures_filtered_by_district_and_as_of_an_earlier_day()
    {
        await using var visit = await OpenAsync("");
        var page = visit.Page;
        await OverviewShouldEqualApi(page, "");
        var all = await ChartRows(page, "chart-stages");

        // The filter form: a district, applied with the keyboard-reachable button.
        await page.SelectOptionAsync("select[name=district]", District);
        await Rendered(page, () => page.ClickAsync("form.filters button[type=submit]"));
        page.Url.ShouldEndWith($"#/?district={District}");
        await OverviewShouldEqualApi(page, $"?district={District}");
        (await ChartRows(page, "chart-stages")).ShouldNotBe(all);

        // asOf with the date picker: the state at 0:00 UTC of that day, as the API computes it.
        await page.FillAsync("input[name=asOf]", "2025-03-01");
        await Rendered(page, () => page.ClickAsync("form.filters button[type=submit]"));
        await OverviewShouldEqualApi(page, $"?district={District}&asOf=2025-03-01");
        (await page.TextContentAsync(".notice"))!.ShouldContain("2025");
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task The_measure_list_filters_pages_and_offers_the_page_shown_as_csv()
    {
        await using var visit = await OpenAsync("#/measures?pageSize=10");
        var page = visit.Page;
        static string[] Ids(JsonElement answer) => answer.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();
        Task<string[]> Shown() => page.EvalOnSelectorAllAsync<string[]>("tbody tr[data-id]", "rows => rows.map(r => r.dataset.id)");

        var first = await web.GetJson("/api/measures?pageSize=10");
        (await Shown()).ShouldBe(Ids(first));
        (await page.GetAttributeAsync(".count", "data-total")).ShouldBe(first.GetProperty("total").GetInt32().ToString());

        await Rendered(page, () => page.ClickAsync("a[rel=next]"));
        (await Shown()).ShouldBe(Ids(await web.GetJson("/api/measures?pageSize=10&page=2")));

        await page.SelectOptionAsync("select[name=stage]", "pilot");
        await page.SelectOptionAsync("select[name=sort]", "title");
        await Rendered(page, () => page.ClickAsync("form.filters button[type=submit]"));
        var pilots = await web.GetJson("/api/measures?stage=pilot&sort=title&pageSize=10");
        Ids(pilots).ShouldNotBeEmpty();
        (await Shown()).ShouldBe(Ids(pilots));

        // The CSV link is the same query as CSV, from this service.
        var csvHref = (await page.GetAttributeAsync("a[data-csv=csv]", "href"))!;
        csvHref.ShouldStartWith("/api/measures?");
        csvHref.ShouldContain("stage=pilot");
        csvHref.ShouldContain("format=csv");
        var csv = await web.Client.GetAsync(csvHref);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(Ids(pilots).Length + 1);
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task A_measure_page_shows_every_stage_of_its_history_in_order_and_its_milestones()
    {
        var measures = (await web.GetJson("/api/measures?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var longest = measures.MaxBy(m => m.GetProperty("stageHistory").GetArrayLength());
        var id = longest.GetProperty("id").GetString()!;

        await using var visit = await OpenAsync($"#/measures/{id}");
        var page = visit.Page;
        var stages = await page.EvalOnSelectorAllAsync<string[]>("#stage-timeline li", "items => items.map(i => i.dataset.stage)");
        stages.ShouldBe(longest.GetProperty("stageHistory").EnumerateArray().Select(s => s.GetProperty("stage").GetString()!).ToArray());
        stages.Length.ShouldBeGreaterThan(5);
        (await page.Locator("[data-milestone]").CountAsync()).ShouldBe(longest.GetProperty("milestones").GetArrayLength());
        (await page.TextContentAsync("h1")).ShouldBe(longest.GetProperty("title").GetString());
        (await page.Locator(".indicator svg.indicator-chart").CountAsync()).ShouldBe(longest.GetProperty("indicators").GetArrayLength());
        (await page.GetAttributeAsync("a.history", "href")).ShouldBe($"/api/measures/{id}/history");
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task A_rescheduled_milestone_shows_when_it_was_due_before()
    {
        var measures = (await web.GetJson("/api/measures?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var (measure, milestone) = measures
            .SelectMany(m => m.GetProperty("milestones").EnumerateArray().Select(x => (m, x)))
            .First(p => p.x.GetProperty("previousDues").GetArrayLength() > 0);
        var previous = string.Join(' ', milestone.GetProperty("previousDues").EnumerateArray().Select(d => d.GetString()));

        await using var visit = await OpenAsync($"#/measures/{measure.GetProperty("id").GetString()}");
        var shown = visit.Page.Locator($"[data-milestone='{milestone.GetProperty("id").GetString()}'] .rescheduled");
        (await shown.GetAttributeAsync("data-previous-dues")).ShouldBe(previous);
        (await shown.TextContentAsync())!.ShouldContain("verschoben, vorher fällig am");
        (await visit.Page.Locator("[data-milestone] time").First.GetAttributeAsync("datetime")).ShouldNotBeNull();
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task The_revision_comparison_lists_the_same_changes_as_the_api()
    {
        await using var visit = await OpenAsync("#/revisions");
        var page = visit.Page;
        var phases = (await web.GetJson("/api/revisions")).GetProperty("items").EnumerateArray().ToList();
        (await page.Locator("tbody tr[data-id]").CountAsync()).ShouldBe(phases.Count);

        await Rendered(page, () => page.ClickAsync("#compare-form button[type=submit]"));
        var route = page.Url[(page.Url.IndexOf("#/revisions/", StringComparison.Ordinal) + "#/revisions/".Length)..].Split('/');
        var comparison = await web.GetJson($"/api/revisions/{route[0]}/compare/{route[2]}");
        foreach (var list in new[] { "added", "advanced", "stalled", "scaled", "stopped", "withdrawn", "finished", "removed" })
        {
            var expected = comparison.GetProperty(list).EnumerateArray().Select(m => m.GetProperty("measureId").GetString()!).ToArray();
            var shown = await page.EvalOnSelectorAllAsync<string[]>($"ul[data-list={list}] li", "items => items.map(i => i.dataset.measure)");
            shown.ShouldBe(expected, list);
            (await page.TextContentAsync($"[data-kpi={list}] .kpi-value")).ShouldBe(expected.Length.ToString());
        }
        comparison.GetProperty("added").GetArrayLength().ShouldBeGreaterThan(0);

        // A phase's snapshot.
        await GoAsync(page, $"#/revisions/{route[2]}");
        var snapshot = await web.GetJson($"/api/revisions/{route[2]}/snapshot");
        (await page.TextContentAsync("[data-figure=measures]")).ShouldBe(snapshot.GetProperty("snapshot").GetProperty("measures").GetArrayLength().ToString());
        (await ChartRows(page, "chart-snapshot-stages")).ShouldBe(
            snapshot.GetProperty("snapshot").GetProperty("portfolio").GetProperty("stages").EnumerateArray()
                .Select(r => new[] { r.GetProperty("code").GetString()!, r.GetProperty("measures").GetRawText() }).ToArray());
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task The_english_switch_changes_the_labels_and_the_language_of_the_page()
    {
        await using var visit = await OpenAsync("");
        var page = visit.Page;
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("de");
        (await page.TextContentAsync("[data-nav=measures]")).ShouldBe("Maßnahmen");
        (await page.TextContentAsync("#chart-types tr[data-code=zentral] th")).ShouldBe("Zentrale Maßnahme");

        await Rendered(page, () => page.ClickAsync("button[data-lang=en]"));
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("en");
        (await page.GetAttributeAsync("button[data-lang=en]", "aria-pressed")).ShouldBe("true");
        (await page.TextContentAsync("[data-nav=measures]")).ShouldBe("Measures");
        (await page.TextContentAsync("h1")).ShouldBe("Overview: where does the strategy stand?");
        // The catalogue's English labels, and the page's own for the stages.
        var catalog = await web.GetJson("/api/catalog");
        var central = catalog.GetProperty("measureTypes").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "zentral");
        (await page.TextContentAsync("#chart-types tr[data-code=zentral] th")).ShouldBe(central.GetProperty("englishLabel").GetString());
        (await page.TextContentAsync("#chart-stages tr[data-code=problem-understood] th")).ShouldBe("Problem understood");
        page.Url.ShouldContain("?lang=en");

        // A reload keeps English.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-renders]");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("en");
        await ShouldHaveStayedHome(visit);
    }

    [BrowserFact]
    public async Task Every_view_passes_axe_fits_320_px_is_keyboard_usable_and_carries_the_policy()
    {
        var measureId = (await web.GetJson("/api/measures?stage=scaled&pageSize=1")).GetProperty("items")[0].GetProperty("id").GetString();
        var closed = (await web.GetJson("/api/revisions")).GetProperty("items").EnumerateArray()
            .Where(p => p.GetProperty("status").GetString() == "closed").OrderBy(p => p.GetProperty("from").GetString())
            .Select(p => p.GetProperty("id").GetString()).ToList();
        var views = new[] { "#/", "#/measures", $"#/measures/{measureId}", "#/revisions", $"#/revisions/{closed[0]}", $"#/revisions/{closed[0]}/compare/{closed[1]}", "#/leichte-sprache" };

        // The page itself: a policy without 'unsafe-inline', no cookie.
        var response = await web.Client.GetAsync("/monitoring/");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("script-src 'self'");
        policy.ShouldNotContain("unsafe-inline");
        policy.ShouldNotContain("unsafe-eval");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await web.Client.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/monitoring/");

        await using var visit = await OpenAsync("", width: 320, height: 640);
        var page = visit.Page;
        var axe = new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };
        foreach (var view in views)
        {
            await GoAsync(page, view);
            var result = await page.RunAxe(axe);
            result.Violations.Select(v => $"{view}: {v.Id} ({v.Impact}) {string.Join(", ", v.Nodes.Select(n => n.Html).Take(2))}").ShouldBeEmpty();
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{view} scrolls sideways at 320 px");
        }

        // docs/monitoring-page/: screenshots of each view (desktop and 360 px) when asked for.
        if (Environment.GetEnvironmentVariable("GD_WEB_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            var shots = new[] { ("overview", "#/"), ("measures", "#/measures"), ("measure", $"#/measures/{measureId}"), ("revision-comparison", views[5]) };
            foreach (var (width, suffix) in new[] { (1280, "desktop"), (360, "360") })
            {
                await page.SetViewportSizeAsync(width, 800);
                foreach (var (name, view) in shots)
                {
                    await GoAsync(page, view);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{suffix}.png"), FullPage = true });
                }
            }
        }

        // Keyboard: the skip link first, then every control of the overview's form by Tab alone.
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync($"{web.BaseUrl}/monitoring/");
        await page.WaitForSelectorAsync("body[data-renders]");
        var reached = new List<string>();
        // A date field takes four stops in Chromium (day, month, year, picker).
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e.getAttribute('name') || e.dataset.lang || e.dataset.nav || e.className || e.tagName; }"));
        }
        var order = string.Join(", ", reached);
        reached[0].ShouldBe("skip", order);
        reached.ShouldContain("en", order);
        reached.ShouldContain("district", order);
        reached.ShouldContain("asOf", order);
        var focusRing = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        focusRing.ShouldNotBe("none");

        // The first view's time from the browser's navigation timing.
        var firstView = await page.EvaluateAsync<double>("() => performance.getEntriesByName('gd-first-view')[0].startTime");
        output.WriteLine($"First view rendered {firstView:F0} ms after navigation start (320 px, overview).");
        await ShouldHaveStayedHome(visit);
    }
}
