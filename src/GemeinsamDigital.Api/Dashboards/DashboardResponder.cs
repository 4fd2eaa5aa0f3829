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
public sealed class DashboardResponder(MonitoringReader reader, DashboardClock clock, DashboardFigureCache cache)
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
        // Live figures depend only on the rows (one set per projection sequence), the query and the
        // minute (overdue and inactivity count days): computed once per such key.
        var figures = asOf is null
            ? await cache.GetOrComputeAsync(dashboard + http.Request.QueryString.Value, snapshot.Freshness.EventSequence, snapshot.Now, () => compute(snapshot.Rows, filter, snapshot.Now))
            : compute(snapshot.Rows, filter, snapshot.Now);
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

/// <summary>
/// Live dashboard figures by dashboard and query, projection sequence and minute. One computation
/// per key: requests arriving while it runs await it instead of computing the same figures again.
/// </summary>
public sealed class DashboardFigureCache
{
    private const int MaxEntries = 2000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _entries = new();

    private sealed record Entry(long Sequence, long Minute, TaskCompletionSource<object> Figures)
    {
        public bool IsNewerThan(long sequence, long minute) => Sequence > sequence || (Sequence == sequence && Minute > minute);
    }

    public async Task<T> GetOrComputeAsync<T>(string key, long sequence, DateTimeOffset now, Func<T> compute)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        while (true)
        {
            var found = _entries.TryGetValue(key, out var entry);
            if (found && entry!.Sequence == sequence && entry.Minute == minute)
            {
                return (T)await entry.Figures.Task;
            }
            if (found && entry!.IsNewerThan(sequence, minute))
            {
                // This request read an older sequence than another one already did: its own figures, not kept.
                return compute();
            }
            var mine = new Entry(sequence, minute, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (found ? !_entries.TryUpdate(key, mine, entry!) : !TryAdd(key, mine))
            {
                continue;
            }
            try
            {
                var figures = compute()!;
                mine.Figures.SetResult(figures);
                return figures;
            }
            catch (Exception e)
            {
                _entries.TryRemove(KeyValuePair.Create(key, mine));
                mine.Figures.SetException(e);
                throw;
            }
        }
    }

    private bool TryAdd(string key, Entry entry)
    {
        if (_entries.Count >= MaxEntries)
        {
            // Bounded: an unusual spread of queries only costs recomputation.
            _entries.Clear();
        }
        return _entries.TryAdd(key, entry);
    }

    /// <summary>After a rebuild the same sequence may stand for other figures: forget them.</summary>
    public void Clear() => _entries.Clear();
}
