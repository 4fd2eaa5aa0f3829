using System.Net;
using System.Text;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

/// <summary>The service with tight rate limits (the other fixtures relax them).</summary>
public sealed class RateLimitedApiFixture : ApiFixture
{
    public const int PerClient = 5;
    public const int Anonymous = 3;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:RateLimit:PermitLimit", PerClient.ToString());
        builder.UseSetting("Limits:RateLimit:AnonymousPermitLimit", Anonymous.ToString());
        builder.UseSetting("Limits:RateLimit:Window", "00:10:00");
    }
}

/// <summary>A window short enough to see it renewed.</summary>
public sealed class ShortWindowApiFixture : ApiFixture
{
    public const int PerClient = 3;
    public const int WindowSeconds = 10;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:RateLimit:PermitLimit", PerClient.ToString());
        builder.UseSetting("Limits:RateLimit:Window", $"00:00:{WindowSeconds:00}");
    }
}

/// <summary>RateLimit-Policy and RateLimit (IETF httpapi draft, structured fields) tell the truth about the caller's window.</summary>
public class RateLimitHeaderTests(ShortWindowApiFixture api) : IClassFixture<ShortWindowApiFixture>
{
    [Fact]
    public async Task Every_counted_answer_announces_quota_remaining_and_reset_and_the_reset_is_real()
    {
        var client = api.ClientFor("ba-mitte", Roles.Editor);
        var remaining = new List<int>();
        for (var i = 0; i < ShortWindowApiFixture.PerClient; i++)
        {
            // A success, a problem answer and a 404 count alike.
            var response = await client.GetAsync(i switch { 0 => "/api/catalog", 1 => "/api/measures?pageSize=0", _ => "/api/measures/not-a-uuid/history" });
            response.Headers.GetValues("RateLimit-Policy").Single().ShouldBe($"\"client\";q={ShortWindowApiFixture.PerClient};w={ShortWindowApiFixture.WindowSeconds}");
            var (r, t) = Parse(response);
            t.ShouldBeInRange(0, ShortWindowApiFixture.WindowSeconds);
            remaining.Add(r);
        }
        // Other clients may not share the window; this one's count goes down by one per request.
        remaining.ShouldBe([2, 1, 0]);

        var refused = await client.GetAsync("/api/catalog");
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        var (left, reset) = Parse(refused);
        left.ShouldBe(0);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBe(Math.Max(1, reset));
        retryAfter.ShouldBeInRange(1, ShortWindowApiFixture.WindowSeconds);

        // Waiting as long as announced is enough: the next window has the full quota again.
        await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(300));
        var again = await client.GetAsync("/api/catalog");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        Parse(again).Remaining.ShouldBe(ShortWindowApiFixture.PerClient - 1);
    }

    [Fact]
    public async Task Anonymous_callers_see_their_own_policy_and_health_probes_none()
    {
        var response = await api.AnonymousClient().GetAsync("/api/catalog");
        response.Headers.GetValues("RateLimit-Policy").Single().ShouldStartWith("\"anonymous\";q=");
        response.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"anonymous\";r=");
        var health = await api.AnonymousClient().GetAsync("/health/live");
        health.Headers.Contains("RateLimit").ShouldBeFalse();
        health.Headers.Contains("RateLimit-Policy").ShouldBeFalse();
    }

    private static (int Remaining, int Reset) Parse(HttpResponseMessage response)
    {
        var value = response.Headers.GetValues("RateLimit").Single();
        var match = System.Text.RegularExpressions.Regex.Match(value, "^\"client\";r=(\\d+);t=(\\d+)$");
        match.Success.ShouldBeTrue(value);
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }
}

