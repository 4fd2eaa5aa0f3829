using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GemeinsamDigital.Audit;

/// <summary>Who acted, on whose behalf, why, and in which causal chain: covered by the hash like the data.</summary>
public sealed record Provenance(string? Actor, string? Administration, string? Reason, string? CorrelationId, string? CausationId);

/// <summary>Everything of one event that its hash covers, except the previous hash.</summary>
/// <param name="StreamId">The measure's id.</param>
/// <param name="Version">Position in the stream, from 1.</param>
/// <param name="Type">Stored event type name, e.g. "measure-proposed.v2".</param>
/// <param name="Timestamp">When it was recorded; hashed at microsecond precision, in UTC.</param>
/// <param name="Data">The event's data as any JSON text; it is canonicalised before hashing.</param>
/// <param name="Provenance">Actor, administration, reason, correlation and causation ids.</param>
public sealed record EventContent(Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string Data, Provenance Provenance);

/// <summary>
/// The hash chain of a measure's stream. For each event:
/// <code>hash = lowercase hex( SHA-256( UTF-8( canonical JSON of
///   { "actor", "administration", "causationId", "correlationId", "data", "prev",
///     "reason", "stream", "timestamp", "type", "version" } ) ) )</code>
/// with <c>prev</c> the previous event's hash (<see cref="Genesis"/> for version 1), <c>stream</c> the
/// stream id as 36 lowercase characters with hyphens, <c>timestamp</c> as <see cref="TimestampFormat"/>
/// in UTC, <c>version</c> an integer, <c>data</c> the event's data and absent provenance fields as null.
/// Canonical JSON: <see cref="CanonicalJson"/>.
/// </summary>
public static class EventHash
{
    public const string Algorithm = "SHA-256";

    /// <summary>The "previous hash" of a stream's first event.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Microseconds, always UTC: what PostgreSQL's timestamptz keeps.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Truncates to whole microseconds in UTC, so the stored timestamp equals the hashed one.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string FormatTimestamp(DateTimeOffset at) =>
        Truncate(at).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses exactly <see cref="TimestampFormat"/>; anything else is not a valid hashed timestamp.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    /// <summary>The exact text that is hashed (useful to audit by hand).</summary>
    public static string Input(string previousHash, EventContent e) => Input(previousHash, e, CanonicalJson.Canonicalize(e.Data));

    /// <summary>As <see cref="Input(string, EventContent)"/>, with the data already canonical.</summary>
    public static string Input(string previousHash, EventContent e, string canonicalData)
    {
        var p = e.Provenance;
        // Members in canonical (ordinal) order; every value is written canonically.
        var builder = new StringBuilder(canonicalData.Length + 400);
        builder.Append("{\"actor\":").Append(Nullable(p.Actor))
            .Append(",\"administration\":").Append(Nullable(p.Administration))
            .Append(",\"causationId\":").Append(Nullable(p.CausationId))
            .Append(",\"correlationId\":").Append(Nullable(p.CorrelationId))
            .Append(",\"data\":").Append(canonicalData)
            .Append(",\"prev\":").Append(CanonicalJson.Quote(previousHash))
            .Append(",\"reason\":").Append(Nullable(p.Reason))
            .Append(",\"stream\":").Append(CanonicalJson.Quote(e.StreamId.ToString("D")))
            .Append(",\"timestamp\":").Append(CanonicalJson.Quote(FormatTimestamp(e.Timestamp)))
            .Append(",\"type\":").Append(CanonicalJson.Quote(e.Type))
            .Append(",\"version\":").Append(e.Version.ToString(CultureInfo.InvariantCulture))
            .Append('}');
        return builder.ToString();
    }

    public static string Compute(string previousHash, EventContent e) => Sha256(Input(previousHash, e));

    public static string Compute(string previousHash, EventContent e, string canonicalData) => Sha256(Input(previousHash, e, canonicalData));

    // Strict: a string that is not valid UTF-16 must fail, not be hashed with replacement characters.
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Sha256(string text) => Sha256(_utf8.GetBytes(text));

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static string Nullable(string? value) => value is null ? "null" : CanonicalJson.Quote(value);
}
