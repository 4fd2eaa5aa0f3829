using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;

namespace GemeinsamDigital.Api.Http;

/// <summary>Section Limits.</summary>
public sealed class LimitSettings
{
    public const string Section = "Limits";

    /// <summary>Largest accepted request body; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest accepted body of an endpoint that takes a batch (<see cref="BatchBodyAttribute"/>): 1,000
    /// commands with texts of a real measure's length (a proposal with long problem statement and
    /// description takes several kilobytes) do not fit in <see cref="MaxRequestBodyBytes"/>.
    /// </summary>
    public long MaxBatchBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The body limit of the request's endpoint.</summary>
    public long BodyLimitFor(HttpContext http) =>
        http.GetEndpoint()?.Metadata is not { } metadata ? MaxRequestBodyBytes
        // An endpoint that takes files (imports) states its own limit.
        : metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } own ? own
        : metadata.GetMetadata<BatchBodyAttribute>() is not null ? MaxBatchBodyBytes
        : MaxRequestBodyBytes;

    /// <summary>Longest accepted path and query (as sent, percent-encoded); longer ones get 414.</summary>
    public int MaxRequestTargetLength { get; set; } = 8 * 1024;

    /// <summary>
    /// The server's own request line limit, far above <see cref="MaxRequestTargetLength"/>: the server
    /// answers a longer line with a bare 414 before the application sees it, so ours must come first.
    /// </summary>
    public const int ServerRequestLineBytes = 64 * 1024;

    public RateLimitSettings RateLimit { get; set; } = new();
}

/// <summary>Marks an endpoint that takes a batch: its body may be as large as <see cref="LimitSettings.MaxBatchBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BatchBodyAttribute : Attribute;

/// <summary>
/// The one rate limiter (ASP.NET Core's partitioned fixed windows, the global limiter of the rate limiting
/// middleware) and what it tells a client about its own partition: quota, what is left (the partition's
/// statistics) and when the window resets (windows start when the partition's limiter is created and
/// are renewed every <see cref="RateLimitSettings.Window"/> from then on). Announced as the IETF httpapi
/// draft's structured fields: <c>RateLimit-Policy: "client";q=600;w=60</c>, <c>RateLimit: "client";r=599;t=42</c>.
/// </summary>
public sealed class RateLimitPolicies
{
    /// <summary>Policy name for authenticated callers (API key or token subject).</summary>
    public const string Client = "client";

    /// <summary>Policy name for callers without credentials, counted per remote address.</summary>
    public const string Anonymous = "anonymous";

    private readonly RateLimitSettings _settings;
    private readonly TimeProvider _clock;
    // Per partition: when its windows started, and when it was last asked about.
    private readonly ConcurrentDictionary<string, (long Start, long Seen)> _windows = new();

    /// <summary>Above this many partitions remembered, those not seen for two windows are forgotten (the limiter dropped them).</summary>
    private const int RememberedPartitions = 4096;

    public RateLimitPolicies(RateLimitSettings settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var (policy, key) = PartitionOf(http);
            return RateLimitPartition.GetFixedWindowLimiter(key, k =>
            {
                // Called once when the partition's limiter is made (again after it was idle and dropped):
                // its timer renews the window every Window from now.
                var now = _clock.GetTimestamp();
                _windows[k] = (now, now);
                Forget(now);
                return new FixedWindowRateLimiterOptions
                {
                    PermitLimit = QuotaOf(policy),
                    Window = _settings.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                };
            });
        });
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>The caller's partition as its limiter sees it now.</summary>
    public RateLimitState Current(HttpContext http)
    {
        var (policy, key) = PartitionOf(http);
        var remaining = Limiter.GetStatistics(http)?.CurrentAvailablePermits ?? 0;
        return new RateLimitState(policy, QuotaOf(policy), (int)_settings.Window.TotalSeconds, (int)Math.Max(0, remaining), ResetSeconds(key));
    }

    /// <summary>Sets the headers now (for an answer the rate limiter itself writes).</summary>
    public RateLimitState Announce(HttpContext http)
    {
        var state = Current(http);
        Write(http.Response.Headers, state);
        return state;
    }

    public static void Write(IHeaderDictionary headers, RateLimitState state)
    {
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{state.Policy}\";q={state.Quota};w={state.WindowSeconds}");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{state.Policy}\";r={state.Remaining};t={state.ResetSeconds}");
    }

    private (string Policy, string Key) PartitionOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? (Client, "client:" + IdempotencyRequest.CallerOf(http.User))
            : (Anonymous, "address:" + http.Connection.RemoteIpAddress);

    private int QuotaOf(string policy) => policy == Client ? _settings.PermitLimit : _settings.AnonymousPermitLimit;

    /// <summary>
    /// Keeps the memory bounded however many addresses call: a partition the limiter dropped as idle is
    /// made again (with a new start) when its caller returns, and one forgotten too early only makes
    /// its reset read as a whole window.
    /// </summary>
    private void Forget(long now)
    {
        if (_windows.Count <= RememberedPartitions)
        {
            return;
        }
        var idle = 2 * _settings.Window;
        foreach (var (key, known) in _windows)
        {
            if (_clock.GetElapsedTime(known.Seen, now) > idle)
            {
                _windows.TryRemove(new KeyValuePair<string, (long, long)>(key, known));
            }
        }
    }

    /// <summary>Whole seconds until the caller's window is renewed (rounded up; the window itself if unknown).</summary>
    private int ResetSeconds(string key)
    {
        var window = _settings.Window;
        if (!_windows.TryGetValue(key, out var known) || window <= TimeSpan.Zero)
        {
            return (int)Math.Ceiling(window.TotalSeconds);
        }
        var now = _clock.GetTimestamp();
        _windows.TryUpdate(key, (known.Start, now), known);
        var elapsed = _clock.GetElapsedTime(known.Start, now);
        var intoWindow = TimeSpan.FromTicks(elapsed.Ticks % window.Ticks);
        return Math.Max(0, (int)Math.Ceiling((window - intoWindow).TotalSeconds));
    }
}

