using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Marks a read that answers an ETag and honours If-None-Match with 304 (<see cref="ConditionalReads"/>):
/// a polling client that already has the answer gets no body. One line on any GET endpoint.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConditionalReadAttribute : Attribute;

/// <summary>
/// The one mechanism behind <see cref="ConditionalReadAttribute"/>. A GET answered 200
/// is held back until complete; unless the endpoint set an ETag of its own, it gets a strong one
/// computed from what the client reads: SHA-256 over the body's bytes, its Content-Type and the
/// cursor header X-Event-Sequence (the list's cursor is in no body), the first 18 bytes base64url,
/// quoted. When If-None-Match lists that tag (or is "*"), the answer is 304 without a body, with
/// the same ETag, Cache-Control, Vary and the endpoint's other headers (X-Event-Sequence, Link, …).
/// The endpoint still runs its query; only the bytes are saved. Answers larger than
/// <see cref="MaxTaggedBytes"/> are streamed as they are, without a tag.
/// </summary>
public static class ConditionalReads
{
    /// <summary>Answers up to this size are held back and tagged; larger ones go out as they are written.</summary>
    public const int MaxTaggedBytes = 8 * 1024 * 1024;

    /// <summary>Longer If-None-Match headers are not read (they match nothing): no tag of ours, nor a sensible list of them, is that long.</summary>
    public const int MaxIfNoneMatch = 1000;

    /// <summary>Bytes of the SHA-256 kept in a tag: 18 bytes are 24 base64url characters (no padding).</summary>
    private const int TagBytes = 18;

    /// <summary>A tag: 24 characters and the quotes.</summary>
    public const int TagLength = 26;

    /// <summary>Unless the endpoint chose its own: revalidate every time (no-cache), and no shared cache keeps it (private: answers may depend on the caller).</summary>
    public const string CachePolicy = "private, no-cache";

    /// <summary>What an answer may depend on besides its address: the table format, and the caller's credentials.</summary>
    public static readonly IReadOnlyList<string> VaryBy = [HeaderNames.Accept, HeaderNames.Authorization, AuthSchemes.ApiKeyHeader];

