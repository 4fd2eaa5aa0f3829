using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>A dashboard's JSON answer: what it reflects, the filter applied, and the figures.</summary>
public sealed record DashboardResponse<T>(string Dashboard, Freshness Freshness, DashboardFilter Filter, T Figures);

/// <summary>
/// The one path every dashboard takes: negotiate JSON or CSV (<see cref="Tables"/>), validate the
/// parameters (400), load monitoring rows live or as of a moment, compute the figures with the
/// pure dashboard function, and answer with the freshness in headers and body.
/// </summary>
public sealed class DashboardResponder(MonitoringReader reader, DashboardClock clock, DashboardFigureCache cache)
{
    public const string SequenceHeader = "X-Event-Sequence";
    public const string LagHeader = "X-Projection-Lag";
    public const string BasisHeader = "X-Figures-Basis";

    public async Task<IResult> Answer<T>(
        HttpContext http,
        string dashboard,
        DashboardParameters parameters,
        FieldErrors errors,
        Func<IReadOnlyList<MonitoringRow>, DashboardFilter, DateTimeOffset, T> compute,
        Func<T, CsvTable> csv,
        CancellationToken ct,
        string? dependsOn = null)
    {
        http.Response.Headers.Vary = "Accept, " + Languages.VaryBy;
        var language = Languages.Of(http.Request);
        http.Response.Headers.ContentLanguage = language;
        if (Tables.Choose(http.Request, parameters.Format, out var refused) is not { } format)
        {
            return refused!;
        }
        var (filter, asOf) = parameters.Parse(errors, clock.Now);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var snapshot = asOf is { } moment ? await reader.AsOfAsync(moment, ct) : await reader.LiveAsync(ct);
        T figures;
        var freshness = snapshot.Freshness;
        if (asOf is null)
        {
            // Live figures depend only on the rows (one set per projection sequence), the query and the
            // minute (overdue and inactivity count days): computed once per such key. While a newer
            // sequence is still being computed the figures of the one before may answer, stating
            // that sequence and the lag behind the newest event.
            // The figures do not depend on the answer format: JSON and both CSV dialects share them.
            // computedAt is when the figures were computed, so every answer with the same figures has the
            // same bytes (and the same ETag: a polling client gets 304 until they change).
            var query = string.Join('&', http.Request.Query.Where(q => !string.Equals(q.Key, Tables.Parameter, StringComparison.OrdinalIgnoreCase))
                .OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key + "=" + q.Value));
            var ((live, computedAt), sequence) = await cache.GetOrComputeAsync(
                // The path, not the dashboard's name: a roll-up's path names its programme.
                http.Request.Path + "?" + query + (dependsOn is null ? "" : "#" + dependsOn), freshness.EventSequence, snapshot.Now, () => (compute(snapshot.Rows, filter, snapshot.Now), snapshot.Now));
            figures = live;
            freshness = freshness with { ComputedAt = computedAt };
            if (sequence != freshness.EventSequence)
            {
                freshness = freshness with { EventSequence = sequence, Lag = Math.Max(0, freshness.EventSequence + freshness.Lag - sequence) };
            }
        }
        else
        {
            figures = compute(snapshot.Rows, filter, snapshot.Now);
        }
        http.Response.Headers[SequenceHeader] = freshness.EventSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[LagHeader] = freshness.Lag.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[BasisHeader] = freshness.Basis;
        // Labels in English when asked for (Accept-Language): the figures themselves are the same.
        var english = language == Languages.English;
        if (format != AnswerFormat.Json)
        {
            var table = csv(figures);
            return new CsvResult(Csv.Write(DashboardCsv.WithFreshness(english ? Languages.ToEnglish(table) : table, freshness), Tables.DialectOf(format)), "dashboard-" + dashboard);
        }
        return english
            ? Results.Ok(new DashboardResponse<System.Text.Json.Nodes.JsonNode?>(dashboard, freshness, filter,
                Languages.ToEnglish(System.Text.Json.JsonSerializer.SerializeToNode(figures, ApiJson.Options))))
            : Results.Ok(new DashboardResponse<T>(dashboard, freshness, filter, figures));
    }
}

