using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>A measure's place over HTTP: set and clear through the pipeline, geometry checked (400 naming 'geometry'), the list as GeoJSON.</summary>
public class LocationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    // A clockwise square around the Tempelhofer Feld (longitude, latitude): stored counter-clockwise.
    private const string ClockwiseSquare = "[[[13.39, 52.47], [13.39, 52.48], [13.41, 52.48], [13.41, 52.47], [13.39, 52.47]]]";

    private static string Point(double lon, double lat) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"type": "Point", "coordinates": [{{lon}}, {{lat}}]}""");

    private static string Polygon(string coordinates) => $$"""{"type": "Polygon", "coordinates": {{coordinates}}}""";

    private static string Body(string geometry, params string[] districts) =>
        $$"""{"geometry": {{geometry}}, "districts": [{{string.Join(", ", districts.Select(d => $"\"{d}\""))}}]}""";

    private Task<HttpResponseMessage> Set(Guid id, string body) => api.Client.PostRaw($"/api/measures/{id}/set-location", body);

    [Fact]
    public async Task A_point_is_set_replaced_by_a_polygon_turned_counter_clockwise_and_cleared()
    {
        var id = await _measures.Propose();
        var set = await Set(id, Body(Point(13.3326, 52.5068), "ba-charlottenburg-wilmersdorf"));
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        (await set.Read<CommandAccepted>()).Events.ShouldBe(["location-set"]);
        var located = await _measures.Read(id);
        located.Location!.Geometry.ShouldBe(GeoShape.Point(new GeoPosition(13.3326, 52.5068)));
        located.Location.Districts.ShouldBe(["ba-charlottenburg-wilmersdorf"]);

        // Districts in any order are kept in catalogue order.
        var polygon = await Set(id, Body(Polygon(ClockwiseSquare), "ba-neukoelln", "ba-tempelhof-schoeneberg", "ba-friedrichshain-kreuzberg"));
        polygon.StatusCode.ShouldBe(HttpStatusCode.OK, await polygon.Content.ReadAsStringAsync());
        var area = (await _measures.Read(id)).Location!;
        area.Districts.ShouldBe(["ba-friedrichshain-kreuzberg", "ba-tempelhof-schoeneberg", "ba-neukoelln"]);
        area.Geometry.Type.ShouldBe("Polygon");
        SignedArea(area.Geometry.Rings[0]).ShouldBeGreaterThan(0, "RFC 7946: the exterior ring is counter-clockwise");
        area.Geometry.Rings[0].ShouldBe([new(13.39, 52.47), new(13.41, 52.47), new(13.41, 52.48), new(13.39, 52.48), new(13.39, 52.47)]);

        // The same location again changes nothing: refused.
        (await Set(id, Body(Polygon(ClockwiseSquare), "ba-neukoelln", "ba-tempelhof-schoeneberg", "ba-friedrichshain-kreuzberg"))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var cleared = await Set(id, """{"geometry": null}""");
        cleared.StatusCode.ShouldBe(HttpStatusCode.OK, await cleared.Content.ReadAsStringAsync());
        (await cleared.Read<CommandAccepted>()).Events.ShouldBe(["location-cleared"]);
        (await _measures.Read(id)).Location.ShouldBeNull();
        var again = await Set(id, """{"geometry": null}""");
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await again.Json()).GetProperty("errors").GetProperty("geometry")[0].GetString()!.ShouldContain("no location");

        // The events carry GeoJSON as it is.
        var events = await _measures.Events(id);
        var stored = events.First(e => e.Type == "location-set").Data.GetProperty("geometry");
        stored.GetProperty("type").GetString().ShouldBe("Point");
        stored.GetProperty("coordinates")[0].GetDouble().ShouldBe(13.3326);
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "not a GeoJSON object but text", "\"POINT (13.4 52.5)\"", "GeoJSON geometry object" },
        { "no type", """{"coordinates": [13.4, 52.5]}""", "'type'" },
        { "a Feature instead of a geometry", """{"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.4, 52.5]}}""", "\"Point\" or a \"Polygon\"" },
        { "a LineString", """{"type": "LineString", "coordinates": [[13.4, 52.5], [13.41, 52.51]]}""", "\"Point\" or a \"Polygon\"" },
        { "a position of one number", """{"type": "Point", "coordinates": [13.4]}""", "two numbers" },
        { "a position with text", """{"type": "Point", "coordinates": ["13.4", "52.5"]}""", "two numbers" },
        { "a crs member", """{"type": "Point", "coordinates": [13.4, 52.5], "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}""", "crs" },
        { "an unclosed ring", Polygon("[[[13.39, 52.47], [13.41, 52.47], [13.41, 52.48], [13.39, 52.48]]]"), "not closed" },
        { "a ring of three positions", Polygon("[[[13.39, 52.47], [13.41, 52.47], [13.39, 52.47]]]"), "at least 4" },
        { "a self-intersecting ring (a bow tie)", Polygon("[[[13.39, 52.47], [13.41, 52.48], [13.41, 52.47], [13.39, 52.48], [13.39, 52.47]]]"), "not valid" },
        { "a hole", Polygon("[[[13.39, 52.47], [13.41, 52.47], [13.41, 52.48], [13.39, 52.48], [13.39, 52.47]], [[13.395, 52.472], [13.395, 52.474], [13.397, 52.474], [13.395, 52.472]]]"), "no holes" },
        { "too many vertices", Polygon("[[" + Circle(Places.MaxVertices + 1) + "]]"), $"at most {Places.MaxVertices} vertices" },
        { "latitude and longitude swapped", Point(52.5068, 13.3326), "[latitude, longitude]" },
        { "outside Berlin (Hamburg)", Point(9.99, 53.55), "outside Berlin" },
        { "a polygon reaching outside Berlin", Polygon("[[[13.39, 52.47], [13.9, 52.47], [13.9, 52.48], [13.39, 52.47]]]"), "outside Berlin" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_or_out_of_Berlin_geometry_is_400_naming_geometry(string because, string geometry, string message)
    {
        var id = await _measures.Propose();
        var response = await Set(id, Body(geometry, "ba-mitte"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, because + ": " + await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Json()).GetProperty("errors");
        // The geometry, or the member of it that is wrong (its type).
        var error = errors.EnumerateObject().ShouldHaveSingleItem(because);
        error.Name.ShouldStartWith("geometry", Case.Sensitive, because);
        error.Value[0].GetString()!.ShouldContain(message, Case.Insensitive, because);
        (await _measures.Read(id)).Location.ShouldBeNull();
    }

    [Fact]
    public async Task A_body_that_is_no_JSON_and_districts_that_are_wrong_are_400()
    {
        var id = await _measures.Propose();
        var notJson = await Set(id, "{\"geometry\": {\"type\": \"Point\", \"coordinates\": [13.4, 52.5");
        notJson.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Set(id, Body(Point(13.4, 52.5), "senmvku"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var unknown = await (await Set(id, Body(Point(13.4, 52.5), "ba-atlantis"))).Json();
        unknown.GetProperty("errors").TryGetProperty("districts[0]", out _).ShouldBeTrue(unknown.GetRawText());
        var none = await (await Set(id, Body(Point(13.4, 52.5)))).Json();
        none.GetProperty("errors").TryGetProperty("districts", out _).ShouldBeTrue(none.GetRawText());
        var clearingWithDistricts = await (await Set(id, Body("null", "ba-mitte"))).Json();
        clearingWithDistricts.GetProperty("errors").TryGetProperty("districts", out _).ShouldBeTrue(clearingWithDistricts.GetRawText());
    }

    [Fact]
    public async Task The_list_answers_GeoJSON_by_RFC_7946_with_the_filters_and_paging_of_the_JSON_list()
    {
        var point = await _measures.Propose(SampleCommands.Propose(title: "Ort Punkt"));
        (await Set(point, Body(Point(13.4050, 52.5200), "ba-mitte"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var area = await _measures.Propose(SampleCommands.Propose(title: "Ort Fläche"));
        (await Set(area, Body(Polygon(ClockwiseSquare), "ba-tempelhof-schoeneberg", "ba-neukoelln"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _measures.Send(area, SampleCommands.UnderstandProblem());
        var nowhere = await _measures.Propose(SampleCommands.Propose(title: "Ort nirgends"));

        var response = await api.Client.Get("/api/measures?pageSize=200", "application/geo+json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/geo+json");
        response.Headers.Vary.ShouldContain("Accept");
        var collection = await response.Json();
        AssertRfc7946(collection);
        var features = collection.GetProperty("features").EnumerateArray().ToList();
        var ids = features.Select(f => f.GetProperty("id").GetGuid()).ToList();
        ids.ShouldContain(point);
        ids.ShouldContain(area);
        ids.ShouldNotContain(nowhere);
        collection.GetProperty("total").GetInt64().ShouldBe(ids.Count);

        var feature = features.Single(f => f.GetProperty("id").GetGuid() == area);
        var properties = feature.GetProperty("properties");
        properties.GetProperty("title").GetString().ShouldBe("Ort Fläche");
        properties.GetProperty("stage").GetString().ShouldBe("problem-understood");
        properties.GetProperty("stageLabel").GetString().ShouldNotBeNullOrEmpty();
        properties.GetProperty("lead").GetString().ShouldBe(SampleCommands.Propose().Lead);
        properties.GetProperty("districts").EnumerateArray().Select(d => d.GetString()).ShouldBe(["ba-tempelhof-schoeneberg", "ba-neukoelln"]);
        properties.GetProperty("link").GetString().ShouldBe($"/api/measures/{area}");
        (await api.Client.GetAsync(properties.GetProperty("link").GetString())).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The JSON list's filters: only the measure in stage problem-understood.
        var filtered = await (await api.Client.Get("/api/measures?stage=problem-understood", "application/geo+json")).Json();
        filtered.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ShouldBe([area]);

        // Pages count located measures only: one per page, two pages, newest first.
        var first = await api.Client.Get("/api/measures?pageSize=1&q=Ort", "application/geo+json");
        var page = await first.Json();
        page.GetProperty("features").GetArrayLength().ShouldBe(1);
        page.GetProperty("features")[0].GetProperty("id").GetGuid().ShouldBe(area);
        page.GetProperty("pageCount").GetInt32().ShouldBe(2);
        first.Headers.GetValues("Link").Single().ShouldContain("rel=\"next\"");
        var second = await (await api.Client.Get("/api/measures?pageSize=1&page=2&q=Ort", "application/geo+json")).Json();
        second.GetProperty("features")[0].GetProperty("id").GetGuid().ShouldBe(point);

        // format wins over Accept; JSON stays the default; the cursor does not go with a map.
        (await api.Client.Get("/api/measures?format=json", "application/geo+json")).Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await api.Client.Get("/api/measures", "application/json, application/geo+json;q=0.5")).Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await api.Client.Get("/api/measures?changedAfterSequence=0", "application/geo+json")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // The JSON list carries the location as GeoJSON too.
        var json = await (await api.Client.Get($"/api/measures/{area}", "application/json")).Json();
        json.GetProperty("location").GetProperty("geometry").GetProperty("type").GetString().ShouldBe("Polygon");
        // Another table endpoint has no GeoJSON.
        (await api.Client.Get("/api/dashboard/portfolio", "application/geo+json")).StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task The_portfolio_counts_measures_by_located_district_with_the_dashboards_filters()
    {
        // Its own lead, so the lead filter sees only these measures.
        const string Lead = "ba-spandau";
        var point = await _measures.Propose(SampleCommands.Propose(Lead, "Ort in Mitte"));
        (await Set(point, Body(Point(13.4050, 52.5200), "ba-mitte"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Several districts: once in each.
        var area = await _measures.Propose(SampleCommands.Propose(Lead, "Ort über drei Bezirke"));
        (await Set(area, Body(Polygon(ClockwiseSquare), "ba-tempelhof-schoeneberg", "ba-neukoelln", "ba-mitte"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _measures.Propose(SampleCommands.Propose(Lead, "Ort nirgends"));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var response = await api.Client.Get($"/api/dashboard/portfolio?lead={Lead}", "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var places = (await response.Json()).GetProperty("figures").GetProperty("places");
        places.GetProperty("located").GetInt32().ShouldBe(2);
        places.GetProperty("unlocated").GetInt32().ShouldBe(1);
        places.GetProperty("districts").Rows("code", "measures").Where(r => !r.EndsWith("|0")).ShouldBe(
            ["ba-mitte|2", "ba-tempelhof-schoeneberg|1", "ba-neukoelln|1"]);

        var csv = (await api.Client.Csv($"/api/dashboard/portfolio?lead={Lead}")).Split("\r\n");
        csv.ShouldContain(l => l.StartsWith("places,located,,2,"));
        csv.ShouldContain(l => l.StartsWith("places,unlocated,,1,"));
        csv.ShouldContain(l => l.StartsWith("located-district,ba-mitte,Bezirksamt Mitte,2,"));
        csv.ShouldContain(l => l.StartsWith("located-district,ba-neukoelln,Bezirksamt Neukölln,1,"));

        // As of now from the events: the same figures.
        await Task.Delay(1100);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var asOf = await (await api.Client.Get($"/api/dashboard/portfolio?lead={Lead}&asOf={now}", "application/json")).Json();
        asOf.GetProperty("figures").GetProperty("places").GetProperty("located").GetInt32().ShouldBe(2);
        // Another lead's filter: none of these.
        var other = await (await api.Client.Get("/api/dashboard/portfolio?lead=ba-reinickendorf", "application/json")).Json();
        other.GetProperty("figures").GetProperty("places").GetProperty("located").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task The_location_survives_a_rebuild_of_the_projections()
    {
        var id = await _measures.Propose();
        (await Set(id, Body(Polygon(ClockwiseSquare), "ba-tempelhof-schoeneberg"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = (await _measures.Read(id)).Location;
        var rebuild = await api.Client.PostAsync("/api/admin/projections/rebuild", null);
        rebuild.StatusCode.ShouldBe(HttpStatusCode.OK, await rebuild.Content.ReadAsStringAsync());
        var after = (await _measures.Read(id)).Location;
        after.ShouldNotBeNull();
        after.ShouldBe(before);
        after.Geometry.Rings[0].Count.ShouldBe(5);
    }

    /// <summary>RFC 7946 for a FeatureCollection of Points and Polygons: type names, no crs, [lon, lat] in Berlin, closed counter-clockwise rings.</summary>
    internal static void AssertRfc7946(JsonElement collection)
    {
        collection.GetProperty("type").GetString().ShouldBe("FeatureCollection");
        collection.TryGetProperty("crs", out _).ShouldBeFalse("RFC 7946 §4: no crs member");
        foreach (var feature in collection.GetProperty("features").EnumerateArray())
        {
            feature.GetProperty("type").GetString().ShouldBe("Feature");
            feature.TryGetProperty("crs", out _).ShouldBeFalse();
            feature.GetProperty("properties").ValueKind.ShouldBe(JsonValueKind.Object);
            feature.GetProperty("id").ValueKind.ShouldBe(JsonValueKind.String);
            var geometry = feature.GetProperty("geometry");
            geometry.TryGetProperty("crs", out _).ShouldBeFalse();
            var coordinates = geometry.GetProperty("coordinates");
            switch (geometry.GetProperty("type").GetString())
            {
                case "Point":
                    AssertPosition(coordinates);
                    break;
                case "Polygon":
                    coordinates.GetArrayLength().ShouldBeGreaterThanOrEqualTo(1);
                    var ring = coordinates[0].EnumerateArray().ToList();
                    ring.Count.ShouldBeGreaterThanOrEqualTo(4, "RFC 7946 §3.1.6: a linear ring has at least four positions");
                    ring.ForEach(AssertPosition);
                    ring[^1].GetRawText().ShouldBe(ring[0].GetRawText(), "RFC 7946 §3.1.6: the first and last positions are the same");
                    SignedArea([.. ring.Select(p => new GeoPosition(p[0].GetDouble(), p[1].GetDouble()))])
                        .ShouldBeGreaterThan(0, "RFC 7946 §3.1.6: an exterior ring is counter-clockwise");
                    break;
                default:
                    throw new ShouldAssertException($"Unexpected geometry type {geometry.GetProperty("type")}");
            }
        }
    }

    private static void AssertPosition(JsonElement position)
    {
        position.GetArrayLength().ShouldBe(2);
        var (lon, lat) = (position[0].GetDouble(), position[1].GetDouble());
        // [longitude, latitude]: in Berlin the longitude is about 13, the latitude about 52.
        lon.ShouldBeInRange(Places.MinLongitude, Places.MaxLongitude);
        lat.ShouldBeInRange(Places.MinLatitude, Places.MaxLatitude);
    }

    /// <summary>Twice the signed area (shoelace): positive for a counter-clockwise ring.</summary>
    internal static double SignedArea(IReadOnlyList<GeoPosition> ring) =>
        Enumerable.Range(0, ring.Count - 1).Sum(i => ring[i].Longitude * ring[i + 1].Latitude - ring[i + 1].Longitude * ring[i].Latitude);

    /// <summary>A closed ring of <paramref name="vertices"/> vertices around Alexanderplatz.</summary>
    private static string Circle(int vertices)
    {
        var positions = Enumerable.Range(0, vertices)
            .Select(i => (13.41 + 0.01 * Math.Cos(2 * Math.PI * i / vertices), 52.52 + 0.005 * Math.Sin(2 * Math.PI * i / vertices)))
            .ToList();
        positions.Add(positions[0]);
        return string.Join(", ", positions.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Item1:R}, {p.Item2:R}]")));
    }
}
