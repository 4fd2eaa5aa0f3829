using System.Text.Json;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using GemeinsamDigital.Testing;

namespace GemeinsamDigital.Domain.Tests.Monitoring;

/// <summary>
/// The rows a node keeps for live dashboards are reduced (<see cref="MonitoringRow.ForDashboards"/>):
/// every dashboard computed from them, under every filter, equals the one computed from the full
/// fold of all measures' events.
/// </summary>
public class DashboardRowSpecs
{
    private static readonly DateTimeOffset _now = MonitoringScenario.Now;

    private static readonly GeoShape _square = GeoShape.Polygon([[new(13.40, 52.55), new(13.42, 52.55), new(13.42, 52.56), new(13.40, 52.55)]]);

    // The scenario's measures, plus what it lacks: status reports, plans, locations, risks, a programme, rescheduling, amended texts.
    private static readonly Dictionary<Guid, (IMeasureEvent Event, DateOnly On)[]> _more = new()
    {
        [MonitoringScenario.Kiezradar] =
        [
            (new StatusReported("2024-Q2", StatusHealth.OffTrack, "Verzug.", ["Lieferung"], ["Nachfassen"], 20, new(2024, 7, 2), 1), new(2024, 7, 2)),
            (new StatusReported("2024-Q3", StatusHealth.AtRisk, "Knapp.", [], [], 30, new(2024, 10, 2), 1), new(2024, 10, 2)),
            (new StatusReported("2024-Q3", StatusHealth.OffTrack, "Korrigiert: Verzug.", [], ["Test"], 35, new(2024, 10, 9), 2), new(2024, 10, 9)),
            (new PlanLinked(StrategyCatalog.Plans[0].Code, "Beitrag."), new(2024, 4, 2)),
            (new PlanLinked("alter-plan", null), new(2024, 4, 3)),
            (new LocationSet(_square, ["ba-pankow", "ba-mitte"]), new(2024, 4, 4)),
            (new RiskRecorded("r1", "technik", "Sensoren fallen aus."), new(2024, 5, 1)),
            (new MilestoneRescheduled("m2", new(2024, 10, 1), new(2024, 12, 1)), new(2024, 9, 1)),
            (new AttachedToProgramme(MonitoringScenario.SchulWlan, null), new(2024, 4, 5)),
            (new DetailsAmended("Kiezradar Pankow (neu)", "Neues Problem.", "Neue Beschreibung."), new(2024, 11, 2)),
        ],
        [MonitoringScenario.SchulWlan] =
        [
            (new StatusReported("2024-Q1", StatusHealth.OnTrack, "Gut.", [], [], 50, new(2024, 4, 2), 1), new(2024, 4, 2)),
            (new LocationSet(GeoShape.Point(new(13.43, 52.48)), ["ba-neukoelln"]), new(2024, 4, 3)),
            (new PlanLinked(StrategyCatalog.Plans[0].Code, null), new(2024, 4, 4)),
        ],
        [MonitoringScenario.Klimadaten] = [(new AttachedToProgramme(MonitoringScenario.SchulWlan, null), new(2024, 8, 1))],
    };

    private static IReadOnlyList<MonitoringRow> FullRows()
    {
        var sequence = 0L;
        var events = MonitoringScenario.Measures().SelectMany(m =>
        {
            var all = m.Events.Concat((_more.GetValueOrDefault(m.Id) ?? []).Select(x => (x.Event, At: MonitoringScenario.At(x.On))));
            return all.Select((e, i) => new RecordedMeasureEvent(m.Id, i + 1, ++sequence, e.At, e.Event));
        }).ToList();
        return MonitoringRows.Fold(events);
    }

