using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

/// <summary>
/// The webhook workload's two clients of the service: a receiver of deliveries that measures how
/// long each took from its change's commit, and a reader long-polling the change feed.
/// </summary>
internal static class WebhookBench
{
    /// <summary>
    /// webhook-receiver: Kestrel on a loopback port; every POST to /hook/{n} is answered 200 at once.
    /// Per request it records the receive time minus the change's data.timestamp (the event's
    /// timestamp, which PostgreSQL stamps when the command's transaction starts: the figure
    /// overstates the time from commit by the transaction's own duration) for the first receipt of
    /// each webhook-id, and counts repeats. GET /stats answers the figures so far, POST /reset
    /// clears them, GET /count
    /// answers only the counts (polled while waiting for a backlog); the figures are written to <paramref name="outPath"/> on SIGINT/SIGTERM or POST /stop.
    /// </summary>
    public static async Task<int> ReceiveAsync(int port, string outPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        var receipts = new Receipts();
        app.MapPost("/hook/{n}", async (HttpContext http, string n) =>
        {
            var received = DateTimeOffset.UtcNow;
            DateTimeOffset? committed = null;
            try
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body);
                committed = body.RootElement.GetProperty("data").GetProperty("timestamp").GetDateTimeOffset();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
            }
            receipts.Add(http.Request.Headers["webhook-id"].ToString(), n, received, committed);
            return Results.Ok();
        });
        app.MapGet("/stats", () => Results.Json(receipts.Figures()));
        app.MapGet("/count", () => Results.Json(receipts.Count()));
        app.MapPost("/reset", () =>
        {
            receipts.Reset();
            return Results.NoContent();
        });
        app.MapPost("/stop", (IHostApplicationLifetime lifetime) =>
        {
            lifetime.StopApplication();
            return Results.NoContent();
        });
        await app.RunAsync();
        await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(receipts.Figures()));
        return 0;
    }

    /// <summary>
    /// feed-follower: one client following GET /api/changes?after=…&amp;wait=30&amp;limit=1000 from
    /// <paramref name="after"/> until SIGINT/SIGTERM; for each answer with changes it records the answer's
    /// arrival minus the newest change's timestamp. Writes its figures to <paramref name="outPath"/>.
    /// </summary>
    public static async Task<int> FollowAsync(string baseUrl, string key, long after, string outPath)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var latencies = new List<double>();
        long answers = 0, empty = 0, changes = 0, errors = 0;
        var cursor = after;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync($"/api/changes?after={cursor}&wait=30&limit=1000", stop.Token);
                var arrived = DateTimeOffset.UtcNow;
                response.EnsureSuccessStatusCode();
                using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token));
                var items = page.RootElement.GetProperty("items");
                answers++;
                if (items.GetArrayLength() == 0)
                {
                    empty++;
                }
                else
                {
                    changes += items.GetArrayLength();
                    latencies.Add((arrived - items[items.GetArrayLength() - 1].GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds);
                }
                cursor = long.Parse(response.Headers.GetValues("X-Event-Sequence").First(), CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
            {
                if (++errors <= 3)
                {
                    Console.Error.WriteLine($"feed-follower: {e.Message}");
                }
                await Task.Delay(100, CancellationToken.None);
            }
        }
        var figures = new Dictionary<string, object>
        {
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["answers"] = answers,
            ["empty_answers"] = empty,
            ["changes"] = changes,
            ["errors"] = errors,
        };
        foreach (var (name, value) in Percentiles(latencies))
        {
            figures[name] = value;
        }
        await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(figures));
        return 0;
    }

    /// <summary>p50, p99 and max of a list of milliseconds (nearest rank, as the other workloads' figures).</summary>
    public static IEnumerable<(string Name, double Value)> Percentiles(List<double> values)
    {
        values.Sort();
        double At(double p) => values.Count == 0 ? 0 : values[Math.Min(values.Count - 1, (int)Math.Round(p / 100 * (values.Count - 1)))];
        yield return ("p50_ms", Math.Round(At(50), 1));
        yield return ("p99_ms", Math.Round(At(99), 1));
        yield return ("max_ms", Math.Round(values.Count == 0 ? 0 : values[^1], 1));
    }

    private sealed class Receipts
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _ids = [];
        private readonly List<double> _latencies = [];
        private readonly Dictionary<string, long> _perReceiver = [];
        private readonly SortedDictionary<long, long> _perSecond = [];
        private long _requests, _repeats, _unreadable;
        private DateTimeOffset? _first, _last;

        public void Add(string id, string receiver, DateTimeOffset received, DateTimeOffset? committed)
        {
            lock (_lock)
            {
                _requests++;
                _first ??= received;
                _last = received;
                var second = received.ToUnixTimeSeconds();
                _perSecond[second] = _perSecond.GetValueOrDefault(second) + 1;
                if (string.IsNullOrEmpty(id) || committed is null)
                {
                    _unreadable++;
                }
                else if (!_ids.Add(id))
                {
                    _repeats++;
                }
                else
                {
                    _latencies.Add((received - committed.Value).TotalMilliseconds);
                    _perReceiver[receiver] = _perReceiver.GetValueOrDefault(receiver) + 1;
                }
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _ids.Clear();
                _latencies.Clear();
                _perReceiver.Clear();
                _perSecond.Clear();
                _requests = _repeats = _unreadable = 0;
                _first = _last = null;
            }
        }

        public object Count()
        {
            lock (_lock)
            {
                return new { requests = _requests, distinct = (long)_ids.Count, last_unix_ms = _last?.ToUnixTimeMilliseconds() };
            }
        }

        public Dictionary<string, object?> Figures()
        {
            lock (_lock)
            {
                var figures = new Dictionary<string, object?>
                {
                    ["requests"] = _requests,
                    ["distinct"] = (long)_ids.Count,
                    ["repeats"] = _repeats,
                    ["unreadable"] = _unreadable,
                    ["first_unix_ms"] = _first?.ToUnixTimeMilliseconds(),
                    ["last_unix_ms"] = _last?.ToUnixTimeMilliseconds(),
                    ["per_receiver"] = new SortedDictionary<string, long>(_perReceiver),
                    ["per_second"] = _perSecond.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
                };
                foreach (var (name, value) in Percentiles([.. _latencies]))
                {
                    figures[name] = value;
                }
                return figures;
            }
        }
    }
}
