using System.Globalization;
using System.Text.RegularExpressions;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// The query parameter asOf, parsed one way by every endpoint that reads the past (the contract is
/// in docs/changelog.md): an ISO 8601 date and time with an explicit offset (Z or ±hh:mm;
/// seconds and fractions optional) is taken as given; a date and time without offset is refused,
/// because it does not say which moment it means; a date alone (yyyy-MM-dd) means 00:00 UTC at the
/// start of that day, on every endpoint alike. Not in the future.
/// Empty means not given. A bad value is a validation problem (400) naming "asOf".
/// Other instants in a query (the measure list's changedSince) take the same forms (<see cref="Instant"/>).
/// </summary>
public static partial class AsOf
{
    public const string Field = "asOf";
    public const string Example = "2024-05-01T12:00:00Z";

    /// <summary>
    /// The moment <paramref name="raw"/> names, in UTC (PostgreSQL's timestamptz parameters take
    /// offset 0 only); null when it is absent or invalid, and then a reason in <paramref name="errors"/> if invalid.
    /// </summary>
    public static DateTimeOffset? Parse(string? raw, DateTimeOffset now, FieldErrors errors)
    {
        if (Instant(raw, Field, errors) is not { } at)
        {
            return null;
        }
        if (at > now)
        {
            errors.Add(Field, $"'{Field}' ({at:O}) lies in the future; the server's time is {now.ToUniversalTime():O}. The future is not known yet.");
            return null;
        }
        return at;
    }

    /// <summary>
    /// An instant written as <see cref="Field"/> is (the same forms, the same errors, named
    /// <paramref name="field"/>), in UTC, future or not; null when absent or invalid.
    /// </summary>
    public static DateTimeOffset? Instant(string? raw, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var text = raw.Trim();
        // An unencoded '+' of the offset arrives as a space.
        if (text.Length > 19 && text[^6] == ' ')
        {
            text = string.Concat(text.AsSpan(0, text.Length - 6), "+", text.AsSpan(text.Length - 5));
        }

        if (DateText().IsMatch(text))
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors.Add(field, Malformed(field));
                return null;
            }
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (DateTimeText().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return parsed.ToUniversalTime();
        }
        errors.Add(field, Malformed(field));
        return null;
    }

    private static string Malformed(string field) =>
        $"'{field}' must be an ISO 8601 date and time with offset (Z or ±hh:mm), e.g. {Example}, "
        + "or a date alone (yyyy-MM-dd, meaning 00:00 UTC); encode '+' as %2B.";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeText();
}
