using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>A position in WGS84 degrees, longitude first (the order GeoJSON writes).</summary>
public readonly record struct GeoPosition(double Longitude, double Latitude);

/// <summary>
/// A checked geometry: a GeoJSON Point or Polygon (RFC 7946) in WGS84. Events and state store it as
/// GeoJSON itself (<c>{"type": …, "coordinates": …}</c>), not as text inside a string and not in a
/// shape of our own: GeoJSON is a fixed standard, so what was stored replays without an upcaster,
/// stays readable (and queryable) in the event's jsonb, and reaches clients unchanged. The checks
/// (parsing, validity, Berlin's box) are the service's (NetTopologySuite); this record only carries
/// what passed them, so replaying never depends on a geometry library.
/// </summary>
[JsonConverter(typeof(GeoShapeJsonConverter))]
public sealed record GeoShape
{
    public const string PointType = "Point";
    public const string PolygonType = "Polygon";

    private GeoShape(string type, IReadOnlyList<IReadOnlyList<GeoPosition>> rings)
    {
        Type = type;
        Rings = rings;
    }

    /// <summary>Point or Polygon.</summary>
    public string Type { get; }

    /// <summary>A Point: one ring of one position. A Polygon: its exterior ring, closed (first position = last).</summary>
    public IReadOnlyList<IReadOnlyList<GeoPosition>> Rings { get; }

    public static GeoShape Point(GeoPosition position) => new(PointType, [[position]]);

    public static GeoShape Polygon(IEnumerable<IEnumerable<GeoPosition>> rings) => new(PolygonType, [.. rings.Select(r => (IReadOnlyList<GeoPosition>)[.. r])]);

    /// <summary>Every position (a polygon's closing position too).</summary>
    public IEnumerable<GeoPosition> Positions => Rings.SelectMany(r => r);

    public bool Equals(GeoShape? other) =>
        other is not null && Type == other.Type && Rings.Count == other.Rings.Count
        && Rings.Zip(other.Rings).All(pair => pair.First.SequenceEqual(pair.Second));

    public override int GetHashCode() => HashCode.Combine(Type, Rings.Count, Rings.Count > 0 && Rings[0].Count > 0 ? Rings[0][0] : default);
}

