using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;
using Xunit.Abstractions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

/// <summary>
/// Malformed requests against every operation of the OpenAPI document (so new endpoints are swept
/// too): wrong types, huge strings, deep JSON, unknown codes, invalid UUIDs, wrong content types,
/// broken headers and methods. None may answer 5xx.
/// </summary>
public class BadInputSweepTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private sealed record Probe(string Method, string Url, string? Body, string? ContentType, IReadOnlyDictionary<string, string>? Headers, string What);

    private static readonly string _huge = new('ä', 100_000);

    /// <summary>Values that replace one JSON value at a time.</summary>
    private static readonly string[] _wrongValues =
    [
        "123", "-1", "1e400", "true", "null", "\"\"", $"\"{_huge}\"", "[]", "{}", "[\"x\"]", "{\"a\":1}",
        "\"zz-unknown-code\"", "\"2024-13-45\"", "\"\\u0000\\ud800\"", "[" + string.Join(",", Enumerable.Repeat("\"zp1\"", 10_000)) + "]",
        new string('[', 500) + new string(']', 500),
    ];

    private static readonly string[] _badIds =
    [
        "not-a-uuid", "1", "-1", "00000000-0000-0000-0000-00000000000g", "'%20or%201=1--", "%01", "%2e%2e%2f%2e%2e", new string('f', 5000), "%C3%BC", "99999999999999999999999",
    ];

    private static readonly string[] _badQueryValues = ["abc", "-1", "0", "99999999999999999999", "", "%00", new string('x', 10_000), "1.5", "true", "Idea%27%3B--"];

    private static readonly (string Body, string What)[] _brokenBodies =
    [
        ("", "empty body"), ("null", "null"), ("[]", "array"), ("{", "truncated"), ("}", "stray brace"), ("\"text\"", "string"), ("123", "number"),
        ("<measure/>", "xml"), ("{\"title\":}", "missing value"), ("\uFEFF{}", "BOM"), ("{}", "empty object"), ("{\"title\":\"a\",\"title\":\"b\"}", "duplicate member"),
        ("{\"unknown\":1}", "unknown member"), (new string('{', 3000), "unclosed depth"), (string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000), "deep objects"),
    ];

    private static readonly string?[] _wrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "application/octet-stream", "application/json; charset=ebcdic",
    ];

    private static readonly (string Name, string Value)[] _badHeaders =
    [
        ("If-Match", "garbage"), ("If-Match", "W/\"1\""), ("If-Match", "\"-5\""), ("If-Match", "\"99999999999999999999\""), ("If-Match", "*"),
        (IdempotencyRequest.Header, new string('k', 1000)), (IdempotencyRequest.Header, "ä"), ("X-Reason", new string('r', 10_000)), ("X-Reason", "%ZZ%E0%A4%A"),
        ("X-Correlation-Id", new string('c', 10_000)), ("Accept", "text/html"), ("If-None-Match", new string('"', 999)),
    ];

    [Fact]
    public async Task Over_a_thousand_malformed_requests_across_all_operations_get_no_5xx()
    {
        var client = api.CreateClient();
        var measure = (await (await client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var doc = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json();
        var samples = SamplesBySchemaName();
        var probes = new List<Probe>();
        var operations = 0;

        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            var validPath = path.Name.Replace("{id}", measure.ToString());
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var method = operation.Name.ToUpperInvariant();
                var op = operation.Value;
                var parameters = op.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                string? schema = null;
                if (op.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema").TryGetProperty("$ref", out var reference))
                {
                    schema = reference.GetString()!.Split('/')[^1];
                }
                var baseBody = schema is not null && samples.TryGetValue(schema, out var sample) ? sample : (schema is null ? null : "{}");
                Probe Make(string url, string? body = null, string? contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null, string what = "") =>
                    new(method, url, body ?? baseBody, baseBody is null && body is null ? null : contentType, headers, what);

                // Invalid ids in the path.
                if (path.Name.Contains("{id}"))
                {
                    probes.AddRange(_badIds.Select(id => Make(path.Name.Replace("{id}", id), what: "id " + id[..Math.Min(20, id.Length)])));
                    probes.Add(Make(path.Name.Replace("{id}", Guid.NewGuid().ToString()), what: "unknown id"));
                }
                // Wrong query values.
                foreach (var query in parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!))
                {
                    probes.AddRange(_badQueryValues.Select(v => Make($"{validPath}?{query}={v}", what: $"query {query}")));
                    probes.Add(Make($"{validPath}?{query}=1&{query}=2", what: $"query {query} twice"));
                }
                // Broken headers.
                probes.AddRange(_badHeaders.Select(h => Make(validPath, headers: new Dictionary<string, string> { [h.Name] = h.Value }, what: $"header {h.Name}")));
                // Wrong methods.
                probes.AddRange(new[] { "PUT", "DELETE", "PATCH" }.Select(m => new Probe(m, validPath, "{}", "application/json", null, "method " + m)));

                if (baseBody is null)
                {
                    continue;
                }
                probes.AddRange(_brokenBodies.Select(b => Make(validPath, body: b.Body, what: b.What)));
                probes.AddRange(_wrongContentTypes.Select(ct => Make(validPath, contentType: ct, what: "content type " + ct)));
                // One value at a time replaced by a wrong one, at every place the sample has a value.
                var root = JsonNode.Parse(baseBody)!;
                foreach (var leaf in Paths(root, ""))
                {
                    probes.AddRange(_wrongValues.Select(v => Make(validPath, body: Replace(root, leaf, v), what: $"{schema}.{leaf}")));
                }
            }
        }

        // The strategy office gets every probe past authorization; every fourth goes out anonymously too.
        var anonymous = api.AnonymousClient();
        var sends = probes.Select(p => (Client: client, Probe: p)).Concat(probes.Where((_, i) => i % 4 == 0).Select(p => (Client: anonymous, Probe: p with { What = "anonymous " + p.What })));
        var results = new ConcurrentBag<(Probe Probe, int Status)>();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (send, ct) =>
        {
            var probe = send.Probe;
            var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url);
            if (probe.Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(probe.Body));
                if (probe.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
                }
            }
            foreach (var (name, value) in probe.Headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            var response = await send.Client.SendAsync(request, ct);
            results.Add((probe, (int)response.StatusCode));
        });

        var all = results.ToList();
        output.WriteLine($"{all.Count} malformed requests over {operations} operations: "
            + string.Join(", ", all.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}")));
        all.Count.ShouldBeGreaterThanOrEqualTo(1000);
        operations.ShouldBeGreaterThanOrEqualTo(25);
        all.Where(r => r.Status >= 500).Select(r => $"{r.Status} {r.Probe.Method} {r.Probe.Url[..Math.Min(80, r.Probe.Url.Length)]} {r.Probe.What}").ShouldBeEmpty();
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>A valid body per request schema, from the shared samples (schemas are named after their types).</summary>
    internal static Dictionary<string, string> SamplesBySchemaName()
    {
        var result = new Dictionary<string, string>();
        foreach (var method in typeof(SampleCommands).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().All(p => p.IsOptional || p.GetCustomAttribute<ParamArrayAttribute>() is not null)))
        {
            var value = method.Invoke(null, [.. method.GetParameters().Select(p => p.IsOptional ? p.DefaultValue : Array.CreateInstance(p.ParameterType.GetElementType()!, 0))])!;
            result.TryAdd(value.GetType().Name, JsonSerializer.Serialize(value, value.GetType(), HttpExtensions.JsonOptions));
        }
        result["CreateApiKey"] = """{"name":"Sweep","administration":"ba-mitte","roles":["editor"]}""";
        return result;
    }

    internal static IEnumerable<string> Paths(JsonNode node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [Join(path, p.Key)] : Paths(p.Value, Join(path, p.Key))).Prepend(path).Where(x => x.Length > 0),
        JsonArray a => a.SelectMany((item, i) => item is null ? [] : Paths(item, $"{path}[{i}]")).Prepend(path),
        _ => [path],
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    internal static string Replace(JsonNode root, string path, string raw)
    {
        var copy = JsonNode.Parse(root.ToJsonString())!;
        var parts = path.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries);
        var node = copy;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = parts[i].StartsWith('[') ? node[int.Parse(parts[i][1..^1])]! : node[parts[i]]!;
        }
        // The raw value is spliced in as text, so it may be anything, even JSON no serializer would write.
        const string Marker = "\"__SWEEP__\"";
        var last = parts[^1];
        if (last.StartsWith('['))
        {
            node[int.Parse(last[1..^1])] = "__SWEEP__";
        }
        else
        {
            node[last] = "__SWEEP__";
        }
        return copy.ToJsonString().Replace(Marker, raw);
    }
}
