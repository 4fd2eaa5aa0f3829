using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
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

    /// <summary>Longest accepted path and query (as sent, percent-encoded); longer ones get 414.</summary>
    public int MaxRequestTargetLength { get; set; } = 8 * 1024;

    /// <summary>
    /// The server's own request line limit, far above <see cref="MaxRequestTargetLength"/>: the server
    /// answers a longer line with a bare 414 before the application sees it, so ours must come first.
    /// </summary>
    public const int ServerRequestLineBytes = 64 * 1024;

    public RateLimitSettings RateLimit { get; set; } = new();
}

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
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity?.IsAuthenticated == true
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + IdempotencyRequest.CallerOf(http.User),
                        _ => Window(settings.RateLimit.PermitLimit, settings.RateLimit.Window))
                    : RateLimitPartition.GetFixedWindowLimiter("address:" + http.Connection.RemoteIpAddress,
                        _ => Window(settings.RateLimit.AnonymousPermitLimit, settings.RateLimit.Window)));
            o.OnRejected = async (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : settings.RateLimit.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.TooManyRequests(seconds).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

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

    /// <summary>413 for bodies over the limit, whether announced by Content-Length or only found while reading.</summary>
    public static WebApplication UseBodySizeLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<LimitSettings>().MaxRequestBodyBytes;
        app.Use(async (http, next) =>
        {
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
