using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

public class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static Task<HttpResponseMessage> Send(HttpClient client, string url, object body, string key, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: HttpExtensions.JsonOptions) };
        request.Headers.Add(IdempotencyRequest.Header, key);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    private async Task<long> EventCount(Guid id)
    {
        await using var session = api.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Count;
    }

    private async Task<int> MeasuresTitled(string title)
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<MeasureState>().CountAsync(m => m.Title == title);
    }

    private static async Task<(HttpStatusCode Status, string? ETag, string? Location, string Body)> Answer(HttpResponseMessage r) =>
        (r.StatusCode, r.Headers.ETag?.Tag, r.Headers.Location?.ToString(), await r.Content.ReadAsStringAsync());

    [Fact]
    public async Task A_retried_proposal_answers_the_first_response_again_and_records_one_measure()
    {
        var key = Guid.NewGuid().ToString();
        var proposal = SampleCommands.Propose("ba-mitte", "Idempotenter Vorschlag");
        var first = await Send(api.Client, "/api/measures", proposal, key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        first.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();

        var again = await Send(api.Client, "/api/measures", proposal, key);
        (await Answer(again)).ShouldBe(await Answer(first));
        again.Headers.GetValues(IdempotencyRequest.ReplayedHeader).ShouldBe(["true"]);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await MeasuresTitled("Idempotenter Vorschlag")).ShouldBe(1);
    }

    [Fact]
    public async Task A_retried_command_answers_the_first_response_again_and_appends_nothing()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var key = Guid.NewGuid().ToString();
        var first = await Send(api.Client, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), key, ifMatch: "\"1\"");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Same request again, even with an If-Match that is stale by now: the first answer, nothing appended.
        var again = await Send(api.Client, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), key, ifMatch: "\"1\"");
        (await Answer(again)).ShouldBe(await Answer(first));
        again.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await EventCount(id)).ShouldBe(2);
    }

    [Fact]
    public async Task The_same_key_with_another_body_or_path_is_422_and_appends_nothing()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var key = Guid.NewGuid().ToString();
        (await Send(api.Client, $"/api/measures/{id}/amend-details", new AmendDetails("Erster Titel", null, null), key)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await Send(api.Client, $"/api/measures/{id}/amend-details", new AmendDetails("Anderer Titel", null, null), key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await (await Send(api.Client, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await (await Send(api.Client, "/api/measures", SampleCommands.Propose(), key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        (await EventCount(id)).ShouldBe(2);
    }

    [Fact]
    public async Task Keys_are_scoped_per_caller()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose("ba-mitte"))).Read<CommandAccepted>()).MeasureId;
        const string key = "shared-key-1";
        var office = await Send(api.Client, $"/api/measures/{id}/amend-details", new AmendDetails("Titel der Senatskanzlei", null, null), key);
        office.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Another caller's identical key is a different key: no replay of someone else's answer, no 422.
        var editor = await Send(api.ClientFor("ba-mitte", Roles.Editor), $"/api/measures/{id}/amend-details", new AmendDetails("Titel des Bezirks", null, null), key);
        editor.StatusCode.ShouldBe(HttpStatusCode.OK);
        editor.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();
        (await EventCount(id)).ShouldBe(3);
    }

    [Fact]
    public async Task Refused_commands_are_not_remembered()
    {
        var id = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        var key = Guid.NewGuid().ToString();
        await (await Send(api.Client, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), key, ifMatch: "\"9\""))
            .ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        var retried = await Send(api.Client, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), key, ifMatch: "\"1\"");
        retried.StatusCode.ShouldBe(HttpStatusCode.OK);
        retried.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();
    }

    [Theory]
    [InlineData("mit leerzeichen")]
    [InlineData("ümlaut")]
    [InlineData("two", "values")]
    [InlineData("x", null)]
    public async Task Malformed_keys_are_400_and_record_nothing(params string?[] values)
    {
        var key = values.Length == 2 && values[1] is null ? new string('k', IdempotencyRequest.MaxKeyLength + 1) : null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/measures")
        {
            Content = JsonContent.Create(SampleCommands.Propose("ba-reinickendorf", "Schlüsselprobe"), options: HttpExtensions.JsonOptions),
        };
        request.Headers.TryAddWithoutValidation(IdempotencyRequest.Header, key is null ? values.OfType<string>() : [key]);
        var response = await api.Client.SendAsync(request);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        // Error keys go through the camelCase policy: "idempotency-Key".
        problem.GetProperty("errors").EnumerateObject().ShouldContain(e => e.Name.Equals(IdempotencyRequest.Header, StringComparison.OrdinalIgnoreCase));
        (await MeasuresTitled("Schlüsselprobe")).ShouldBe(0);
    }

    [Fact]
    public async Task Two_hundred_retried_requests_append_each_step_exactly_once()
    {
        const int Measures = 25;
        var clients = Enumerable.Range(0, 4).Select(_ => api.CreateClient()).ToList();
        var retried = 0;

        // Each request goes out three times: two at once (a client that timed out and retried
        // while the first was still running) and once more after both answered.
        async Task<HttpResponseMessage> Thrice(int n, string url, object body, string key)
        {
            var pair = await Task.WhenAll(Send(clients[n % 4], url, body, key), Send(clients[(n + 1) % 4], url, body, key));
            var late = await Send(clients[(n + 2) % 4], url, body, key);
            Interlocked.Add(ref retried, 2);
            var answers = new[] { await Answer(pair[0]), await Answer(pair[1]), await Answer(late) };
            answers.Distinct().Count().ShouldBe(1, string.Join("\n", answers));
            return late;
        }

        var proposals = await Task.WhenAll(Enumerable.Range(0, Measures).Select(n =>
            Thrice(n, "/api/measures", SampleCommands.Propose("ba-pankow", $"Wiederholt {n}"), $"propose-{n}")));
        var ids = new List<Guid>();
        foreach (var proposal in proposals)
        {
            proposal.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add((await proposal.Read<CommandAccepted>()).MeasureId);
        }
        var steps = await Task.WhenAll(ids.Select((id, n) => Thrice(n, $"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), $"understand-{n}")));
        steps.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var amendments = await Task.WhenAll(ids.Select((id, n) => Thrice(n, $"/api/measures/{id}/amend-details", new AmendDetails(null, null, $"Beschreibung {n}"), $"amend-{n}")));
        amendments.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var risks = await Task.WhenAll(ids.Select((id, n) => Thrice(n, $"/api/measures/{id}/withdraw", SampleCommands.Withdraw(), $"withdraw-{n}")));
        risks.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        retried.ShouldBeGreaterThanOrEqualTo(200);
        for (var n = 0; n < Measures; n++)
        {
            (await MeasuresTitled($"Wiederholt {n}")).ShouldBe(1);
            await using var session = api.Store.QuerySession();
            (await session.Events.FetchStreamAsync(ids[n])).Select(e => e.EventTypeName)
                .ShouldBe(["measure-proposed.v2", "problem-understood", "details-amended", "measure-withdrawn"]);
        }
    }

    [Fact]
    public async Task Answers_are_kept_for_the_retention_and_then_forgotten()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Send(api.Client, "/api/measures", SampleCommands.Propose("ba-lichtenberg", "Vergessen"), key);

        await using (var session = api.Store.LightweightSession())
        {
            var record = await session.Query<IdempotencyRecord>().SingleAsync(r => r.Key == key);
            (record.ExpiresAt - record.CreatedAt).ShouldBe(TimeSpan.FromHours(24));
            record.Status.ShouldBe(201);
            record.Location.ShouldBe(first.Headers.Location!.ToString());
            // Let it expire.
            session.Update(record with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
            await session.SaveChangesAsync();
        }
        var afterExpiry = await Send(api.Client, "/api/measures", SampleCommands.Propose("ba-lichtenberg", "Vergessen"), key);
        afterExpiry.StatusCode.ShouldBe(HttpStatusCode.Created);
        afterExpiry.Headers.Location.ShouldNotBe(first.Headers.Location);
        (await MeasuresTitled("Vergessen")).ShouldBe(2);

        await using (var session = api.Store.LightweightSession())
        {
            var record = await session.Query<IdempotencyRecord>().SingleAsync(r => r.Key == key);
            session.Update(record with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
            await session.SaveChangesAsync();
        }
        var cleanup = api.Services.GetServices<IHostedService>().OfType<IdempotencyCleanup>().Single();
        await cleanup.DeleteExpiredAsync(CancellationToken.None);
        await using (var session = api.Store.QuerySession())
        {
            (await session.Query<IdempotencyRecord>().AnyAsync(r => r.Key == key)).ShouldBeFalse();
        }
    }
}
