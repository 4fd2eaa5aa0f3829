using System.Diagnostics;
using System.Security.Claims;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// Who acts, on whose behalf, why, and in which causal chain. Recorded on every event (and covered
/// by its hash) by Audit/EventLedger.
/// </summary>
/// <param name="Actor">The authenticated caller's pseudonym (Subjects/, never the real subject), or "anonymous".</param>
/// <param name="Administration">The administration the actor acts for (claim "administration").</param>
/// <param name="Reason">Why (header X-Reason), optional.</param>
/// <param name="CorrelationId">The causal chain this command belongs to; echoed as X-Correlation-Id.</param>
/// <param name="CausationId">What caused this command: the caller's span (traceparent parent-id), else this request's id.</param>
public sealed record CommandMetadata(string Actor, string? Administration, string? Reason, string CorrelationId, string? CausationId = null)
{
    public const string ActorHeader = "actor";
    public const string AdministrationHeader = "administration";
    public const string ReasonHeader = "reason";
    public const string CorrelationHttpHeader = "X-Correlation-Id";
    public const string ReasonHttpHeader = "X-Reason";

    /// <summary>
    /// Header names used as keys of a problem's 'errors' are lower case (as HTTP/2 sends them):
    /// the API's camelCase dictionary-key policy would turn "X-Reason" into "x-Reason".
    /// </summary>
    public const string ReasonErrorKey = "x-reason";
    public const string IfMatchErrorKey = "if-match";
    public const string TraceParentHttpHeader = "traceparent";
    public const string AdministrationClaim = "administration";
    public const int MaxReason = 500;
    /// <summary>A longer X-Correlation-Id is replaced by one of ours.</summary>
    public const int MaxCorrelationId = 128;

    public static CommandMetadata From(HttpContext http)
    {
        var user = http.User;
        // The pseudonym is resolved before any command runs (UseSubjects, or the import runner for its caller).
        var actor = user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(SubjectClaims.Pseudonym) ?? throw new InvalidOperationException("The caller's pseudonym was not resolved before its command.")
            : "anonymous";
        var reason = http.Request.Headers[ReasonHttpHeader].ToString();
        return new CommandMetadata(
            actor,
            user.FindFirstValue(AdministrationClaim),
            string.IsNullOrWhiteSpace(reason) ? null : Uri.UnescapeDataString(reason.Trim()),
            ResolveCorrelationId(http),
            ResolveCausationId(http));
    }

    /// <summary>
    /// X-Correlation-Id if the caller sent one, else the trace id of a W3C traceparent, else the
    /// current activity's trace id, else a new id; echoed in the response.
    /// </summary>
    public static string ResolveCorrelationId(HttpContext http)
    {
        if (http.Items.TryGetValue(CorrelationHttpHeader, out var known) && known is string id)
        {
            return id;
        }
        var given = http.Request.Headers[CorrelationHttpHeader].ToString().Trim();
        id = given is { Length: > 0 and <= MaxCorrelationId } ? given
            : TraceParent(http) is { } trace ? trace.TraceId
            : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        http.Items[CorrelationHttpHeader] = id;
        http.Response.Headers[CorrelationHttpHeader] = id;
        return id;
    }

    /// <summary>The caller's span (parent-id of a W3C traceparent) if given, else this HTTP request's id.</summary>
    public static string ResolveCausationId(HttpContext http) => TraceParent(http)?.ParentId ?? http.TraceIdentifier;

    /// <summary>Parses a W3C Trace Context traceparent (version-traceid-parentid-flags); null when absent or malformed.</summary>
    public static (string TraceId, string ParentId)? TraceParent(HttpContext http)
    {
        var value = http.Request.Headers[TraceParentHttpHeader].ToString().Trim();
        var parts = value.Split('-');
        // Version 00 has exactly four fields; later versions may append more (the spec asks to read the first four).
        if (parts.Length < 4 || !IsHex(parts[0], 2) || parts[0] == "ff" || (parts[0] == "00" && parts.Length != 4)
            || !IsHex(parts[1], 32) || !IsHex(parts[2], 16) || !IsHex(parts[3], 2)
            || parts[1].All(c => c == '0') || parts[2].All(c => c == '0'))
        {
            return null;
        }
        return (parts[1], parts[2]);
    }

    private static bool IsHex(string text, int length) =>
        text.Length == length && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
