namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// The remembered answer to an accepted command, stored in the same transaction as its events:
/// either both are in the store, or neither. The id is unique per caller and key, which is what
/// stops two concurrent requests with the same key from both appending.
/// </summary>
public sealed record IdempotencyRecord
{
    /// <summary>SHA-256 of caller and key (hex).</summary>
    public string Id { get; init; } = "";

    /// <summary>Who sent it (NameIdentifier of the caller): keys are scoped per caller.</summary>
    public string Caller { get; init; } = "";

    public string Key { get; init; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused (422).</summary>
    public string RequestHash { get; init; } = "";

    public int Status { get; init; }
    public string? ETag { get; init; }
    public string? Location { get; init; }
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Section Idempotency.</summary>
public sealed class IdempotencySettings
{
    public const string Section = "Idempotency";

    /// <summary>How long an accepted command's answer is remembered (at least 24 hours in production).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired answers are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
