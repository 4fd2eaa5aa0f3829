using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Dashboards;

/// <summary>A dashboard's JSON answer: what it reflects, the filter applied, and the figures.</summary>
public sealed record DashboardResponse<T>(string Dashboard, Freshness Freshness, DashboardFilter Filter, T Figures);

/// <summary>
/// The one path every dashboard takes: negotiate JSON or CSV (406 otherwise), validate the
/// parameters (400), load monitoring rows live or as of a moment, compute the figures with the
/// pure dashboard function, and answer with the freshness in headers and body.
/// </summary>
public sealed class DashboardResponder(MonitoringReader reader, DashboardClock clock)
{
    public const string SequenceHeader = "X-Event-Sequence";
    public const string LagHeader = "X-Projection-Lag";
    public const string BasisHeader = "X-Figures-Basis";
    public const string JsonType = "application/json";
    public const string CsvType = "text/csv";

    public static readonly IReadOnlyList<string> Supported = [JsonType, CsvType];

    public async Task<IResult> Answer<T>(
        HttpContext http,
        string dashboard,
        DashboardParameters parameters,
        FieldErrors errors,
        Func<IReadOnlyList<MonitoringRow>, DashboardFilter, DateTimeOffset, T> compute,
        Func<T, CsvTable> csv,
        CancellationToken ct)
    {
        http.Response.Headers.Vary = "Accept";
        var format = Negotiate(http.Request);
        if (format is null)
        {
            return Problems.NotAcceptable(http.Request.Headers.Accept.ToString(), Supported);
        }
        var (filter, asOf) = parameters.Parse(errors, clock.Now);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var snapshot = asOf is { } moment ? await reader.AsOfAsync(moment, ct) : await reader.LiveAsync(ct);
        var figures = compute(snapshot.Rows, filter, snapshot.Now);
        var freshness = snapshot.Freshness;
        http.Response.Headers[SequenceHeader] = freshness.EventSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[LagHeader] = freshness.Lag.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[BasisHeader] = freshness.Basis;
        return format == CsvType
            ? Results.Text(Csv.Write(csv(figures), freshness), Csv.ContentType)
            : Results.Ok(new DashboardResponse<T>(dashboard, freshness, filter, figures));
    }

    /// <summary>JSON or CSV by the Accept header (highest quality first; none means JSON); null when neither is acceptable.</summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString()))
        {
            return JsonType;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return null;
        }
        foreach (var type in types.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1))
        {
            var media = type.MediaType.Value?.ToLowerInvariant();
            switch (media)
            {
                case "application/json" or "application/*" or "*/*":
                    return JsonType;
                case "text/csv" or "text/*":
                    return CsvType;
            }
        }
        return null;
    }
}