/// <summary>Reads and writes a <see cref="GeoShape"/> as a GeoJSON geometry object.</summary>
public sealed class GeoShapeJsonConverter : JsonConverter<GeoShape>
{
    public override GeoShape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var coordinates = root.GetProperty("coordinates");
        return type switch
        {
            GeoShape.PointType => GeoShape.Point(Position(coordinates)),
            GeoShape.PolygonType => GeoShape.Polygon(coordinates.EnumerateArray().Select(ring => ring.EnumerateArray().Select(Position))),
            _ => throw new JsonException($"A stored geometry is a Point or a Polygon, not '{type}'."),
        };
    }

    public override void Write(Utf8JsonWriter writer, GeoShape value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        writer.WritePropertyName("coordinates");
        if (value.Type == GeoShape.PointType)
        {
            Write(writer, value.Rings[0][0]);
        }
        else
        {
            writer.WriteStartArray();
            foreach (var ring in value.Rings)
            {
                writer.WriteStartArray();
                foreach (var position in ring)
                {
                    Write(writer, position);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static GeoPosition Position(JsonElement position) => new(position[0].GetDouble(), position[1].GetDouble());

    private static void Write(Utf8JsonWriter writer, GeoPosition position)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(position.Longitude);
        writer.WriteNumberValue(position.Latitude);
        writer.WriteEndArray();
    }
}

/// <summary>Where a measure takes place: its geometry and the districts (Bezirke) it lies in.</summary>
/// <param name="Geometry">A GeoJSON Point or Polygon (WGS84, longitude first; a polygon's ring counter-clockwise).</param>
/// <param name="Districts">Codes of the districts' administrations (catalogue group "bezirk"), in catalogue order.</param>
public sealed record MeasureLocation(GeoShape Geometry, IReadOnlyList<string> Districts)
{
    public bool Equals(MeasureLocation? other) =>
        other is not null && Geometry.Equals(other.Geometry) && Districts.SequenceEqual(other.Districts);

    public override int GetHashCode() => HashCode.Combine(Geometry, Districts.Count);
}

/// <summary>The measure's location was set (or replaced).</summary>
public sealed record LocationSet(GeoShape Geometry, IReadOnlyList<string> Districts) : IMeasureEvent;

/// <summary>The measure's location was removed.</summary>
public sealed record LocationCleared : IMeasureEvent;

/// <summary>What the service's geometry check (NetTopologySuite, outside the pure domain) made of the sent geometry.</summary>
/// <param name="Shape">The geometry as it will be stored (a polygon's ring turned counter-clockwise); null when refused.</param>
/// <param name="Error">Why it was refused: the field error of <paramref name="Field"/>.</param>
/// <param name="Field">The field refused: "geometry", or a member of it ("geometry.type").</param>
public sealed record GeometryCheck(GeoShape? Shape, string? Error, string Field = "geometry")
{
    public static GeometryCheck Valid(GeoShape shape) => new(shape, null);

    public static GeometryCheck Refused(string error, string field = "geometry") => new(null, error, field);
}

/// <summary>The rules of a measure's place.</summary>
public static class Places
{
    /// <summary>Berlin's bounding box (WGS84 degrees, a little margin around the Land's border): every position lies inside.</summary>
    public const double MinLongitude = 13.08, MaxLongitude = 13.77, MinLatitude = 52.33, MaxLatitude = 52.68;

    /// <summary>Most vertices of a polygon's ring (the closing position, a repeat of the first, not counted).</summary>
    public const int MaxVertices = 1000;

    /// <summary>Most districts one location may lie in (Berlin has twelve).</summary>
    public const int MaxDistricts = 12;

    public static bool InBerlin(GeoPosition p) =>
        p.Longitude is >= MinLongitude and <= MaxLongitude && p.Latitude is >= MinLatitude and <= MaxLatitude;
}

/// <summary>
/// Set or clear the measure's location. With a geometry (a GeoJSON Point or Polygon, WGS84,
/// longitude first, inside Berlin) and the districts it lies in, the location is set or replaced;
/// with "geometry": null (and no districts) it is cleared.
/// </summary>
public sealed record SetLocation(
    JsonElement? Geometry,
    [property: MaxLength(Places.MaxDistricts), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Districts))] IReadOnlyList<string>? Districts) : IMeasureCommand
{
    public static string Name => "set-location";

    /// <summary>The service's check of <see cref="Geometry"/>, filled in before deciding; never sent by clients.</summary>
    [JsonIgnore]
    public GeometryCheck? Checked { get; init; }

    /// <summary>Whether the command clears the location (no geometry sent, or null).</summary>
    [JsonIgnore]
    public bool Clears => Geometry is not { ValueKind: not JsonValueKind.Null };

    public void Validate(FieldErrors errors)
    {
        if (Clears)
        {
            if (Districts is { Count: > 0 })
            {
                errors.Add("districts", "Districts go with a geometry: to clear the location send \"geometry\": null and no districts.");
            }
            return;
        }
        // Without the check there is nothing to say about the geometry yet; Decide refuses to go on without it.
        if (Checked?.Error is { } error)
        {
            errors.Add(Checked.Field, error);
        }
        errors.Codes(Districts, "districts", StrategyCatalog.IsDistrict, "district (Bezirksamt)", min: 1);
        if (Districts is { Count: > Places.MaxDistricts })
        {
            errors.Add("districts", $"'districts' lists at most {Places.MaxDistricts} districts.");
        }
    }

    public Decision Decide(MeasureState state)
    {
        if (Clears)
        {
            return state.Location is null
                ? Decision.Violation("geometry", "The measure has no location to clear.")
                : Decision.Accept(new LocationCleared());
        }
        // Catalogue order, so the same districts in another order are the same location.
        var districts = StrategyCatalog.Districts.Select(d => d.Code).Where(Districts!.Contains).ToList();
        var shape = Checked?.Shape ?? throw new InvalidOperationException($"{Name} is decided with the service's check of the geometry.");
        var location = new MeasureLocation(shape, districts);
        return location.Equals(state.Location)
            ? Decision.Violation("geometry", "Nothing would change: the measure already has this location.")
            : Decision.Accept(new LocationSet(location.Geometry, location.Districts));
    }
}
