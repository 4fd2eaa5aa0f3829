using GemeinsamDigital.Domain.Measures;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using GemeinsamDigital.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>The service with every log entry collected, as the providers of a deployment would see them.</summary>
public sealed class LogCapturingApiFixture : ApiFixture
{
    public LogCapture Logs { get; } = new();

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
}

/// <summary>One entry, with the trace of the request it was written in (null outside one).</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, string? TraceId);

public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, System.Diagnostics.Activity.Current?.TraceId.ToString()));
    }
}

/// <summary>
/// Errors the framework produces on its own (the JSON reader, query binding, the body and URI
/// limits) answer problems of our catalogue, and a client's mistake is logged in one line.
/// </summary>
public class FrameworkProblemTests(LogCapturingApiFixture api) : IClassFixture<LogCapturingApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private static async Task<string> ShouldNameNoDotNetTypes(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        foreach (var leak in new[] { "System.", "GemeinsamDigital.", "httpstatuses.com", "tools.ietf.org", ".NET", "IReadOnlyList", "Int64", "`1" })
        {
            text.ShouldNotContain(leak, Case.Sensitive, text);
        }
        return text;
    }

    [Theory]
    [InlineData("{\"title\": 42}", "title")]
    [InlineData("{\"perspectives\": \"zp1\"}", "perspectives")]
    [InlineData("{\"titel\": \"Tippfehler\"}", "titel")]
    public async Task A_member_of_the_wrong_type_or_unknown_is_a_validation_problem_naming_it(string body, string field)
    {
        var response = await _client.PostRaw("/api/measures", body);
        var problem = await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", field);
        problem.GetProperty("correlationId").GetString().ShouldNotBeNullOrWhiteSpace();
        await ShouldNameNoDotNetTypes(response);
    }

    [Theory]
    [InlineData("{\"indicators\": [{\"code\": \"a\", \"baseline\": \"viel\"}]}", "indicators[0].baseline")]
    [InlineData("{\"indicators\": [{\"code\": \"a\", \"nme\": \"x\"}]}", "indicators[0].nme")]
    public async Task A_nested_member_is_named_by_its_json_path(string body, string field)
    {
        var response = await _client.PostRaw($"/api/measures/{Guid.NewGuid()}/define-goals", body);
        await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", field);
        await ShouldNameNoDotNetTypes(response);
    }

    [Theory]
    [InlineData("{\"title\": ", "title")]
    [InlineData("not json at all", null)]
    [InlineData("[1,2,3]", null)]
    public async Task A_body_that_is_no_json_object_is_malformed_json(string body, string? field)
    {
        var response = await _client.PostRaw("/api/measures", body);
        var problem = field is null
            ? await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json")
            : await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "malformed-json", field);
        problem.TryGetProperty("lineNumber", out _).ShouldBeFalse();
        problem.GetProperty("correlationId").GetString().ShouldNotBeNullOrWhiteSpace();
        await ShouldNameNoDotNetTypes(response);
    }

    [Fact]
    public async Task A_query_value_that_does_not_parse_is_a_validation_problem_naming_the_parameter()
    {
        var response = await _client.GetAsync($"/api/measures/{Guid.NewGuid()}?version=abc");
        var problem = await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "version");
        problem.GetProperty("errors").GetProperty("version")[0].GetString()!.ShouldContain("whole number");
        problem.TryGetProperty("parameter", out _).ShouldBeFalse();
        await ShouldNameNoDotNetTypes(response);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_our_413()
    {
        var body = "{\"title\": \"" + new string('a', 1024 * 1024 + 10) + "\"}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/measures") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _client.SendAsync(request);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        problem.GetProperty("correlationId").GetString().ShouldNotBeNullOrWhiteSpace();
        await ShouldNameNoDotNetTypes(response);
    }

    [Fact]
    public async Task A_too_long_query_string_is_our_414()
    {
        var response = await _client.GetAsync("/api/measures?q=" + new string('a', 9000));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestUriTooLong, "uri-too-long");
        problem.GetProperty("limit").GetInt32().ShouldBe(8 * 1024);
        problem.GetProperty("correlationId").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Empty_framework_answers_are_catalogue_problems_too()
    {
        await (await _client.DeleteAsync("/api/measures")).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await (await _client.PostRaw("/api/measures", "title=x", "text/plain")).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Malformed_requests_are_logged_in_one_information_line_without_a_stack_trace()
    {
        // Only the entries written while these requests ran: background work logs what it logs.
        var traces = new List<string>();
        foreach (var response in new[]
        {
            await _client.PostRaw("/api/measures", "{\"title\": "),
            await _client.PostRaw("/api/measures", "{\"title\": 42}"),
            await _client.GetAsync($"/api/measures/{Guid.NewGuid()}?version=abc"),
            await _client.PostRaw("/api/measures/batch", "{\"items\": 42}"),
        })
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            traces.Add(problem.GetProperty("traceId").GetString()!.Split('-')[1]);
        }

        var entries = api.Logs.Entries.Where(e => e.TraceId is not null && traces.Contains(e.TraceId)).ToList();
        entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}").ShouldBeEmpty();
        entries.Where(e => e.Exception is not null || e.Message.Contains("   at ")).Select(e => $"{e.Category}: {e.Message}").ShouldBeEmpty();
        var problems = entries.Where(e => e.Category == "GemeinsamDigital.Api.Http.Problems").ToList();
        problems.Count.ShouldBe(4);
        problems.ShouldAllBe(e => e.Level == LogLevel.Information && !e.Message.Contains('\n'));
        problems.ShouldContain(e => e.Message.Contains("version"));
    }

    [Fact]
    public async Task Logs_carry_no_credentials_and_no_submitted_text()
    {
        const string key = "gd_c0nfidential-key-value";
        const string text = "Frau Erika Mustermann, erika@example.org";
        var token = api.Tokens.Create("test:skzl:secret-subject", GemeinsamDigital.Domain.Catalog.StrategyCatalog.SenateChancellery, [Roles.Editor]);
        api.Logs.Clear();
        await api.WithApiKey(key).GetAsync("/api/catalog");
        await api.WithBearer(token + "x").GetAsync("/api/measures");
        var proposal = System.Text.Json.JsonSerializer.Serialize(SampleCommands.Propose(title: text), HttpExtensions.JsonOptions);
        await api.WithBearer(token).PostRaw("/api/measures", proposal.Replace("\"problem\"", "\"problemX\""));
        await _client.PostRaw("/api/measures", proposal.Replace("{", "{\"unknown\": \"" + text + "\","));
        await _client.PostJson("/api/measures", SampleCommands.Propose(title: text));

        api.Logs.Entries.Count.ShouldBeGreaterThan(0);
        foreach (var entry in api.Logs.Entries)
        {
            var all = entry.Message + entry.Exception;
            foreach (var secret in new[] { key, token, "c0nfidential", "Mustermann", "erika@", "Password=" })
            {
                all.ShouldNotContain(secret, Case.Insensitive, $"{entry.Category} logged it");
            }
        }
    }
}
