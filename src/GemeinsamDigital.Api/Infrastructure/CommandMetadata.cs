using System.Diagnostics;
using System.Security.Claims;
using Marten;

namespace GemeinsamDigital.Api.Infrastructure;

/// <summary>Who acts, on whose behalf, why, and in which causal chain. Recorded on every event.</summary>
public sealed record CommandMetadata(string Actor, string? Administration, string? Reason, string CorrelationId)
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
    public const string AdministrationClaim = "administration";
    public const int MaxReason = 500;

    public static CommandMetadata From(HttpContext http)
    {
        var user = http.User;
        var actor = user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name ?? "unknown"
            : "anonymous";
        var reason = http.Request.Headers[ReasonHttpHeader].ToString();
        return new CommandMetadata(
            actor,
            user.FindFirstValue(AdministrationClaim),
            string.IsNullOrWhiteSpace(reason) ? null : Uri.UnescapeDataString(reason.Trim()),
            ResolveCorrelationId(http));
    }

    /// <summary>X-Correlation-Id if the caller sent one, else the W3C trace id, else a new id; echoed in the response.</summary>
    public static string ResolveCorrelationId(HttpContext http)
    {
        if (http.Items.TryGetValue(CorrelationHttpHeader, out var known) && known is string id)
        {
            return id;
        }
        var given = http.Request.Headers[CorrelationHttpHeader].ToString();
        id = given is { Length: > 0 and <= 128 } ? given
            : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        http.Items[CorrelationHttpHeader] = id;
        http.Response.Headers[CorrelationHttpHeader] = id;
        return id;
    }

    public void ApplyTo(IDocumentSession session)
    {
        session.LastModifiedBy = Actor;
        session.CorrelationId = CorrelationId;
        session.SetHeader(ActorHeader, Actor);
        if (Administration is not null)
        {
            session.SetHeader(AdministrationHeader, Administration);
        }
        if (Reason is not null)
        {
            session.SetHeader(ReasonHeader, Reason);
        }
    }
}
