using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Measures;

/// <summary>
/// A page of located measures as a GeoJSON FeatureCollection (RFC 7946), the answer of
/// GET /api/measures to Accept: application/geo+json. Paging members beside "features" are foreign
/// members (RFC 7946 §6.1), as the JSON page has them: they count the located measures that match.
/// </summary>
/// <param name="Type">Always "FeatureCollection".</param>
/// <param name="Features">The page's located measures, in the list's order.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Features per page.</param>
/// <param name="Total">Located measures matching the filters (measures without a location are not in this answer).</param>
/// <param name="PageCount">Pages of located measures.</param>
public sealed record MeasureFeatureCollection(string Type, IReadOnlyList<MeasureFeature> Features, int Page, int PageSize, long Total, int PageCount)
{
    public static MeasureFeatureCollection Of(IEnumerable<MeasureState> measures, int page, int pageSize, long total, int pageCount) =>
        new("FeatureCollection", [.. measures.Where(m => m.Location is not null).Select(MeasureFeature.Of)], page, pageSize, total, pageCount);
}

/// <summary>One located measure.</summary>
/// <param name="Type">Always "Feature".</param>
/// <param name="Id">The measure's id.</param>
/// <param name="Geometry">Its location: a Point or a Polygon (ring counter-clockwise), [longitude, latitude].</param>
/// <param name="Properties">What a map shows of it.</param>
public sealed record MeasureFeature(string Type, Guid Id, GeoShape Geometry, MeasureFeatureProperties Properties)
{
    public static MeasureFeature Of(MeasureState m) =>
        new("Feature", m.Id, m.Location!.Geometry, new MeasureFeatureProperties(m.Title, m.Stage, m.Lead, m.Location.Districts, $"/api/measures/{m.Id:D}"));
}

/// <param name="Title">The measure's title.</param>
/// <param name="Stage">Its stage (code; stageLabel beside it).</param>
/// <param name="Lead">The lead administration (catalogue code).</param>
/// <param name="Districts">The districts the location lies in (Bezirksamt codes).</param>
/// <param name="Link">The measure itself.</param>
public sealed record MeasureFeatureProperties(string Title, MeasureStage Stage, string Lead, IReadOnlyList<string> Districts, string Link);