/// <summary>One answer's view of its rate-limit partition.</summary>
public sealed record RateLimitState(string Policy, int Quota, int WindowSeconds, int Remaining, int ResetSeconds);

/// <summary>Fixed windows per client: an authenticated caller (API key or token subject), else the remote address.</summary>
public sealed class RateLimitSettings
{
    public int PermitLimit { get; set; } = 600;
    public int AnonymousPermitLimit { get; set; } = 120;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(LimitSettings.Section).Get<LimitSettings>() ?? new LimitSettings();
        services.AddSingleton(settings);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestLineSize = Math.Max(LimitSettings.ServerRequestLineBytes, settings.MaxRequestTargetLength + 1024));
        var policies = new RateLimitPolicies(settings.RateLimit, TimeProvider.System);
        services.AddSingleton(policies);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = policies.Limiter;
            o.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var state = policies.Announce(http);
                var seconds = Math.Max(1, state.ResetSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.TooManyRequests(seconds).ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>
    /// RateLimit-Policy and RateLimit on every answer the rate limiter counted (after it, so a 429 sets them itself),
    /// added when the answer starts so an error handler that clears the headers does not drop them.
    /// </summary>
    public static WebApplication UseRateLimitHeaders(this WebApplication app)
    {
        var policies = app.Services.GetRequiredService<RateLimitPolicies>();
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null)
            {
                var state = policies.Current(http);
                http.Response.OnStarting(() =>
                {
                    RateLimitPolicies.Write(http.Response.Headers, state);
                    return Task.CompletedTask;
                });
            }
            await next(http);
        });
        return app;
    }

    /// <summary>414 for a path and query over the limit, as a problem (the server's own 414 has no body).</summary>
    public static WebApplication UseRequestTargetLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<LimitSettings>().MaxRequestTargetLength;
        app.Use(async (http, next) =>
        {
            var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
            var length = string.IsNullOrEmpty(target)
                ? http.Request.PathBase.Add(http.Request.Path).ToUriComponent().Length + http.Request.QueryString.ToUriComponent().Length
                : target.Length;
            if (length > limit)
            {
                await Problems.UriTooLong(limit).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>413 for bodies over the limit (the endpoint's, see <see cref="LimitSettings.BodyLimitFor"/>), whether announced by Content-Length or only found while reading.</summary>
    public static WebApplication UseBodySizeLimit(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<LimitSettings>();
        app.Use(async (http, next) =>
        {
            var limit = settings.BodyLimitFor(http);
            if (http.Request.ContentLength > limit)
            {
                await Problems.PayloadTooLarge(limit).ExecuteAsync(http);
                return;
            }
            // This stream is the one limit; the server's own would surface as a 400 from the JSON reader.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
            {
                serverLimit.MaxRequestBodySize = null;
            }
            var limited = new LengthLimitedStream(http.Request.Body, limit);
            http.Request.Body = limited;
            // Buffered, so a body the JSON reader refused can be read again for the path of the member at
            // fault (FrameworkProblems); small bodies stay in memory, larger ones go to a temporary file.
            http.Request.EnableBuffering();
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException) when (limited.Exceeded && !http.Response.HasStarted)
            {
                // Thrown where the body was read before the endpoint (e.g. hashed for Idempotency-Key).
            }
            if (limited.Exceeded && !http.Response.HasStarted)
            {
                // Whoever read the body turned the overflow into its own error; the cause is the size.
                http.Response.Clear();
                await Problems.PayloadTooLarge(limit).ExecuteAsync(http);
            }
        });
        return app;
    }

    /// <summary>Counts what is read and throws once more than the limit was read.</summary>
    private sealed class LengthLimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException($"The request body exceeds {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
