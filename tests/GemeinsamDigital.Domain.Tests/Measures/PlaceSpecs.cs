using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Given a measure, when setting or clearing its location, then events, state, and the stored GeoJSON.</summary>
public class PlaceSpecs
{
    private static readonly GeoShape _square = GeoShape.Polygon([[new(13.39, 52.47), new(13.41, 52.47), new(13.41, 52.48), new(13.39, 52.48), new(13.39, 52.47)]]);

    [Fact]
    public void Setting_records_the_checked_geometry_with_its_districts_in_catalogue_order_and_clearing_removes_it()
    {
        var set = SampleCommands.SetLocation() with
        {
            Districts = ["ba-neukoelln", "ba-tempelhof-schoeneberg"],
            Checked = GeometryCheck.Valid(_square),
        };
        var events = When(Histories.StateIn(MeasureStage.Pilot), set).ThenEvents();
        var located = events.ShouldHaveSingleItem().ShouldBeOfType<LocationSet>();
        located.Geometry.ShouldBe(_square);
        located.Districts.ShouldBe(["ba-tempelhof-schoeneberg", "ba-neukoelln"]);
        var history = (IMeasureEvent[])[.. Histories.For(MeasureStage.Pilot), .. events];
        Given(history).Location.ShouldBe(new MeasureLocation(_square, ["ba-tempelhof-schoeneberg", "ba-neukoelln"]));

        var cleared = When(Given(history), new SetLocation(null, null)).ThenEvents();
        cleared.ShouldHaveSingleItem().ShouldBeOfType<LocationCleared>();
        Given([.. history, .. cleared]).Location.ShouldBeNull();
    }

    [Fact]
    public void A_geometry_is_stored_as_GeoJSON_and_read_back_the_same()
    {
        var json = JsonSerializer.Serialize(new LocationSet(_square, ["ba-neukoelln"]), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        json.ShouldBe("""{"geometry":{"type":"Polygon","coordinates":[[[13.39,52.47],[13.41,52.47],[13.41,52.48],[13.39,52.48],[13.39,52.47]]]},"districts":["ba-neukoelln"]}""");
        var read = JsonSerializer.Deserialize<LocationSet>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        read.Geometry.ShouldBe(_square);
        JsonSerializer.Serialize(GeoShape.Point(SampleCommands.Hardenbergplatz)).ShouldBe("""{"type":"Point","coordinates":[13.3326,52.5068]}""");
    }

    [Theory]
    [InlineData(13.08, 52.33, true)]
    [InlineData(13.77, 52.68, true)]
    [InlineData(13.07, 52.5, false)]
    [InlineData(13.4, 52.69, false)]
    [InlineData(52.52, 13.40, false)]
    public void Berlins_box_holds_what_lies_in_it(double longitude, double latitude, bool inside) =>
        Places.InBerlin(new GeoPosition(longitude, latitude)).ShouldBe(inside);
}
