using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Controlling;

/// <summary>
/// The health dashboard over backdated reports: its figures equal those worked out here directly
/// from the events the test wrote, now and asOf an earlier day.
/// </summary>
public class HealthDashboardTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    /// <summary>Measure index → (period, health, day the report was recorded); the second Q3 report of measure 0 supersedes its first.</summary>
    private static readonly (int Measure, string Period, string Health, DateOnly RecordedOn)[] _reports =
    [
        (0, "2024-Q1", "on-track", new(2024, 4, 5)), (1, "2024-Q1", "at-risk", new(2024, 4, 6)), (2, "2024-Q1", "on-track", new(2024, 4, 7)),
        (0, "2024-Q2", "at-risk", new(2024, 7, 5)), (1, "2024-Q2", "off-track", new(2024, 7, 6)), (2, "2024-Q2", "paused", new(2024, 7, 7)),
        (0, "2024-Q3", "on-track", new(2024, 10, 3)), (0, "2024-Q3", "off-track", new(2024, 10, 8)), (1, "2024-Q3", "off-track", new(2024, 10, 6)),
        (0, "2024-Q4", "off-track", new(2025, 1, 5)), (1, "2024-Q4", "off-track", new(2025, 1, 6)), (2, "2024-Q4", "on-track", new(2025, 1, 7)),
    ];

    private static readonly Guid[] _ids = [.. Enumerable.Range(1, 3).Select(i => Guid.Parse($"0193c000-0000-7000-8000-00000000000{i}"))];
    private static readonly SemaphoreSlim _lock = new(1, 1);
    private static readonly HashSet<string> _seeded = [];

    private async Task SeedAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (!_seeded.Add(api.ConnectionString))
            {
                return;
            }
            await using var session = api.Store.LightweightSession();
            for (var m = 0; m < _ids.Length; m++)
            {
                var events = new List<(IMeasureEvent Event, DateTimeOffset At)>();
                MeasureState State() => MeasureEvolution.Fold(events.Select((e, i) => (e.Event, new EventInfo(i + 1, e.At))));
                void Add(Decision d, DateOnly on) => events.AddRange(d.Events.Select(e => (e, At(on))));
                Add(MeasureLifecycle.Propose(_ids[m], SampleCommands.Propose(SampleCommands.Lead, $"Gesundheit {m}")), new(2024, 1, 2));
                Add(MeasureLifecycle.Decide(State(), SampleCommands.UnderstandProblem()), new(2024, 1, 3));
                Add(MeasureLifecycle.Decide(State(), SampleCommands.DefineGoals()), new(2024, 1, 4));
                Add(MeasureLifecycle.Decide(State(), SampleCommands.Mandate()), new(2024, 1, 5));
                foreach (var r in _reports.Where(r => r.Measure == m))
                {
                    ReportingPeriod.TryParse(r.Period, out var period);
                    Add(MeasureLifecycle.Decide(State(), SampleCommands.ReportStatus() with { Period = r.Period, Health = r.Health, On = period.End }), r.RecordedOn);
                }
                EventLedger.StartStream(session, _ids[m], events, new CommandMetadata("scenario", null, null, "scenario"));
            }
            await session.SaveChangesAsync();
            await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<JsonElement> Health(string query)
    {
        var response = await api.Client.Get("/api/dashboard/health" + query, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("figures");
    }

    /// <summary>Worked out from the events: the last report recorded by <paramref name="until"/> per measure and period.</summary>
    private static Dictionary<(int Measure, string Period), string> Current(DateOnly until) =>
        _reports.Where(r => r.RecordedOn <= until)
            .GroupBy(r => (r.Measure, r.Period))
            .ToDictionary(g => g.Key, g => g.Last().Health);

    private static string[] ExpectedPeriods(DateOnly until) =>
        [.. Current(until).GroupBy(c => c.Key.Period).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{g.Key}|{g.Count()}|{g.Count(c => c.Value == "on-track")}|{g.Count(c => c.Value == "at-risk")}|{g.Count(c => c.Value == "off-track")}|{g.Count(c => c.Value == "paused")}")];

    private static string[] ExpectedTransitions(DateOnly until)
    {
        var current = Current(until);
        return [.. current.GroupBy(c => c.Key.Measure)
            .SelectMany(g => { var h = g.OrderBy(c => c.Key.Period, StringComparer.Ordinal).Select(c => c.Value).ToList(); return h.Zip(h.Skip(1)); })
            .GroupBy(p => p)
            .OrderBy(p => StatusHealth.Codes.ToList().IndexOf(p.Key.First)).ThenBy(p => StatusHealth.Codes.ToList().IndexOf(p.Key.Second))
            .Select(p => $"{p.Key.First}|{p.Key.Second}|{p.Count()}")];
    }

    [Fact]
    public async Task The_figures_equal_those_worked_out_from_the_events_now_and_as_of_an_earlier_day()
    {
        await SeedAsync();
        var lead = $"?lead={SampleCommands.Lead}";
        var now = await Health(lead);
        now.GetProperty("periods").Rows("period", "reported", "onTrack", "atRisk", "offTrack", "paused").ShouldBe(ExpectedPeriods(DateOnly.MaxValue));
        now.GetProperty("transitions").Rows("from", "to", "measures").ShouldBe(ExpectedTransitions(DateOnly.MaxValue));
        // Measure 0: off-track in Q3 (its superseding report) and Q4; measure 1: Q2 to Q4.
        now.GetProperty("offTrack").Rows("title", "fromPeriod", "toPeriod", "periods", "current")
            .ShouldBe(["Gesundheit 1|2024-Q2|2024-Q4|3|true", "Gesundheit 0|2024-Q3|2024-Q4|2|true"]);
        now.GetProperty("measuresReporting").GetInt32().ShouldBe(3);

        var earlier = new DateOnly(2024, 10, 7);
        var then = await Health($"{lead}&asOf={earlier:yyyy-MM-dd}T12:00:00Z");
        then.GetProperty("periods").Rows("period", "reported", "onTrack", "atRisk", "offTrack", "paused").ShouldBe(ExpectedPeriods(earlier));
        then.GetProperty("transitions").Rows("from", "to", "measures").ShouldBe(ExpectedTransitions(earlier));
        // Then measure 0's Q3 was still on-track (the correction came on 10-08) and measure 1 was off-track Q2 and Q3.
        then.GetProperty("offTrack").Rows("title", "fromPeriod", "toPeriod", "periods").ShouldBe(["Gesundheit 1|2024-Q2|2024-Q3|2"]);

        var csv = await api.Client.Csv("/api/dashboard/health" + lead);
        csv.Split("\r\n").Count(l => l.StartsWith("period,")).ShouldBe(4);
        csv.Split("\r\n").Count(l => l.StartsWith("off-track,")).ShouldBe(2);
    }
}
