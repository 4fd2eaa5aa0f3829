using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Xunit.Abstractions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

/// <summary>
/// Text no person types — NUL, other control characters, non-characters, lone surrogates — in every
/// string of every command body of the OpenAPI document (so new fields are swept too) and in
/// X-Reason, as the strategy office and as an editor: never a 5xx, a refusal names the field, and
/// nothing is stored. Text that is unusual but valid (right-to-left override) is no error.
/// </summary>
public class HostileTextTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const string EditorAdministration = SampleCommands.Lead;

    /// <summary>Raw JSON string literals that the text rule refuses once they are parsed.</summary>
    private static readonly string[] _refused =
    [
        "\"a\\u0000b\"", "\"\\u0007\\u0008\"", "\"x\\u001By\"", "\"x\\u007Fy\"", "\"x\\u0085y\"", "\"x\\uFFFFy\"", "\"\\uFDD0\"", "\"x\\uD83F\\uDFFEy\"",
    ];

    /// <summary>Never a 5xx, never stored, but not necessarily a field error (JSON itself may be at fault).</summary>
    private static readonly string[] _broken = ["\"x\\uD800y\"", "\"\\uDC00\""];

    /// <summary>Longer than any field's documented maximum: refused naming the field, never stored.</summary>
    private static readonly string _huge = $"\"{new string('ä', 100_000)}\"";

    private sealed record Probe(string Url, string Body, string Leaf, string Value, bool Refused, HttpClient Client, string Who);

    [Fact]
    public async Task Hostile_text_in_any_field_of_any_command_is_refused_naming_the_field_for_every_role()
    {
        var office = api.CreateClient();
        var editor = api.ClientFor(EditorAdministration, Roles.Editor);
        var measure = (await (await office.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var phase = await new Revisions.RevisionDriver(office).OpenNext("Phase für feindlichen Text");
        var doc = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json();
        var samples = BadInputSweepTests.SamplesBySchemaName();
        var probes = new List<Probe>();
        var operations = new HashSet<string>();

        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("post", out var post) || !post.TryGetProperty("requestBody", out var requestBody)
                || !requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema").TryGetProperty("$ref", out var reference)
                || !samples.TryGetValue(reference.GetString()!.Split('/')[^1], out var sample))
            {
                continue;
            }
            var url = path.Name.Replace("{id}", (path.Name.StartsWith("/api/revisions") ? phase : measure).ToString());
            operations.Add(path.Name);
            var root = JsonNode.Parse(sample)!;
            foreach (var leaf in BadInputSweepTests.Paths(root, "").Where(p => IsText(root, p)))
            {
                foreach (var (client, who) in new[] { (office, "strategy office"), (editor, "editor") })
                {
                    probes.AddRange(_refused.Select(v => new Probe(url, BadInputSweepTests.Replace(root, leaf, v), leaf, v, true, client, who)));
                    probes.AddRange(_broken.Select(v => new Probe(url, BadInputSweepTests.Replace(root, leaf, v), leaf, v, false, client, who)));
                    probes.Add(new Probe(url, BadInputSweepTests.Replace(root, leaf, "\"links\\u202Erechts\""), leaf, "RTL override", false, client, who));
                    probes.Add(new Probe(url, BadInputSweepTests.Replace(root, leaf, _huge), leaf, "100,000 characters", true, client, who));
                }
            }
        }
        var before = await StoredEventCount();

        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (probe, ct) =>
        {
            var response = await probe.Client.PostRaw(probe.Url, probe.Body);
            var status = (int)response.StatusCode;
            statuses.Add(status);
            var what = $"{probe.Who} {probe.Url[..Math.Min(60, probe.Url.Length)]} {probe.Leaf} = {probe.Value}: {status}";
            if (status >= 500)
            {
                failures.Add(what + " " + await response.Content.ReadAsStringAsync(ct));
            }
            else if (probe.Refused && status != 403 && !await NamesField(response, probe.Leaf))
            {
                // An editor may be refused the operation outright (403); anything else must be a 400 naming the field.
                failures.Add(what + " does not name the field: " + await response.Content.ReadAsStringAsync(ct));
            }
        });

        output.WriteLine($"{probes.Count} requests over {operations.Count} operations: "
            + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}")));
        operations.Count.ShouldBeGreaterThanOrEqualTo(20);
        failures.ShouldBeEmpty();
        // Refused and broken text is never stored: only the valid right-to-left texts may have added events.
        var stored = await StoredTexts(before);
        stored.Where(t => FieldErrors.ForbiddenCharacter(t) is not null).ShouldBeEmpty();
        stored.ShouldNotContain(t => t.Length >= 100_000);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("Grund%07")]
    [InlineData("%EF%BF%BF")]
    [InlineData("Grund%C2%85")]
    public async Task Hostile_text_in_the_reason_header_is_refused_naming_it(string reason)
    {
        var measure = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var editor = api.ClientFor(EditorAdministration, Roles.Editor);
        foreach (var (client, url, body) in new (HttpClient, string, object)[]
        {
            (api.Client, "/api/measures", SampleCommands.Propose()), (api.Client, $"/api/measures/{measure}/understand-problem", SampleCommands.UnderstandProblem()),
            (editor, "/api/measures", SampleCommands.Propose()), (editor, $"/api/measures/{measure}/understand-problem", SampleCommands.UnderstandProblem()),
        })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), HttpExtensions.JsonOptions), Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("X-Reason", reason);
            var response = await client.SendAsync(request);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.GetProperty("errors").TryGetProperty("x-reason", out _).ShouldBeTrue();
        }
        await using var session = api.Store.QuerySession();
        (await session.Events.FetchStreamAsync(measure)).Count.ShouldBe(1);
    }

    private static bool IsText(JsonNode root, string leaf)
    {
        var node = root;
        foreach (var part in leaf.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = part.StartsWith('[') ? node?[int.Parse(part[1..^1])] : node?[part];
        }
        // Dates, ids and numbers are not text: they are refused by their format, not by the text rule.
        return node is JsonValue value && value.TryGetValue<string>(out var text)
            && !DateOnly.TryParse(text, out _) && !DateTimeOffset.TryParse(text, out _) && !Guid.TryParse(text, out _);
    }

    private static async Task<bool> NamesField(HttpResponseMessage response, string leaf)
    {
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return false;
        }
        var body = await response.Json();
        return body.TryGetProperty("errors", out var errors)
            && errors.EnumerateObject().Any(e => string.Equals(e.Name, leaf, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<long> StoredEventCount()
    {
        await using var session = api.Store.QuerySession();
        // Not Marten's tombstones, which fill gaps in the sequence left by rolled-back appends, seconds later.
        return (await session.QueryAsync<long>("select count(*) from gd.mt_events where type <> 'tombstone'")).Single();
    }

    private async Task<List<string>> StoredTexts(long skip)
    {
        await using var session = api.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).Skip((int)skip).ToListAsync();
        return [.. events.SelectMany(e => Strings(JsonSerializer.SerializeToElement(e.Data, e.Data.GetType())))];
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
