using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Testing;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using S = GemeinsamDigital.Testing.MonitoringScenario;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>
/// Live dashboards keep the projection's rows and load only the rows changed since: after commands
/// changed, archived and added measures, the kept rows are the stored ones and every dashboard
/// gives exactly the figures of a load from scratch.
/// </summary>
public class IncrementalDashboardTests(MonitoringFixture api) : IClassFixture<MonitoringFixture>, IAsyncLifetime
{
    private static readonly string[] _dashboards = ["portfolio", "funnel", "cycle-times", "overdue", "collaboration", "participation", "indicators"];
    private readonly HttpClient _client = api.Client;

    private MonitoringRowCache Rows => api.Services.GetRequiredService<MonitoringRowCache>();

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rows_changed_after_the_rows_were_kept_are_reflected_exactly_and_figures_equal_a_load_from_scratch()
    {
        var before = await AllFigures(MonitoringFixture.LastSequence);
        var kept = Rows.Current.ShouldNotBeNull();
        kept.Sequence.ShouldBe(MonitoringFixture.LastSequence);
        kept.Count.ShouldBe(7);

        // Change existing measures (details, team, archive) and add new ones (new rows between and after the kept ids).
        var driver = new MeasureDriver(_client);
        await Accepted(driver.Post(S.IdeeOhneFolge, new AmendDetails("Idee ohne Folge (überarbeitet)", null, null)));
        await Accepted(driver.Post(S.Klimadaten, SampleCommands.ChangeTeam()));
        await Accepted(driver.Post(S.Ratsdaten, SampleCommands.Archive()));
        var added = new[] { await driver.Propose(SampleCommands.Propose("ba-pankow", "Neu A")), await driver.Propose(SampleCommands.Propose("senwienbe", "Neu B")) };
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var newest = MonitoringFixture.LastSequence + 5;

        var incremental = await AllFigures(newest);
        incremental.ShouldNotBe(before);
        var portfolio = System.Text.Json.JsonDocument.Parse(incremental[0]).RootElement;
        portfolio.GetProperty("measures").GetInt32().ShouldBe(9);
        portfolio.GetProperty("stages").Rows("code", "measures").ShouldContain("archived|1");

        // The kept rows are exactly the stored rows, and those are the fold of every event from scratch.
        var rows = Rows.Current.ShouldNotBeNull();
        rows.Sequence.ShouldBe(newest);
        await using var session = api.Store.QuerySession();
        var stored = await session.Query<MonitoringRow>().ToListAsync();
        var folded = MonitoringRows.Fold(MonitoringReader.MeasureEvents(await MonitoringReader.EventsUpToAsync(session, newest, CancellationToken.None)));
        Describe(rows).ShouldBe(Describe(stored.OrderBy(r => r.Id)));
        Describe(rows).ShouldBe(Describe(folded.OrderBy(r => r.Id)));
        rows.Select(r => r.Id).ShouldContain(added[0]);
        rows.Single(r => r.Id == S.Ratsdaten).Measure.Stage.ShouldBe(MeasureStage.Archived);
        rows.Single(r => r.Id == S.IdeeOhneFolge).Measure.Title.ShouldBe("Idee ohne Folge (überarbeitet)");
        // Unchanged rows are the very objects kept before: nothing but the changes was loaded.
        rows.Single(r => r.Id == S.SchulWlan).ShouldBeSameAs(kept.Single(r => r.Id == S.SchulWlan));

        // A node that starts now (nothing kept) loads every row and answers the same figures.
        Rows.Clear();
        api.Services.GetRequiredService<DashboardFigureCache>().Clear();
        (await AllFigures(newest)).ShouldBe(incremental);

        // Concurrent requests right after the projection moved all answer the new sequence, with the same figures.
        var late = await driver.Propose(SampleCommands.Propose("ba-mitte", "Gleichzeitig gelesen"));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            (await _client.Figures("/api/dashboard/portfolio", sequence: newest + 1)).GetRawText()));
        answers.Distinct().Count().ShouldBe(1);
        Rows.Current!.Select(r => r.Id).ShouldContain(late);
    }

    private static string[] Describe(IEnumerable<MonitoringRow> rows) =>
        [.. rows.Select(r => $"{r.Id} {r.Sequence} v{r.Measure.Version} {r.Measure.Stage} {r.Measure.Title} {string.Join('+', r.Team)}")];

    private static async Task Accepted(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every dashboard's JSON figures and CSV, live, checking the sequence they state (lag 0).</summary>
    private async Task<List<string>> AllFigures(long sequence)
    {
        var figures = new List<string>();
        foreach (var dashboard in _dashboards)
        {
            figures.Add((await _client.Figures($"/api/dashboard/{dashboard}", sequence)).GetRawText());
            figures.Add(await _client.Csv($"/api/dashboard/{dashboard}"));
        }
        return figures;
    }
}

