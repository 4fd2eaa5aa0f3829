using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Seed;

public class DemoDataTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void Every_demo_measure_is_decided_without_a_refusal_and_all_stages_are_covered()
    {
        var finalStages = DemoMeasures.All()
            .Select(d => MeasureEvolution.Fold(DemoSeeder.Run(d).Select((e, i) => (e.Event, new EventInfo(i + 1, e.At)))).Stage)
            .ToList();

        finalStages.Count.ShouldBeInRange(20, 40);
        finalStages.Distinct().Order().ShouldBe(Enum.GetValues<MeasureStage>().Order());
    }

    [Fact]
    public void Demo_measures_spread_over_administrations_types_and_perspectives()
    {
        var all = DemoMeasures.All();
        all.Select(d => d.Proposal.Type).Distinct().Count().ShouldBe(StrategyCatalog.MeasureTypes.Count);
        all.SelectMany(d => d.Proposal.Perspectives!).Distinct().Count().ShouldBe(StrategyCatalog.FuturePerspectives.Count);
        all.Select(d => d.Proposal.Lead).Count(StrategyCatalog.IsDistrict).ShouldBeGreaterThanOrEqualTo(8);
        all.Select(d => d.Id).Distinct().Count().ShouldBe(all.Count);
    }

    [Fact]
    public async Task Seeding_stores_every_demo_measure_with_backdated_history()
    {
        var count = await DemoSeeder.SeedAsync(api.Store, api.Subjects, CancellationToken.None);
        var page = await (await api.Client.GetAsync("/api/measures?pageSize=200")).Read<MeasurePage>();
        page.Total.ShouldBe(count);

        var kiezbox = await (await api.Client.GetAsync($"/api/measures/{DemoMeasures.IdFor("Kiezbox 2.0 – Daten in Alltag und Krise")}")).Read<MeasureState>();
        kiezbox.Stage.ShouldBe(MeasureStage.Evaluated);
        kiezbox.ProposedAt.Year.ShouldBe(2023);
        kiezbox.StageHistory.Select(h => h.EnteredAt).ShouldBeInOrder();

        // Every demo event is stored under its stable name and reads back (they once were all
        // stored as the interface IMeasureEvent, and reading a demo measure's events was a 500).
        var names = EventTypes.Names.Values.ToHashSet();
        foreach (var demo in DemoMeasures.All())
        {
            var response = await api.Client.GetAsync($"/api/measures/{demo.Id}/events");
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, demo.Proposal.Title);
            var events = (await response.Read<ItemList<MeasureEventView>>()).Items.ToList();
            events.ShouldAllBe(e => names.Contains(e.Type));
            events.ShouldAllBe(e => e.Actor!.StartsWith(SubjectDirectory.Prefix) && e.Administration == demo.Proposal.Lead);
            events.Count.ShouldBe(DemoSeeder.Run(demo).Count);
        }

        // Located demo measures: on the map (GeoJSON by RFC 7946), each as seeded.
        var map = await (await api.Client.Get("/api/measures?pageSize=200", GeoJson.MediaType)).Json();
        Measures.LocationTests.AssertRfc7946(map);
        map.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetGuid())
            .ShouldBe(DemoMeasures.Places.Keys.Select(DemoMeasures.IdFor), ignoreOrder: true);
        var hardenbergplatz = await (await api.Client.GetAsync($"/api/measures/{DemoMeasures.IdFor("Smart Space Hardenbergplatz")}")).Read<MeasureState>();
        hardenbergplatz.Location.ShouldBe(DemoMeasures.Places["Smart Space Hardenbergplatz"]);
    }

    [Fact]
    public void Demo_places_are_real_points_and_polygons_that_pass_the_services_check()
    {
        var places = DemoMeasures.Places;
        places.Count.ShouldBeGreaterThanOrEqualTo(5);
        places.Values.Count(p => p.Geometry.Type == GeoShape.PolygonType).ShouldBeGreaterThanOrEqualTo(1);
        places.Values.Count(p => p.Geometry.Type == GeoShape.PointType).ShouldBeGreaterThanOrEqualTo(1);
        places.Values.ShouldContain(p => p.Districts.Count > 1, "one place lies in several districts");
        foreach (var (title, place) in places)
        {
            DemoMeasures.All().ShouldContain(d => d.Proposal.Title == title);
            // Checked as a client's request is: stored exactly as seeded (a polygon already counter-clockwise).
            GeometryValidation.Check(System.Text.Json.JsonSerializer.SerializeToElement(place.Geometry)).ShouldBe(GeometryCheck.Valid(place.Geometry), title);
            place.Districts.ShouldAllBe(d => StrategyCatalog.IsDistrict(d));
        }
    }
}