    private static readonly ReportingCadenceState _cadence = ReportingCadenceState.Evolve(null, new ReportingCadenceSet(null, ReportingFrequency.Quarterly, 14),
        new EventInfo(1, new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero)), Guid.NewGuid());

    private static readonly (string Name, Func<IReadOnlyList<MonitoringRow>, DashboardFilter, object> Compute)[] _dashboards =
    [
        ("portfolio", (rows, f) => DashboardMath.Portfolio(rows, f)),
        ("places", (rows, f) => DashboardMath.Places(rows, f)),
        ("funnel", (rows, f) => DashboardMath.Funnel(rows, f)),
        ("cycle-times", (rows, f) => DashboardMath.CycleTimes(rows, f)),
        ("overdue", (rows, f) => DashboardMath.Overdue(rows, f, _now, 30)),
        ("collaboration", (rows, f) => DashboardMath.Collaboration(rows, f)),
        ("participation", (rows, f) => DashboardMath.Participation(rows, f)),
        ("indicators", (rows, f) => DashboardMath.Indicators(rows, f)),
        ("health", (rows, f) => HealthMath.Figures(rows, f, _cadence, _now)),
        ("reporting-due", (rows, f) => ReportingDue.Figures(rows, f, _cadence, _now)),
        ("plans", (rows, f) => PlanMath.Figures(rows, f)),
        ("rollup", (rows, _) => ProgrammeRollup.Of(MonitoringScenario.SchulWlan, rows)),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _) in _dashboards)
        {
            foreach (var filter in _filters.Keys)
            {
                data.Add(name, filter);
            }
        }
        return data;
    }

    private static readonly Dictionary<string, DashboardFilter> _filters = new()
    {
        ["none"] = DashboardFilter.None,
        ["window"] = new(From: new(2024, 3, 1), To: new(2024, 9, 30)),
        ["lead"] = new(Lead: "ba-pankow"),
        ["district"] = new(District: "ba-neukoelln"),
        ["type"] = new(Type: "dezentral"),
        ["perspective"] = new(Perspective: "zp6"),
        ["programme"] = new(Programme: MonitoringScenario.SchulWlan),
        ["plan"] = new(Plan: StrategyCatalog.Plans[0].Code),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_dashboard_from_the_reduced_rows_equals_the_one_from_all_measures_full_state(string dashboard, string filter)
    {
        var full = FullRows();
        var reduced = full.Select(r => r.ForDashboards()).ToList();
        var compute = _dashboards.Single(d => d.Name == dashboard).Compute;

        var expected = compute(full, _filters[filter]);
        Json(compute(reduced, _filters[filter])).ShouldBe(Json(expected));
    }

    [Fact]
    public void The_scenario_gives_every_dashboard_something_to_count()
    {
        var full = FullRows();
        HealthMath.Figures(full, DashboardFilter.None, _cadence, _now).OffTrack.ShouldNotBeEmpty();
        HealthMath.Figures(full, DashboardFilter.None, _cadence, _now).Missing.ShouldNotBeEmpty();
        DashboardMath.Places(full, DashboardFilter.None).Located.ShouldBe(2);
        PlanMath.Figures(full, DashboardFilter.None).MeasuresServingPlans.ShouldBe(2);
        ProgrammeRollup.Of(MonitoringScenario.SchulWlan, full).Parts.ShouldBe(2);
        DashboardMath.Overdue(full, DashboardFilter.None, _now, 30).Inactive.ShouldNotBeEmpty();
        DashboardMath.Indicators(full, DashboardFilter.None).Series.Sum(s => s.Points.Count).ShouldBeGreaterThan(5);
    }

    [Fact]
    public void The_reduced_row_drops_what_no_dashboard_reads_and_shares_catalogue_codes()
    {
        var full = FullRows().Single(r => r.Id == MonitoringScenario.Kiezradar);
        var other = FullRows().Single(r => r.Id == MonitoringScenario.SchulWlan).ForDashboards();
        var reduced = full.ForDashboards();

        full.Measure.ProblemStatement.ShouldNotBeEmpty();
        full.Measure.Risks.ShouldNotBeEmpty();
        reduced.Measure.ProblemStatement.ShouldBeEmpty();
        reduced.Measure.Description.ShouldBeNull();
        reduced.Measure.Risks.ShouldBeEmpty();
        reduced.Measure.Evaluations.ShouldBeEmpty();
        reduced.Measure.Responsibilities.ShouldBeEmpty();
        reduced.Measure.LatestStatusReport!.Narrative.ShouldBeEmpty();
        reduced.Measure.LatestStatusReport.Health.ShouldBe(full.Measure.LatestStatusReport!.Health);
        reduced.Measure.Location!.Districts.ShouldBe(["ba-pankow", "ba-mitte"]);
        reduced.Measure.Location.Geometry.ShouldNotBe(full.Measure.Location!.Geometry);
        reduced.Measure.Title.ShouldBe("Kiezradar Pankow (neu)");
        // Codes are the catalogue's instances, whichever row they were read from.
        ReferenceEquals(reduced.Measure.Type, StrategyCatalog.Shared(new string("dezentral".AsSpan()))).ShouldBeTrue();
        ReferenceEquals(reduced.Measure.Plans[0].Plan, other.Measure.Plans[0].Plan).ShouldBeTrue();
        reduced.Measure.Plans[1].Plan.ShouldBe("alter-plan");
    }

    private static string Json(object figures) => JsonSerializer.Serialize(figures, figures.GetType());
}