/// <summary>One computation per dashboard key and sequence, shared by the requests that arrive while it runs.</summary>
public class DashboardFigureCacheTests
{
    private static readonly DateTimeOffset _now = MonitoringScenario.Now;

    private static DashboardFigureCache Cache(TimeSpan wait) => new(new DashboardSettings { RecomputeWait = wait });

    [Fact]
    public async Task Requests_for_the_same_key_and_sequence_await_one_computation()
    {
        var cache = Cache(TimeSpan.FromMilliseconds(1));
        var computations = 0;
        var gate = new TaskCompletionSource();
        var first = Task.Run(() => cache.GetOrComputeAsync("portfolio", 7, _now, () =>
        {
            Interlocked.Increment(ref computations);
            gate.Task.Wait();
            return "figures at 7";
        }));
        while (Volatile.Read(ref computations) == 0)
        {
            await Task.Delay(5);
        }
        // No figures of this key before: everyone waits for the first ones, however long they take.
        var waiting = Enumerable.Range(0, 8).Select(_ => cache.GetOrComputeAsync("portfolio", 7, _now, () =>
        {
            Interlocked.Increment(ref computations);
            return "computed again";
        })).ToList();
        await Task.Delay(50);
        waiting.ShouldAllBe(w => !w.IsCompleted);
        gate.SetResult();

        (await Task.WhenAll(waiting.Append(first))).Distinct().ShouldBe([("figures at 7", 7L)]);
        computations.ShouldBe(1);
    }

    [Fact]
    public async Task While_a_newer_sequence_is_computed_longer_than_the_wait_the_figures_before_answer()
    {
        var cache = Cache(TimeSpan.FromMilliseconds(20));
        (await cache.GetOrComputeAsync("portfolio", 7, _now, () => "at 7")).ShouldBe(("at 7", 7L));
        var gate = new TaskCompletionSource();
        var computations = 0;
        string Slow()
        {
            Interlocked.Increment(ref computations);
            gate.Task.Wait();
            return "at 8";
        }

        // The projection moved to 8: the computation runs on, the requests answer with 7 meanwhile.
        (await cache.GetOrComputeAsync("portfolio", 8, _now, Slow)).ShouldBe(("at 7", 7L));
        (await cache.GetOrComputeAsync("portfolio", 8, _now, Slow)).ShouldBe(("at 7", 7L));
        var waiting = cache.GetOrComputeAsync("portfolio", 8, _now, Slow);
        gate.SetResult();
        (await waiting).Sequence.ShouldBeOneOf(7L, 8L);
        while ((await cache.GetOrComputeAsync("portfolio", 8, _now, Slow)).Sequence != 8)
        {
            await Task.Delay(5);
        }
        (await cache.GetOrComputeAsync("portfolio", 8, _now, Slow)).ShouldBe(("at 8", 8L));
        computations.ShouldBe(1);
    }

    [Fact]
    public async Task While_one_sequence_is_computed_a_newer_one_starts_no_second_computation_of_the_key()
    {
        var cache = Cache(TimeSpan.FromMilliseconds(20));
        (await cache.GetOrComputeAsync("portfolio", 7, _now, () => "at 7")).ShouldBe(("at 7", 7L));
        var gate = new TaskCompletionSource();
        var computations = 0;
        string Counted(string figures, bool wait = false)
        {
            Interlocked.Increment(ref computations);
            if (wait)
            {
                gate.Task.Wait();
            }
            return figures;
        }

        (await cache.GetOrComputeAsync("portfolio", 8, _now, () => Counted("at 8", wait: true))).ShouldBe(("at 7", 7L));
        // The projection moved on while 8 is computed: 9 waits for it, and answers with 7 meanwhile.
        (await cache.GetOrComputeAsync("portfolio", 9, _now, () => Counted("at 9"))).ShouldBe(("at 7", 7L));
        (await cache.GetOrComputeAsync("portfolio", 10, _now, () => Counted("at 10"))).ShouldBe(("at 7", 7L));
        computations.ShouldBe(1);
        // Another key computes alongside.
        (await cache.GetOrComputeAsync("funnel", 9, _now, () => "funnel at 9")).ShouldBe(("funnel at 9", 9L));

        gate.SetResult();
        while ((await cache.GetOrComputeAsync("portfolio", 10, _now, () => Counted("at 10"))).Sequence != 10)
        {
            await Task.Delay(5);
        }
        (await cache.GetOrComputeAsync("portfolio", 10, _now, () => Counted("again"))).ShouldBe(("at 10", 10L));
        computations.ShouldBe(2);
    }