/// <summary>Configuration section "Dashboards".</summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboards";

    /// <summary>
    /// How long a live request waits for the rows or figures of a newer projection sequence while
    /// another request loads or computes them, before it answers with those of the sequence before
    /// (stating that sequence and its lag). Small portfolios are done well within it; large ones keep
    /// answering fast while commands move the projection. Not limited: the first rows after start
    /// and the first figures of a dashboard and query.
    /// </summary>
    public TimeSpan RecomputeWait { get; set; } = TimeSpan.FromMilliseconds(5);

    public static DashboardSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<DashboardSettings>() ?? new DashboardSettings();
        if (settings.RecomputeWait < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:RecomputeWait must not be negative.");
        }
        return settings;
    }
}

/// <summary>
/// Live dashboard figures by dashboard and query, projection sequence and minute. One computation
/// per key at a time: requests arriving while it runs await it (up to <see cref="DashboardSettings.RecomputeWait"/>
/// when figures of an earlier sequence exist, then those answer) instead of computing them again.
/// </summary>
public sealed class DashboardFigureCache(DashboardSettings settings)
{
    private const int MaxEntries = 2000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _entries = new();

    private sealed class Entry(long sequence, long minute, Task<object> figures, Entry? previous)
    {
        public long Sequence { get; } = sequence;

        public long Minute { get; } = minute;

        public Task<object> Figures { get; } = figures;

        /// <summary>The last computed figures of this key while these are computed; dropped afterwards.</summary>
        public Entry? Previous { get; set; } = previous;

        public bool IsNewerThan(long sequence, long minute) => Sequence > sequence || (Sequence == sequence && Minute > minute);
    }

    /// <returns>The figures and the projection sequence they reflect (earlier than <paramref name="sequence"/> while that one is computed).</returns>
    public async Task<(T Figures, long Sequence)> GetOrComputeAsync<T>(string key, long sequence, DateTimeOffset now, Func<T> compute)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        while (true)
        {
            var found = _entries.TryGetValue(key, out var entry);
            if (found && (entry!.IsNewerThan(sequence, minute) || (entry.Sequence == sequence && entry.Minute == minute)))
            {
                // Same key, or another request already read a newer sequence: its figures are at least as fresh.
                return await Within<T>(entry);
            }
            if (found && !entry!.Figures.IsCompleted)
            {
                // One computation per key at a time: over 100,000 measures one takes ~0.1 s of a core, and
                // the projection moves more often than that under commands. A newer sequence waits for the
                // running one (at most RecomputeWait when earlier figures exist, which then answer), and
                // the request after it computes the newest.
                if (entry.Previous is { } before
                    && await Task.WhenAny(entry.Figures, Task.Delay(settings.RecomputeWait)) != entry.Figures
                    && before.Figures.IsCompletedSuccessfully)
                {
                    return ((T)before.Figures.Result, before.Sequence);
                }
                await ((Task)entry.Figures).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            var previous = found && entry!.Figures.IsCompletedSuccessfully ? entry : null;
            var computing = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var mine = new Entry(sequence, minute, computing.Task, previous);
            if (found ? !_entries.TryUpdate(key, mine, entry!) : !TryAdd(key, mine))
            {
                continue;
            }
            if (previous is null)
            {
                Compute(key, mine, computing, compute);
                return ((T)await mine.Figures, sequence);
            }
            // Its own thread: at 100,000 measures a computation takes long enough to starve the request pool.
            _ = Task.Factory.StartNew(() => Compute(key, mine, computing, compute), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return await Within<T>(mine);
        }
    }

    private async Task<(T Figures, long Sequence)> Within<T>(Entry entry)
    {
        if (!entry.Figures.IsCompleted && entry.Previous is { } previous)
        {
            if (await Task.WhenAny(entry.Figures, Task.Delay(settings.RecomputeWait)) != entry.Figures)
            {
                return ((T)previous.Figures.Result, previous.Sequence);
            }
        }
        return ((T)await entry.Figures, entry.Sequence);
    }

    private void Compute<T>(string key, Entry entry, TaskCompletionSource<object> computing, Func<T> compute)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var figures = compute()!;
            Telemetry.DashboardRecomputed(key[..Math.Max(0, key.IndexOf('?'))], System.Diagnostics.Stopwatch.GetElapsedTime(started));
            computing.SetResult(figures);
        }
        catch (Exception e)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            computing.SetException(e);
        }
        entry.Previous = null;
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
