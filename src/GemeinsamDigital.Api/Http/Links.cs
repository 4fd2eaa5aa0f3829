using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// RFC 8288 web links in the Link header, with absolute URLs built from the request's scheme, host
/// and path base, so a client follows them as they are.
/// </summary>
public static class Links
{
    /// <summary>The absolute URL of a path of this service (with query, if any) as the request reached it.</summary>
    public static string Absolute(HttpRequest request, string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0
            ? UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, new PathString(pathAndQuery))
            : UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, new PathString(pathAndQuery[..query]), new QueryString(pathAndQuery[query..]));
    }

    /// <summary>Adds links to the Link header (after those already there).</summary>
    public static void Add(HttpResponse response, params IEnumerable<(string Url, string Rel)> links)
    {
        var values = links.Select(l => $"<{l.Url}>; rel=\"{l.Rel}\"").ToArray();
        if (values.Length > 0)
        {
            response.Headers.Link = StringValues.Concat(response.Headers.Link, string.Join(", ", values));
        }
    }

    /// <summary>A measure's history, events, export and integrity check, on its successful answers only.</summary>
    public static void ToMeasureResources(HttpContext http, Guid id)
    {
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
            {
                var measure = $"/api/measures/{id}";
                Add(http.Response,
                    (Absolute(http.Request, measure + "/history"), "history"),
                    (Absolute(http.Request, measure + "/events"), "events"),
                    (Absolute(http.Request, measure + "/export"), "export"),
                    (Absolute(http.Request, measure + "/integrity"), "integrity"));
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// first, prev, next and last of a numbered page, as they apply: the request's own URL with only
    /// the page number changed, so every other query parameter (filters, sort, page size) is kept.
    /// Past the last page, prev leads back to the last.
    /// </summary>
    public static void ToPages(HttpContext http, int page, int pageCount, string pageParameter = "page")
    {
        var last = Math.Max(1, pageCount);
        var links = new List<(string, string)> { (PageUrl(http.Request, pageParameter, 1), "first") };
        if (page > 1)
        {
            links.Add((PageUrl(http.Request, pageParameter, Math.Min(page - 1, last)), "prev"));
        }
        if (page < pageCount)
        {
            links.Add((PageUrl(http.Request, pageParameter, page + 1), "next"));
        }
        links.Add((PageUrl(http.Request, pageParameter, last), "last"));
        Add(http.Response, links);
    }

    /// <summary>
    /// next of a list read by cursor: the request's own URL with the cursor parameter set (and
    /// <paramref name="dropped"/> left out), so every other query parameter is kept.
    /// </summary>
    public static void ToNext(HttpContext http, string cursorParameter, long cursor, string dropped) =>
        Add(http.Response, (WithParameter(http.Request, cursorParameter, cursor, dropped), "next"));

    private static string PageUrl(HttpRequest request, string pageParameter, int page) => WithParameter(request, pageParameter, page);

    private static string WithParameter(HttpRequest request, string parameter, long given, string? dropped = null)
    {
        var query = new QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (!key.Equals(parameter, StringComparison.OrdinalIgnoreCase) && !key.Equals(dropped, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    query.Add(key, value ?? "");
                }
            }
        }
        query.Add(parameter, given.ToString(CultureInfo.InvariantCulture));
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString());
    }
}