    [Fact]
    public async Task A_newer_sequence_or_minute_computes_again_and_an_older_one_gets_the_newer_figures()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        (await cache.GetOrComputeAsync("funnel", 7, _now, () => "at 7")).ShouldBe(("at 7", 7L));
        (await cache.GetOrComputeAsync("funnel", 8, _now, () => "at 8")).ShouldBe(("at 8", 8L));
        (await cache.GetOrComputeAsync("funnel", 7, _now, () => "not computed")).ShouldBe(("at 8", 8L));
        (await cache.GetOrComputeAsync("funnel", 8, _now, () => "not computed")).ShouldBe(("at 8", 8L));
        (await cache.GetOrComputeAsync("funnel", 8, _now.AddMinutes(1), () => "next minute")).ShouldBe(("next minute", 8L));
        (await cache.GetOrComputeAsync("overdue", 8, _now, () => "other key")).ShouldBe(("other key", 8L));
    }

    [Fact]
    public async Task A_failed_computation_is_not_kept()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        await Should.ThrowAsync<InvalidOperationException>(() => cache.GetOrComputeAsync<string>("portfolio", 1, _now, () => throw new InvalidOperationException("boom")));
        (await cache.GetOrComputeAsync("portfolio", 1, _now, () => "second try")).ShouldBe(("second try", 1L));
    }
}

/// <summary>
/// The live rows keep the portfolio's sums as measures change (<see cref="MonitoringRowSet.With"/>):
/// after every step they equal the portfolio and places computed afresh from all measures.
/// </summary>
public class PortfolioTallyTests
{
    private static readonly GeoShape _point = GeoShape.Point(new(13.40, 52.52));

    [Fact]
    public void The_tally_kept_through_every_change_equals_the_figures_computed_from_all_measures()
    {
        // The scenario's events in the order they were recorded, and changes it lacks: a location set,
        // moved and cleared, a team changed, a measure withdrawn, a duplicated code.
        var extra = new (Guid Measure, IMeasureEvent Event, DateOnly On)[]
        {
            (S.Kiezradar, new LocationSet(_point, ["ba-pankow", "ba-pankow"]), new(2024, 4, 2)),
            (S.SchulWlan, new LocationSet(_point, ["ba-neukoelln", "ba-mitte"]), new(2024, 4, 3)),
            (S.Kiezradar, new LocationSet(_point, ["ba-mitte"]), new(2024, 8, 2)),
            (S.Kiezradar, new TeamChanged(["ba-mitte", "ba-pankow", "ba-mitte"], []), new(2024, 8, 3)),
            (S.SchulWlan, new LocationCleared(), new(2024, 10, 2)),
            (S.Klimadaten, new MeasureWithdrawn("Doppelt."), new(2024, 12, 1)),
        };
        var events = S.Measures().SelectMany(m => m.Events.Select(e => (Measure: m.Id, e.Event, e.At)))
            .Concat(extra.Select(x => (x.Measure, x.Event, At: S.At(x.On))))
            .OrderBy(e => e.At)
            .ToList();

        var states = new Dictionary<Guid, MeasureState>();
        MonitoringRowSet? set = null;
        var sequence = 0L;
        foreach (var batch in events.Chunk(3))
        {
            var changed = new Dictionary<Guid, MonitoringRow>();
            foreach (var (measure, e, at) in batch)
            {
                var state = states.GetValueOrDefault(measure);
                states[measure] = MeasureEvolution.Evolve(state, e, new EventInfo((state?.Version ?? 0) + 1, at));
                changed[measure] = MonitoringRow.Of(states[measure], ++sequence).ForDashboards();
            }
            set = set is null ? MonitoringRowSet.Of(sequence, changed.Values) : set.With(sequence, changed.Values);

            List<MonitoringRow> fresh = [.. states.Values.Select(s => MonitoringRow.Of(s, sequence))];
            Figures(set).ShouldBe(Figures(fresh), $"after sequence {sequence}");
        }
        set!.Count.ShouldBe(7);
        DashboardMath.Places(set, DashboardFilter.None).Located.ShouldBe(1);
        DashboardMath.Portfolio(set, DashboardFilter.None).Stages.Single(s => s.Code == MeasureStage.Withdrawn).Measures.ShouldBe(2);
        // A filter computes afresh from the rows.
        Json(DashboardMath.Portfolio(set, new DashboardFilter(Lead: "ba-pankow"))).ShouldBe(Json(DashboardMath.Portfolio([.. set], new DashboardFilter(Lead: "ba-pankow"))));
    }

    private static string Figures(IReadOnlyList<MonitoringRow> rows) =>
        Json(DashboardMath.Portfolio(rows, DashboardFilter.None) with { Places = DashboardMath.Places(rows, DashboardFilter.None) });

    private static string Json(object figures) => System.Text.Json.JsonSerializer.Serialize(figures, figures.GetType());
}
