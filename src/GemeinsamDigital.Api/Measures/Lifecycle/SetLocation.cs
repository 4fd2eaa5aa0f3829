using System.Globalization;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class SetLocationEndpoint
{
    [WolverinePost("/api/measures/{id}/set-location", OperationId = "setLocation")]
    [EndpointSummary("Set, replace or clear where the measure takes place.")]
    [EndpointDescription("A GeoJSON Point or Polygon (RFC 7946: WGS84, [longitude, latitude]; a polygon is one closed, valid ring of at most 1000 vertices, without holes) inside Berlin's bounding box 13.08–13.77 E, 52.33–52.68 N, and the districts (Bezirksamt codes) it lies in; \"geometry\": null clears the location. A polygon is stored with its ring counter-clockwise. At any stage but Archived. Malformed or out-of-Berlin geometry: 400 naming 'geometry'.")]
    public static Task<IResult> Post(Guid id, SetLocation? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}

/// <summary>
/// The check of a location's geometry, in the service because it takes NetTopologySuite (the domain
/// stays free of libraries): the shape of the GeoJSON, Berlin's box and the vertex limit first (cheap,
/// with messages that say what to change), then NetTopologySuite reads it (GeoJSON4STJ) and checks a
/// polygon's validity (no self-intersection). What passes is handed to the decision as a
/// <see cref="GeoShape"/>, a polygon's ring turned counter-clockwise (RFC 7946's right-hand rule).
/// </summary>
public static class GeometryValidation
{
    private static readonly JsonSerializerOptions _geoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    private static readonly string _box = string.Create(CultureInfo.InvariantCulture,
        $"longitude {Places.MinLongitude}–{Places.MaxLongitude}, latitude {Places.MinLatitude}–{Places.MaxLatitude}");

    // Text that is not valid UTF-16 (a lone surrogate) cannot be decoded: it is no type name either.
    private static bool Is(JsonElement member, string text)
    {
        try
        {
            return member.ValueEquals(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static GeometryCheck Check(JsonElement geometry)
    {
        if (geometry.ValueKind != JsonValueKind.Object)
        {
            return GeometryCheck.Refused("'geometry' must be a GeoJSON geometry object: {\"type\": \"Point\" or \"Polygon\", \"coordinates\": …}, or null to clear the location.");
        }
        if (geometry.TryGetProperty("crs", out _))
        {
            return GeometryCheck.Refused("'geometry' may not carry 'crs': GeoJSON (RFC 7946) is always WGS84, longitude first.");
        }
        if (!geometry.TryGetProperty("type", out var typeMember) || typeMember.ValueKind != JsonValueKind.String)
        {
            return GeometryCheck.Refused("'geometry' needs its 'type': \"Point\" or \"Polygon\".");
        }
        var type = Is(typeMember, GeoShape.PointType) ? GeoShape.PointType : Is(typeMember, GeoShape.PolygonType) ? GeoShape.PolygonType : null;
        if (type is null)
        {
            // The sent text is not echoed: it may be anything (control characters, lone surrogates, megabytes).
            return GeometryCheck.Refused("A location is a \"Point\" or a \"Polygon\" (GeoJSON type names, case-sensitive).", "geometry.type");
        }
        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            return GeometryCheck.Refused("'geometry' needs its 'coordinates' (an array).");
        }
        var positions = type == GeoShape.PointType ? Point(coordinates, out var shapeError) : Ring(coordinates, out shapeError);
        if (shapeError is not null)
        {
            return GeometryCheck.Refused(shapeError);
        }
        if (positions!.FindIndex(p => !Places.InBerlin(p)) is >= 0 and var index)
        {
            var outside = positions[index];
            var swapped = Places.InBerlin(new GeoPosition(outside.Latitude, outside.Longitude));
            return GeometryCheck.Refused(string.Create(CultureInfo.InvariantCulture, $"The position [{outside.Longitude}, {outside.Latitude}] lies outside Berlin's bounding box ({_box})")
                + (swapped ? ": it reads as [latitude, longitude]; GeoJSON writes longitude first." : "."));
        }

        Geometry read;
        try
        {
            read = geometry.Deserialize<Geometry>(_geoJson) ?? throw new JsonException("no geometry");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return GeometryCheck.Refused($"'geometry' is not a valid GeoJSON {type}: {e.Message}");
        }
        switch (read)
        {
            case Point point:
                return GeometryCheck.Valid(GeoShape.Point(new GeoPosition(point.X, point.Y)));
            case Polygon polygon:
                var validity = new IsValidOp(polygon);
                if (!validity.IsValid)
                {
                    var error = validity.ValidationError;
                    return GeometryCheck.Refused(string.Create(CultureInfo.InvariantCulture,
                        $"The polygon is not valid: {error.Message} at [{error.Coordinate.X}, {error.Coordinate.Y}]."));
                }
                var ring = polygon.ExteriorRing.Coordinates;
                if (!Orientation.IsCCW(ring))
                {
                    // RFC 7946: exterior rings are counter-clockwise. Stored so, every reader gets it so.
                    Array.Reverse(ring = (Coordinate[])ring.Clone());
                }
                return GeometryCheck.Valid(GeoShape.Polygon([ring.Select(c => new GeoPosition(c.X, c.Y))]));
            default:
                return GeometryCheck.Refused($"A location is a \"Point\" or a \"Polygon\", not a '{read.GeometryType}'.");
        }
    }

    private static List<GeoPosition>? Point(JsonElement coordinates, out string? error)
    {
        var position = Position(coordinates, "coordinates", out error);
        return position is { } p ? [p] : null;
    }

    private static List<GeoPosition>? Ring(JsonElement coordinates, out string? error)
    {
        error = null;
        var rings = coordinates.GetArrayLength();
        if (rings != 1)
        {
            error = rings == 0
                ? "A polygon's 'coordinates' hold its ring: [[[lon, lat], …, [lon, lat]]]."
                : "A location's polygon has one ring and no holes: 'coordinates' holds exactly one ring.";
            return null;
        }
        var ring = coordinates[0];
        if (ring.ValueKind != JsonValueKind.Array)
        {
            error = "A polygon's ring is an array of positions [lon, lat].";
            return null;
        }
        var count = ring.GetArrayLength();
        if (count > Places.MaxVertices + 1)
        {
            error = $"A polygon has at most {Places.MaxVertices} vertices (its ring at most {Places.MaxVertices + 1} positions, the closing one included); this one has {count} positions.";
            return null;
        }
        if (count < 4)
        {
            error = "A polygon's ring needs at least 4 positions: three vertices and the first one again to close it.";
            return null;
        }
        var positions = new List<GeoPosition>(count);
        var i = 0;
        foreach (var item in ring.EnumerateArray())
        {
            if (Position(item, $"coordinates[0][{i++}]", out error) is not { } position)
            {
                return null;
            }
            positions.Add(position);
        }
        if (positions[0] != positions[^1])
        {
            error = "The polygon's ring is not closed: its last position must repeat its first.";
            return null;
        }
        return positions;
    }

    private static GeoPosition? Position(JsonElement position, string path, out string? error)
    {
        error = null;
        if (position.ValueKind == JsonValueKind.Array && position.GetArrayLength() == 2
            && position[0].ValueKind == JsonValueKind.Number && position[1].ValueKind == JsonValueKind.Number
            && position[0].TryGetDouble(out var longitude) && position[1].TryGetDouble(out var latitude)
            && double.IsFinite(longitude) && double.IsFinite(latitude))
        {
            return new GeoPosition(longitude, latitude);
        }
        error = $"'{path}' must be a position of two numbers: [longitude, latitude].";
        return null;
    }
}
