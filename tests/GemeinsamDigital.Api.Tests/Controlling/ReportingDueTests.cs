using System.Net;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Controlling;

/// <summary>
/// The due list over backdated events (measures and the cadence recorded in 2024), read with asOf
/// so "today" is fixed: the quarter ends, the report falls due, becomes overdue, then arrives.
/// </summary>
public class ReportingDueTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Guid _pankow = Guid.Parse("0193b000-0000-7000-8000-000000000001");
    private static readonly Guid _mitte = Guid.Parse("0193b000-0000-7000-8000-000000000002");
    private static readonly SemaphoreSlim _lock = new(1, 1);
    private static readonly HashSet<string> _seeded = [];

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A measure proposed on 2024-01-02 and mandated on 2024-02-01, then the given commands on their days.</summary>
    private static List<(IMeasureEvent, DateTimeOffset)> Mandated(Guid id, string lead, params (DateTimeOffset At, ReportStatus Report)[] then)
    {
        var events = new List<(IMeasureEvent Event, DateTimeOffset At)>();
        void Add(Decision d, DateTimeOffset at)
        {
            d.Rejection.ShouldBeNull();
            events.AddRange(d.Events.Select(e => (e, at)));
        }
        MeasureState State() => MeasureEvolution.Fold(events.Select((e, i) => (e.Event, new EventInfo(i + 1, e.At))));
        Add(MeasureLifecycle.Propose(id, SampleCommands.Propose(lead, "Bericht " + lead)), At(2024, 1, 2));
        Add(MeasureLifecycle.Decide(State(), SampleCommands.UnderstandProblem()), At(2024, 1, 10));
        Add(MeasureLifecycle.Decide(State(), SampleCommands.DefineGoals()), At(2024, 1, 20));
        Add(MeasureLifecycle.Decide(State(), SampleCommands.Mandate(lead)), At(2024, 2, 1));
        foreach (var (at, report) in then)
        {
            Add(MeasureLifecycle.Decide(State(), report), at);
        }
        return [.. events];
    }

    private async Task SeedAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (!_seeded.Add(api.ConnectionString))
            {
                return;
            }
            var metadata = new CommandMetadata("scenario", null, null, "scenario");
            await using var session = api.Store.LightweightSession();
            EventLedger.StartStream<ReportingCadenceState>(session, Guid.Parse("0193b000-0000-7000-8000-0000000000ca"),
                [(new ReportingCadenceSet(null, "quarterly", 10), At(2024, 1, 1))], metadata);
            EventLedger.StartStream(session, _pankow, Mandated(_pankow, "ba-pankow",
                (At(2024, 4, 20), SampleCommands.ReportStatus() with { Period = "2024-Q1", Health = "on-track", On = new DateOnly(2024, 3, 31) })), metadata);
            EventLedger.StartStream(session, _mitte, Mandated(_mitte, "ba-mitte"), metadata);
            await session.SaveChangesAsync();
            await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<System.Text.Json.JsonElement> Due(string query)
    {
        var response = await api.Client.Get("/api/dashboard/reporting-due" + query, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("figures");
    }

    [Fact]
    public async Task After_the_quarter_ends_the_report_is_due_then_overdue_and_leaves_the_list_when_it_arrives()
    {
        await SeedAsync();
        (await Due("?asOf=2024-03-31")).GetProperty("reports").GetArrayLength().ShouldBe(0, "the quarter has not ended");

        var due = await Due("?asOf=2024-04-05");
        due.GetProperty("today").GetString().ShouldBe("2024-04-05");
        due.GetProperty("reports").Rows("lead", "period", "dueOn", "status", "daysOverdue")
            .ShouldBe(["ba-mitte|2024-Q1|2024-04-10|due|0", "ba-pankow|2024-Q1|2024-04-10|due|0"]);
        due.GetProperty("administrations").Rows("administration", "due", "overdue").ShouldBe(["ba-mitte|1|0", "ba-pankow|1|0"]);

        var overdue = await Due("?asOf=2024-04-15");
        overdue.GetProperty("reports").Rows("lead", "status", "daysOverdue").ShouldBe(["ba-mitte|overdue|5", "ba-pankow|overdue|5"]);

        var arrived = await Due("?asOf=2024-04-21");
        arrived.GetProperty("reports").Rows("lead", "period", "status", "daysOverdue").ShouldBe(["ba-mitte|2024-Q1|overdue|11"]);
        arrived.GetProperty("administrations").Rows("administration", "due", "overdue").ShouldBe(["ba-mitte|0|1"]);

        (await Due("?asOf=2024-04-21&lead=ba-pankow")).GetProperty("reports").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Live_the_list_runs_up_to_today_and_the_csv_has_the_same_rows()
    {
        await SeedAsync();
        var live = await Due("?lead=ba-pankow");
        var periods = live.GetProperty("reports").Rows("period", "status");
        periods.ShouldContain("2024-Q2|overdue");
        periods.ShouldNotContain(p => p.StartsWith("2024-Q1|"));
        var csv = await api.Client.Csv("/api/dashboard/reporting-due?lead=ba-pankow");
        csv.Split("\r\n").Count(l => l.StartsWith("report,")).ShouldBe(periods.Length);
    }

    [Fact]
    public async Task The_strategy_office_sets_the_cadence_and_nobody_else()
    {
        var editor = api.ClientFor("ba-pankow", Roles.Editor);
        await (await editor.PostJson("/api/controlling/cadence", new SetReportingCadence(null, "monthly", 5)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await api.Client.PostJson("/api/controlling/cadence", new SetReportingCadence("fantasie", "weekly", 5)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");

        await SeedAsync();
        var before = await (await api.AnonymousClient().GetAsync("/api/controlling/cadence")).Read<ReportingCadenceState>();
        var set = await api.Client.PostJson("/api/controlling/cadence", new SetReportingCadence("zentral", "monthly", 5));
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        var cadence = await (await api.AnonymousClient().GetAsync("/api/controlling/cadence")).Read<ReportingCadenceState>();
        cadence.Id.ShouldBe(before.Id);
        cadence.Rules.Select(r => (r.MeasureType, r.Frequency, r.DueDays)).ShouldBe([(null, "quarterly", 10), ("zentral", "monthly", 5)]);
        await (await api.Client.PostJson("/api/controlling/cadence", new SetReportingCadence("zentral", "monthly", 5)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "rule-violated");

        // The sample measures are "dezentral": the new rule is not theirs. The setting takes effect now; asOf a day in 2024 still answers with the cadence of then.
        (await Due("?asOf=2024-04-05&lead=ba-pankow")).GetProperty("reports").Rows("period").ShouldBe(["2024-Q1"]);
    }
}