public class RateLimitTests(RateLimitedApiFixture api) : IClassFixture<RateLimitedApiFixture>
{
    [Fact]
    public async Task Each_client_gets_its_own_window_and_then_429_with_Retry_After()
    {
        var busy = api.ClientFor("ba-mitte", Roles.Editor);
        for (var i = 0; i < RateLimitedApiFixture.PerClient; i++)
        {
            (await busy.GetAsync("/api/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refused = await busy.GetAsync("/api/catalog");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBeInRange(1, 600);
        problem.GetProperty("retryAfter").GetInt32().ShouldBe(retryAfter);
        // Commands count too, and are refused before anything is decided.
        await (await busy.PostJson("/api/measures", SampleCommands.Propose("ba-mitte", "Zu viel"))).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        await using (var session = api.Store.QuerySession())
        {
            (await session.Query<MeasureState>().CountAsync(m => m.Title == "Zu viel")).ShouldBe(0);
        }

        // Another client, with its own key or token, is not affected.
        (await api.ClientFor("ba-pankow", Roles.Editor).GetAsync("/api/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Health probes are never limited.
        for (var i = 0; i < 10; i++)
        {
            (await api.AnonymousClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Anonymous_callers_share_a_smaller_window_per_address()
    {
        var anonymous = api.AnonymousClient();
        for (var i = 0; i < RateLimitedApiFixture.Anonymous; i++)
        {
            (await anonymous.GetAsync("/api/measures")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refused = await api.AnonymousClient().GetAsync("/api/measures");
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        refused.Headers.Contains("Retry-After").ShouldBeTrue();
    }
}

public class RequestSizeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const long Limit = 1024 * 1024;

    private static string ProposalWithTitle(int length) =>
        $$"""{"title":"{{new string('x', length)}}","problemStatement":"p","type":"dezentral","lead":"ba-mitte","perspectives":["zp1"]}""";

    private async Task<int> MeasuresWithLongTitles()
    {
        await using var session = api.Store.QuerySession();
        return (await session.Query<MeasureState>().ToListAsync()).Count(m => m.Title.Length > FieldErrors.MaxTitle);
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_413_whether_announced_or_streamed()
    {
        var body = ProposalWithTitle((int)Limit + 10);
        await (await api.Client.PostRaw("/api/measures", body)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        // Without Content-Length (chunked): found while reading.
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/measures")
        {
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        (await api.Client.SendAsync(chunked)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // The same, where the body is read first to hash it for Idempotency-Key.
        var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/measures")
        {
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body))),
        };
        keyed.Content.Headers.ContentType = new("application/json");
        keyed.Headers.Add(IdempotencyRequest.Header, Guid.NewGuid().ToString());
        await (await api.Client.SendAsync(keyed)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        (await MeasuresWithLongTitles()).ShouldBe(0);
    }

    [Fact]
    public async Task A_body_under_the_limit_with_an_over_long_field_is_a_field_error()
    {
        var response = await api.Client.PostRaw("/api/measures", ProposalWithTitle(500_000));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem.GetProperty("errors").GetProperty("title")[0].GetString()!.ShouldContain(FieldErrors.MaxTitle.ToString());
    }

    [Fact]
    public async Task Every_text_field_of_a_command_has_a_maximum_length()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var huge = new string('ä', FieldErrors.MaxText + 1);
        var cases = new (string Url, object Body, string Field)[]
        {
            ("/api/measures", SampleCommands.Propose() with { ProblemStatement = huge }, "problemStatement"),
            ("/api/measures", SampleCommands.Propose() with { Description = huge }, "description"),
            ("/api/measures", SampleCommands.Propose() with { Source = new IdeaSourceInput("verwaltung", null, huge) }, "source.detail"),
            ($"/api/measures/{id}/understand-problem", new UnderstandProblem([new AffectedGroupInput(huge, "zivilgesellschaft", null)], "e"), "affectedGroups[0].name"),
            ($"/api/measures/{id}/understand-problem", new UnderstandProblem([new AffectedGroupInput("a", "zivilgesellschaft", null)], huge), "evidence"),
            ($"/api/measures/{id}/amend-details", new AmendDetails(huge, null, null), "title"),
            ($"/api/measures/{id}/withdraw", new WithdrawMeasure(huge), "reason"),
        };
        foreach (var (url, body, field) in cases)
        {
            var problem = await (await api.Client.PostJson(url, body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
            problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{url}: {field}");
        }
        (await (await api.Client.GetAsync($"/api/measures/{id}")).Read<MeasureState>()).Version.ShouldBe(1);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(100_000)]
    public async Task Json_nested_deeper_than_the_limit_is_400(int depth)
    {
        var deepArray = new string('[', depth) + new string(']', depth);
        var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        foreach (var body in new[]
        {
            deepArray,
            deepObject,
            $$"""{"title":{{deepArray}}}""",
            $$"""{"source":{{deepObject}}}""",
            $$"""{"unknown":{{deepObject}}}""",
        })
        {
            await (await api.Client.PostRaw("/api/measures", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }
        (await api.Client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>A stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
