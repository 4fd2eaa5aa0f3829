using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// The one place every problem response passes (the problem details service's customisation hook):
/// problems the framework builds on its own (Wolverine's JSON and query value failures, ASP.NET
/// Core's status code pages, the server's 413) become entries of our catalogue, and every problem
/// is logged by one rule: client errors as one Information line, server errors at Error with the
/// trace id the response carries.
/// </summary>
public static partial class FrameworkProblems
{
    /// <summary>Category of the one log line per problem response.</summary>
    public const string LogCategory = "GemeinsamDigital.Api.Http.Problems";

    /// <summary>Where a handler leaves the cause of a 5xx for the log line (never sent to the client).</summary>
    public const string CauseItem = "gd.problem-cause";

    private const int MaxEchoedValue = 64;

    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        if (problem.Type is null || !problem.Type.StartsWith(Problems.TypeBase, StringComparison.Ordinal))
        {
            var status = problem.Status ?? http.Response.StatusCode;
            var ours = Rewrite(http, problem, status);
            problem.Type = ours.Type;
            problem.Title = ours.Title;
            problem.Detail = ours.Detail;
            problem.Status = ours.Status;
            // The framework's own members (lineNumber, parameter, …) go; traceId stays.
            var traceId = problem.Extensions.TryGetValue("traceId", out var t) ? t : null;
            problem.Extensions.Clear();
            if (traceId is not null)
            {
                problem.Extensions["traceId"] = traceId;
            }
            foreach (var (key, value) in ours.Extensions)
            {
                problem.Extensions[key] = value;
            }
        }
        problem.Instance ??= http.Request.Path;
        problem.Extensions["correlationId"] = CommandMetadata.ResolveCorrelationId(http);
        Log(http, problem);
    }

    private static ProblemDetails Rewrite(HttpContext http, ProblemDetails problem, int status)
    {
        // Wolverine's JSON body failure: "Invalid JSON format" with the reader's line and position.
        if (status == StatusCodes.Status400BadRequest && problem.Extensions.ContainsKey("bytePositionInLine"))
        {
            return JsonFailure(http, problem);
        }
        // Wolverine's query value failure names the parameter.
        if (status == StatusCodes.Status400BadRequest && problem.Extensions.TryGetValue("parameter", out var parameter) && parameter is string name)
        {
            return QueryValueFailure(http, problem, name);
        }
        if (status == StatusCodes.Status413PayloadTooLarge && http.RequestServices.GetService<LimitSettings>() is { } limits)
        {
            return Problems.PayloadTooLargeDetails(limits.BodyLimitFor(http));
        }
        return Problems.ForStatus(status);
    }

    private static ProblemDetails JsonFailure(HttpContext http, ProblemDetails problem)
    {
        var line = problem.Extensions.TryGetValue("lineNumber", out var l) ? Convert.ToInt64(l?.ToString(), CultureInfo.InvariantCulture) + 1 : 1;
        var position = problem.Extensions.TryGetValue("bytePositionInLine", out var b) ? Convert.ToInt64(b?.ToString(), CultureInfo.InvariantCulture) + 1 : 1;
        var where = $"line {line}, byte {position}";
        var message = problem.Detail ?? "";
        var unknownMember = message.Contains("could not be mapped", StringComparison.Ordinal);
        var wrongValue = message.Contains("could not be converted", StringComparison.Ordinal);
        // The serializer writes the path into its message, except for an unknown member: that path is
        // only on the exception, so the buffered body is read once more as the endpoint's request type.
        var path = FieldKey(PathInMessage(message));
        if (unknownMember)
        {
            path = FieldKey(Reread(http)?.Path) ?? (QuotedMember().Match(message) is { Success: true } m ? m.Groups[1].Value : null);
        }
        if (!unknownMember && !wrongValue)
        {
            return Problems.MalformedJsonDetails(
                $"The body is not valid JSON (or nests deeper than {Json.MaxDepth} levels); reading stopped at {where}.",
                path is null ? null : new Dictionary<string, string[]> { [path] = [$"The JSON is malformed or breaks off here ({where})."] });
        }
        return MemberFailure(path, unknownMember);
    }

    /// <summary>
    /// JSON that does not read as the request type (an unknown member, a value of the wrong type), read
    /// apart from the request's own body (an item of a batch): the same problem a body of its own gets.
    /// </summary>
    public static ProblemDetails ReadFailure(JsonException e) =>
        MemberFailure(FieldKey(e.Path), e.Message.Contains("could not be mapped", StringComparison.Ordinal));

    private static ProblemDetails MemberFailure(string? path, bool unknownMember)
    {
        if (path is null)
        {
            return Problems.MalformedJsonDetails("The body must be one JSON object holding the request's fields.", null);
        }
        var text = unknownMember
            ? "This member is not part of the request; check its spelling against the OpenAPI document."
            : "This value has the wrong JSON type or format for this field (see the OpenAPI document).";
        return Problems.ValidationDetails(new Dictionary<string, string[]> { [path] = [text] });
    }

    private static ProblemDetails QueryValueFailure(HttpContext http, ProblemDetails problem, string name)
    {
        var value = http.Request.Query[name].ToString();
        if (value.Length > MaxEchoedValue)
        {
            value = value[..MaxEchoedValue] + "…";
        }
        var expected = ExpectedTypeInMessage().Match(problem.Detail ?? "") is { Success: true } m ? m.Groups[1].Value : "";
        var what = expected.ToLowerInvariant() switch
        {
            "int" or "long" or "short" or "int32" or "int64" or "int16" or "uint" or "ulong" => "a whole number",
            "decimal" or "double" or "float" or "single" => "a number",
            "bool" or "boolean" => "true or false",
            "guid" => "a UUID",
            "datetimeoffset" or "datetime" => "a date and time (ISO 8601)",
            "dateonly" => "a date (yyyy-MM-dd)",
            _ => "a value of the type the OpenAPI document gives",
        };
        return Problems.ValidationDetails(new Dictionary<string, string[]> { [name] = [$"'{value}' is not valid here: {what} is expected."] });
    }

    /// <summary>
    /// Reads the buffered body (<see cref="RequestLimits.UseBodySizeLimit"/>) again as the endpoint's
    /// request type, for the path on the exception; null when the body or the type is not at hand.
    /// </summary>
    private static JsonException? Reread(HttpContext http)
    {
        var type = http.GetEndpoint()?.Metadata.GetMetadata<HttpChain>()?.RequestType;
        var stream = http.Request.Body;
        if (type is null || !stream.CanSeek)
        {
            return null;
        }
        try
        {
            stream.Position = 0;
            // A body the endpoint left half read would need a synchronous read, which the server refuses:
            // then the member's name from the message is used instead.
            JsonSerializer.Deserialize(stream, type, ApiJson.Options);
            return null;
        }
        catch (JsonException e)
        {
            return e;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or ObjectDisposedException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static string? PathInMessage(string? message) =>
        message is not null && PathInMessagePattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A JSON path as the serializer writes it ($.indicators[0].baseline) in the key style of our validation errors.</summary>
    internal static string? FieldKey(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return null;
        }
        var key = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return key.Length == 0 ? null : key;
    }

    private static void Log(HttpContext http, ProblemDetails problem)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var status = problem.Status ?? http.Response.StatusCode;
        var type = problem.Type?.StartsWith(Problems.TypeBase, StringComparison.Ordinal) == true ? problem.Type[Problems.TypeBase.Length..] : problem.Type;
        if (status >= 500)
        {
            var traceId = problem.Extensions.TryGetValue("traceId", out var t) && t is not null ? t.ToString() : Activity.Current?.Id ?? http.TraceIdentifier;
            var cause = http.Items.TryGetValue(CauseItem, out var c) ? c as string : null;
            logger.LogError("{Status} {ProblemType} for {Method} {Path} (trace {TraceId}): {Detail} {Cause}",
                status, type, http.Request.Method, http.Request.Path.Value, traceId, problem.Detail, cause ?? "");
        }
        else
        {
            // A client's mistake is not the service's: one line, no stack trace, so malformed requests cannot flood the log.
            logger.LogInformation("{Status} {ProblemType} for {Method} {Path}: {Detail} {Fields}",
                status, type, http.Request.Method, http.Request.Path.Value, problem.Detail, string.Join(", ", FieldsOf(problem)));
        }
    }

    private static IEnumerable<string> FieldsOf(ProblemDetails problem) => problem switch
    {
        HttpValidationProblemDetails v => v.Errors.Keys,
        _ when problem.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyDictionary<string, string[]> errors => errors.Keys,
        _ => [],
    };

    [GeneratedRegex(@"Path: (\$\S*) \|")]
    private static partial Regex PathInMessagePattern();

    [GeneratedRegex(@"JSON property '([^']*)'")]
    private static partial Regex QuotedMember();

    [GeneratedRegex(@"expected type ([\w\.`]+)\s*$")]
    private static partial Regex ExpectedTypeInMessage();
}