    /// <summary>
    /// After authorization: a caller refused (401, 403) gets that answer whatever it sends in
    /// If-None-Match, and only answers the caller may read are compared.
    /// </summary>
    public static WebApplication UseConditionalReads(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<ConditionalReadAttribute>() is null)
            {
                await next(http);
                return;
            }
            await AnswerAsync(http, next);
        });
        return app;
    }

    private static async Task AnswerAsync(HttpContext http, RequestDelegate next)
    {
        var original = http.Features.Get<IHttpResponseBodyFeature>()!;
        var held = new HeldBody(http.Response, original.Stream);
        var feature = new StreamResponseBodyFeature(held, original);
        http.Features.Set<IHttpResponseBodyFeature>(feature);
        try
        {
            await next(http);
            // Whatever the endpoint wrote through the response's PipeWriter reaches the held body.
            await feature.CompleteAsync();
        }
        catch
        {
            held.Dispose();
            throw;
        }
        finally
        {
            http.Features.Set(original);
        }

        using (held)
        {
            var response = http.Response;
            if (held.PassedThrough || response.StatusCode != StatusCodes.Status200OK)
            {
                await held.ReleaseAsync(http.RequestAborted);
                return;
            }
            SetCachingHeaders(response);
            if (StringValues.IsNullOrEmpty(response.Headers.ETag))
            {
                response.Headers.ETag = held.Tag(response.ContentType, response.Headers[DashboardResponder.SequenceHeader]);
            }
            if (NoneMatch(http.Request.Headers.IfNoneMatch, response.Headers.ETag.ToString()))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = StringValues.Empty;
                response.Headers.ContentDisposition = StringValues.Empty;
                return;
            }
            // The whole answer is known: its length too.
            response.ContentLength ??= held.HeldBytes;
            await held.ReleaseAsync(http.RequestAborted);
        }
    }

    /// <summary>no-cache (revalidate each time) unless the endpoint set a policy; Vary extended by what the answer may depend on.</summary>
    private static void SetCachingHeaders(HttpResponse response)
    {
        if (StringValues.IsNullOrEmpty(response.Headers.CacheControl))
        {
            response.Headers.CacheControl = CachePolicy;
        }
        var vary = response.Headers.Vary.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        vary.AddRange(VaryBy.Where(name => !vary.Contains(name, StringComparer.OrdinalIgnoreCase)));
        response.Headers.Vary = string.Join(", ", vary);
    }

    /// <summary>
    /// If-None-Match (RFC 9110 13.1.2): "*", or a list of entity tags compared weakly (W/"x" matches "x").
    /// A header that cannot be read matches nothing: the client gets the full answer, not an error.
    /// </summary>
    public static bool NoneMatch(StringValues ifNoneMatch, string etag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch) || ifNoneMatch.Sum(v => v?.Length ?? 0) > MaxIfNoneMatch
            || !EntityTagHeaderValue.TryParse(etag, out var current)
            || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var listed))
        {
            return false;
        }
        return listed.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The answer's bytes, held in pooled segments and hashed as they are written, until the whole
    /// answer is known. Past <see cref="MaxTaggedBytes"/> (or when the endpoint announces a larger
    /// Content-Length, or answers other than 200) it lets everything through as it comes.
    /// </summary>
    private sealed class HeldBody(HttpResponse response, Stream inner) : Stream
    {
        private const int SegmentSize = 16 * 1024;
        private readonly List<(byte[] Buffer, int Count)> _segments = [];
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;
        private bool _decided;

        public bool PassedThrough { get; private set; }

        /// <summary>The bytes held.</summary>
        public long HeldBytes => _length;

        public string Tag(string? contentType, StringValues sequence)
        {
            // What the client reads besides the body: the media type, and the cursor in X-Event-Sequence.
            _hash.AppendData([0]);
            _hash.AppendData(Encoding.UTF8.GetBytes(contentType ?? ""));
            _hash.AppendData([0]);
            _hash.AppendData(Encoding.UTF8.GetBytes(sequence.ToString()));
            Span<byte> digest = stackalloc byte[32];
            _hash.GetHashAndReset(digest);
            return "\"" + Base64Url.EncodeToString(digest[..TagBytes]) + "\"";
        }

        /// <summary>Sends what is held.</summary>
        public async Task ReleaseAsync(CancellationToken ct)
        {
            foreach (var (buffer, count) in _segments)
            {
                await inner.WriteAsync(buffer.AsMemory(0, count), ct);
            }
            Return();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (PassesThrough(buffer.Length))
            {
                await ReleaseAsync(cancellationToken);
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }
            Hold(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (PassesThrough(buffer.Length))
            {
                foreach (var (held, count) in _segments)
                {
                    inner.Write(held, 0, count);
                }
                Return();
                inner.Write(buffer);
                return;
            }
            Hold(buffer);
        }

        private bool PassesThrough(int count)
        {
            if (!_decided)
            {
                _decided = true;
                PassedThrough = response.StatusCode != StatusCodes.Status200OK || response.ContentLength > MaxTaggedBytes;
            }
            if (!PassedThrough && _length + count > MaxTaggedBytes)
            {
                PassedThrough = true;
            }
            if (PassedThrough && response.StatusCode == StatusCodes.Status200OK && !response.HasStarted)
            {
                SetCachingHeaders(response);
            }
            return PassedThrough;
        }

        private void Hold(ReadOnlySpan<byte> data)
        {
            _hash.AppendData(data);
            _length += data.Length;
            while (!data.IsEmpty)
            {
                if (_segments.Count == 0 || _segments[^1].Count == _segments[^1].Buffer.Length)
                {
                    _segments.Add((ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, Math.Min(data.Length, 1024 * 1024))), 0));
                }
                var (buffer, count) = _segments[^1];
                var take = Math.Min(data.Length, buffer.Length - count);
                data[..take].CopyTo(buffer.AsSpan(count));
                _segments[^1] = (buffer, count + take);
                data = data[take..];
            }
        }

        private void Return()
        {
            foreach (var (buffer, _) in _segments)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _segments.Clear();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => PassedThrough ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void Flush()
        {
            if (PassedThrough)
            {
                inner.Flush();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Return();
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
