using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>What a table endpoint answers: JSON, RFC 4180 CSV, or CSV for German spreadsheet programs.</summary>
public enum AnswerFormat
{
    Json,
    Csv,
    CsvGerman,
}

/// <summary>
/// Marks an endpoint whose answer is a table: it takes the query parameter "format" and answers
/// JSON or CSV (<see cref="Tables"/>); the OpenAPI document lists text/csv for it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswersTableAttribute : Attribute;

/// <summary>
/// The one content negotiation for tables. <c>format=json|csv|csv-de</c> wins over Accept; without
/// it, Accept chooses between application/json (the default) and text/csv (RFC 4180); an Accept
/// allowing neither is a 406. Every other endpoint is JSON only and answers 406 to a request for
/// CSV (<see cref="UseAnswerFormats"/>), naming the endpoints that have it.
/// </summary>
public static class Tables
{
    public const string Parameter = "format";
    public const string JsonType = "application/json";
    public const string CsvType = "text/csv";

    /// <summary>The values of <see cref="Parameter"/>.</summary>
    public static readonly IReadOnlyList<string> Values = ["json", "csv", "csv-de"];

    public const string ParameterDescription = "Answer format: json (default), csv (RFC 4180: comma, dot decimals) or csv-de (for German spreadsheet programs: "
        + "UTF-8 BOM, ';', decimal comma); wins over the Accept header (application/json or text/csv).";

    /// <summary>The media types a table is available as.</summary>
    public static readonly IReadOnlyList<string> Supported = [JsonType, CsvType];

    /// <summary>The format asked for, or the problem (400 unknown format, 406 unacceptable Accept) to answer instead.</summary>
    public static AnswerFormat? Choose(HttpRequest request, string? format, out IResult? problem)
    {
        problem = null;
        if (!string.IsNullOrEmpty(format))
        {
            switch (format.ToLowerInvariant())
            {
                case "json":
                    return AnswerFormat.Json;
                case "csv":
                    return AnswerFormat.Csv;
                case "csv-de":
                    return AnswerFormat.CsvGerman;
            }
            problem = Problems.Validation(Parameter, $"'{Parameter}' must be one of: {string.Join(", ", Values)}.");
            return null;
        }
        var chosen = Negotiate(request);
        if (chosen is null)
        {
            problem = Problems.NotAcceptable(request.Headers.Accept.ToString(), Supported);
        }
        return chosen;
    }

    /// <summary>JSON or CSV by the Accept header (highest quality first; none means JSON); null when neither is acceptable.</summary>
    public static AnswerFormat? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString()))
        {
            return AnswerFormat.Json;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return null;
        }
        foreach (var type in types.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1))
        {
            switch (type.MediaType.Value?.ToLowerInvariant())
            {
                case "application/json" or "application/*" or "*/*":
                    return AnswerFormat.Json;
                case "text/csv" or "text/*":
                    return AnswerFormat.Csv;
            }
        }
        return null;
    }

    /// <summary>The answer as JSON, or its items (the answer itself when a list, else its "items") one row each.</summary>
    public static IResult Answer<T>(HttpContext http, string? format, T answer, string fileName) where T : notnull =>
        Answer(http, format, fileName, () => Results.Ok(answer), dialect => Csv.Write(JsonTables.Rows(JsonSerializer.SerializeToElement(answer, ApiJson.Options), typeof(T)), dialect));

    /// <summary>The answer as JSON, or as one long table with a row per item of each of its lists (<see cref="JsonTables.Sections"/>).</summary>
    public static IResult AnswerSections<T>(HttpContext http, string? format, T answer, string fileName) where T : notnull =>
        Answer(http, format, fileName, () => Results.Ok(answer), dialect => Csv.Write(JsonTables.Sections(JsonSerializer.SerializeToElement(answer, ApiJson.Options), typeof(T)), dialect));

    /// <summary>JSON written ahead (a list of <paramref name="itemType"/>, or an object with such "items"), or its items as CSV.</summary>
    public static IResult Answer(HttpContext http, string? format, PooledJsonResult json, Type itemType, string fileName)
    {
        var answer = Answer(http, format, fileName, () => json, dialect =>
        {
            using var document = JsonDocument.Parse(json.Written);
            return Csv.Write(JsonTables.Rows(document.RootElement, itemType), dialect);
        });
        if (answer != json)
        {
            // CSV or a problem: the pooled JSON is not sent.
            json.Dispose();
        }
        return answer;
    }

    /// <summary>The JSON answer, or the CSV written in the dialect asked for.</summary>
    public static IResult Answer(HttpContext http, string? format, string fileName, Func<IResult> json, Func<CsvDialect, string> csv)
    {
        http.Response.Headers.Vary = HeaderNames.Accept;
        var chosen = Choose(http.Request, format, out var problem);
        return chosen switch
        {
            null => problem!,
            AnswerFormat.Json => json(),
            _ => new CsvResult(csv(DialectOf(chosen.Value)), fileName),
        };
    }

    public static CsvDialect DialectOf(AnswerFormat format) => format == AnswerFormat.CsvGerman ? CsvDialect.German : CsvDialect.Rfc4180;

    /// <summary>
    /// Before authorization: a table endpoint refuses an unknown format (400) or an Accept allowing
    /// neither JSON nor CSV (406); any other endpoint refuses a request for CSV (406).
    /// </summary>
    public static WebApplication UseAnswerFormats(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is RouteEndpoint endpoint && endpoint.Metadata.GetMetadata<HttpChain>() is not null)
            {
                IResult? problem = null;
                if (endpoint.Metadata.GetMetadata<AnswersTableAttribute>() is not null)
                {
                    if (GeoJson.Answers(endpoint, http.Request))
                    {
                        // Answered by the endpoint as application/geo+json.
                        await next(http);
                        return;
                    }
                    Choose(http.Request, http.Request.Query[Parameter].ToString(), out problem);
                }
                else if (AsksForCsv(http.Request))
                {
                    problem = NoTableHere(http, endpoint);
                }
                if (problem is not null)
                {
                    await problem.ExecuteAsync(http);
                    return;
                }
            }
            await next(http);
        });
        return app;
    }

    /// <summary>format=csv or csv-de, or an Accept that allows nothing but CSV (text/csv, text/*).</summary>
    private static bool AsksForCsv(HttpRequest request)
    {
        var format = request.Query[Parameter].ToString().ToLowerInvariant();
        if (format is "csv" or "csv-de")
        {
            return true;
        }
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }
        var acceptable = types.Where(t => (t.Quality ?? 1) > 0).Select(t => t.MediaType.Value?.ToLowerInvariant()).ToList();
        return acceptable.Count > 0 && acceptable.All(t => t is "text/csv" or "text/*");
    }

    private static IResult NoTableHere(HttpContext http, RouteEndpoint endpoint)
    {
        var produced = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.StatusCode is >= 200 and < 300).SelectMany(p => p.ContentTypes).Distinct().ToList();
        var supported = produced.Count > 0 ? produced : [JsonType];
        var tables = http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AnswersTableAttribute>() is not null)
            .Select(e => e.RoutePattern.RawText ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
        return Problems.NoTable(supported, tables);
    }
}

/// <summary>A CSV answer, written completely before the response starts, offered as a file download.</summary>
public sealed class CsvResult(string text, string fileName) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var body = Encoding.UTF8.GetBytes(text);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Csv.ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.csv\"";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
