using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// Runs after authorization, for endpoints marked <see cref="IdempotentCommandAttribute"/> that got an
/// Idempotency-Key: a key this caller used before answers with the remembered response (same
/// request) or 422 (another request); a new key is handed to the command path as <see cref="IdempotencyRequest"/>.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IDocumentStore store, TimeProvider time, IOptions<IdempotencySettings> settings)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCommandAttribute>() is null
            || !http.Request.Headers.TryGetValue(IdempotencyRequest.Header, out var values))
        {
            await next(http);
            return;
        }
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > IdempotencyRequest.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await Problems.Validation(IdempotencyRequest.Header,
                $"An Idempotency-Key is one value of 1 to {IdempotencyRequest.MaxKeyLength} visible ASCII characters, e.g. a UUID.").ExecuteAsync(http);
            return;
        }

        var request = new IdempotencyRequest(
            IdempotencyRequest.StoredCallerOf(http.User), key, await HashAsync(http.Request), time.GetUtcNow(), settings.Value.Retention);
        if (await request.KnownAnswerAsync(store, http.RequestAborted) is { } known)
        {
            await known.ExecuteAsync(http);
            return;
        }
        http.Features.Set(request);
        await next(http);
    }

    /// <summary>SHA-256 over method, path and the body's bytes; the body is rewound for the endpoint.</summary>
    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
