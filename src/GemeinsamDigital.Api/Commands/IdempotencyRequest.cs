using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JasperFx;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Commands;

/// <summary>Marks an endpoint that honours Idempotency-Key. Command endpoints get it by convention (CommandConventions).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentCommandAttribute : Attribute;

/// <summary>
/// A command sent with an Idempotency-Key that was not seen before (set by <see cref="IdempotencyMiddleware"/>).
/// The command path calls <see cref="Remember"/> with the answer before it saves, so the answer is
/// stored in the same transaction as the events.
/// </summary>
public sealed class IdempotencyRequest
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    internal IdempotencyRequest(string caller, string key, string requestHash, DateTimeOffset now, TimeSpan retention)
    {
        Caller = caller;
        Key = key;
        RequestHash = requestHash;
        RecordId = RecordIdFor(caller, key);
        Now = now;
        ExpiresAt = now + retention;
    }

    public string Caller { get; }
    public string Key { get; }
    public string RequestHash { get; }
    public string RecordId { get; }
    public DateTimeOffset Now { get; }
    public DateTimeOffset ExpiresAt { get; }

    public static IdempotencyRequest? Of(HttpContext http) => http.Features.Get<IdempotencyRequest>();

    /// <summary>
    /// The answer slot of one item of a batch sent with this key: the same caller, its own key and the
    /// batch's request hash with the item's index, so each item's answer is stored with its events and
    /// a retried batch answers the items that were recorded instead of running them again. The key has
    /// a space, which a key sent in the header cannot hold, so no key of a request of its own is one of these.
    /// </summary>
    internal IdempotencyRequest ForItem(int index) =>
        new(Caller, $"{Key} #{index}", $"{RequestHash}#{index}", Now, ExpiresAt - Now);

    /// <summary>
    /// The answer remembered for this caller and key: the first answer again (same request), 422
    /// (another request), or null when none is; an expired one is forgotten, so the key can stand for this request.
    /// </summary>
    public async Task<IResult?> KnownAnswerAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var known = await session.LoadAsync<IdempotencyRecord>(RecordId, ct);
        if (known is null)
        {
            return null;
        }
        if (known.ExpiresAt > Now)
        {
            return AnswerTo(known);
        }
        session.DeleteWhere<IdempotencyRecord>(r => r.Id == RecordId && r.ExpiresAt <= Now);
        await session.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Who the caller is, for scoping keys: the scheme, issuer (tokens) and subject.</summary>
    public static string CallerOf(ClaimsPrincipal user) =>
        $"{user.Identity?.AuthenticationType}|{user.FindFirstValue("iss")}|{user.FindFirstValue(ClaimTypes.NameIdentifier)}";

    /// <summary>Who the caller is as stored with its keys: its pseudonym (personal data is never stored in clear).</summary>
    public static string StoredCallerOf(ClaimsPrincipal user) =>
        user.FindFirstValue(SubjectClaims.Pseudonym) ?? CallerOf(user);

    public static string RecordIdFor(string caller, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller + "\n" + key)));

    /// <summary>Adds the answer to the session; saved with the events, or not at all. A batch's answer has no version (no ETag).</summary>
    public void Remember<T>(IDocumentSession session, int status, T body, long? version, string? location) where T : notnull =>
        session.Insert(new IdempotencyRecord
        {
            Id = RecordId,
            Caller = Caller,
            Key = Key,
            RequestHash = RequestHash,
            Status = status,
            ETag = version is { } v ? ETags.For(v) : null,
            Location = location,
            Body = JsonSerializer.Serialize(body, ApiJson.Options),
            CreatedAt = Now,
            ExpiresAt = ExpiresAt,
        });

    /// <summary>After a failed save: the answer a concurrent request with the same key committed first, if any.</summary>
    public async Task<IResult?> CommittedAnswerAsync(IQuerySession session, CancellationToken ct)
    {
        var record = await session.LoadAsync<IdempotencyRecord>(RecordId, ct);
        return record is null ? null : AnswerTo(record);
    }

    /// <summary>The first answer again when the request is the same; 422 when the key stood for another request.</summary>
    public IResult AnswerTo(IdempotencyRecord record) =>
        record.RequestHash == RequestHash ? new ReplayedAnswer(record) : Problems.IdempotencyKeyReused();

    /// <summary>The save failed because the answer for this caller and key was stored concurrently.</summary>
    public static bool IsDuplicate(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is DocumentAlreadyExistsException || x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return true;
            }
        }
        return false;
    }

    private sealed class ReplayedAnswer(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = record.Status;
            if (record.ETag is not null)
            {
                http.Response.Headers.ETag = record.ETag;
            }
            if (record.Location is not null)
            {
                http.Response.Headers.Location = record.Location;
            }
            http.Response.Headers[ReplayedHeader] = "true";
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(record.Body, http.RequestAborted);
        }
    }
}
