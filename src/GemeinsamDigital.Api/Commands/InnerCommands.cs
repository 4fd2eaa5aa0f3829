using System.Security.Claims;
using System.Text.Json;

namespace GemeinsamDigital.Api.Commands;

/// <summary>What one command sent inside another request answered: as if it had been a request of its own.</summary>
/// <param name="Status">Its HTTP status (200, 201, or the problem's).</param>
/// <param name="Version">The stream version after it (its ETag), when it was accepted.</param>
/// <param name="Location">Where a started stream is read (201).</param>
/// <param name="Body">Its answer: the accepted command, or the RFC 9457 problem.</param>
public sealed record InnerAnswer(int Status, long? Version, string? Location, JsonElement Body)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Commands that arrive inside another request (the items of a batch, the rows of an import) each
/// run as a request of their own through the <see cref="CommandPipeline"/>: the same caller,
/// authorization, If-Match, X-Reason, correlation, idempotency and answers as when a client sends
/// them one by one. The pipeline's input is a request, so each one gets a request: its own
/// <see cref="HttpContext"/> with the caller, the outer request's services and the headers that
/// apply to it; its answer is written to memory and read back.
/// </summary>
public static class InnerCommands
{
    /// <summary>A request for one inner command.</summary>
    /// <param name="user">Who sends it (the outer request's caller, or the caller an import was started by).</param>
    /// <param name="services">The services of the outer request's scope (or the background job's).</param>
    /// <param name="ifMatch">If-Match for this command, if any.</param>
    /// <param name="reason">X-Reason for this command, if any.</param>
    /// <param name="correlationId">X-Correlation-Id: the outer request's, or the import's id.</param>
    /// <param name="idempotency">The Idempotency-Key answer slot of this command, if any.</param>
    public static HttpContext Request(ClaimsPrincipal user, IServiceProvider services, string? ifMatch = null, string? reason = null,
        string? correlationId = null, IdempotencyRequest? idempotency = null)
    {
        var http = new DefaultHttpContext { User = user, RequestServices = services };
        http.Request.Method = HttpMethods.Post;
        if (ifMatch is not null)
        {
            http.Request.Headers.IfMatch = ifMatch;
        }
        if (reason is not null)
        {
            http.Request.Headers[CommandMetadata.ReasonHttpHeader] = Uri.EscapeDataString(reason);
        }
        if (correlationId is not null)
        {
            http.Request.Headers[CommandMetadata.CorrelationHttpHeader] = correlationId;
        }
        if (idempotency is not null)
        {
            http.Features.Set(idempotency);
        }
        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>Writes the pipeline's answer into the inner request and reads it back.</summary>
    public static async Task<InnerAnswer> AnswerAsync(HttpContext http, IResult result)
    {
        await result.ExecuteAsync(http);
        var body = (MemoryStream)http.Response.Body;
        var json = body.Length == 0 ? default : JsonDocument.Parse(body.ToArray()).RootElement.Clone();
        var version = ETags.Parse(http.Response.Headers.ETag.ToString());
        var location = http.Response.Headers.Location.ToString();
        return new InnerAnswer(http.Response.StatusCode, version, location.Length > 0 ? location : null, json);
    }
}
