using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>Revision phase commands go through the same pipeline as measure commands: Idempotency-Key included.</summary>
public class RevisionIdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RevisionDriver _phases = new(api.Client);

    private Task<HttpResponseMessage> Send(string url, object? body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HttpExtensions.JsonOptions);
        }
        request.Headers.Add(IdempotencyRequest.Header, key);
        return api.Client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, string? ETag, string? Location, string Body)> Answer(HttpResponseMessage r) =>
        (r.StatusCode, r.Headers.ETag?.Tag, r.Headers.Location?.ToString(), await r.Content.ReadAsStringAsync());

    private static void ShouldBeReplayed(HttpResponseMessage response) =>
        response.Headers.GetValues(IdempotencyRequest.ReplayedHeader).ShouldBe(["true"]);

    [Fact]
    public async Task Opening_lessons_and_closing_replay_the_stored_answer_for_a_repeated_key_and_record_once()
    {
        foreach (var open in (await _phases.List()).Where(p => p.Status == RevisionPhaseStatus.Open))
        {
            await _phases.Close(open.Id);
        }
        var from = (await _phases.List()).Select(p => p.To.AddDays(1)).DefaultIfEmpty(new DateOnly(2030, 1, 1)).Max();
        var opening = new OpenRevisionPhase("Idempotente Phase", from, from.AddMonths(3), null);
        var openKey = Guid.NewGuid().ToString();
        var opened = await Send("/api/revisions", opening, openKey);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var openedAgain = await Send("/api/revisions", opening, openKey);
        (await Answer(openedAgain)).ShouldBe(await Answer(opened));
        ShouldBeReplayed(openedAgain);
        (await _phases.List()).Count(p => p.Name == "Idempotente Phase").ShouldBe(1);
        var id = (await opened.Read<RevisionCommandAccepted>()).PhaseId;

        var lesson = new RecordRevisionLesson("Eine Lehre, einmal gesendet, zweimal zugestellt.", null, null, null);
        var lessonKey = Guid.NewGuid().ToString();
        var recorded = await Send($"/api/revisions/{id}/lessons", lesson, lessonKey);
        recorded.StatusCode.ShouldBe(HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync());
        var recordedAgain = await Send($"/api/revisions/{id}/lessons", lesson, lessonKey);
        (await Answer(recordedAgain)).ShouldBe(await Answer(recorded));
        ShouldBeReplayed(recordedAgain);
        (await _phases.Get(id)).Lessons.Count.ShouldBe(1);

        var closeKey = Guid.NewGuid().ToString();
        var closed = await Send($"/api/revisions/{id}/close", null, closeKey);
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        // A closed phase refuses another close (409); the retried close gets its first answer instead.
        var closedAgain = await Send($"/api/revisions/{id}/close", null, closeKey);
        (await Answer(closedAgain)).ShouldBe(await Answer(closed));
        ShouldBeReplayed(closedAgain);
        (await _phases.Get(id)).Version.ShouldBe((await closed.Read<RevisionCommandAccepted>()).Version);
    }

    [Fact]
    public async Task The_same_key_with_another_body_or_path_is_422_and_records_nothing()
    {
        var id = await _phases.OpenNext("Phase mit wiederverwendetem Schlüssel");
        var key = Guid.NewGuid().ToString();
        (await Send($"/api/revisions/{id}/lessons", new RecordRevisionLesson("Erste Lehre", null, null, null), key)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = (await _phases.Get(id)).Version;

        await (await Send($"/api/revisions/{id}/lessons", new RecordRevisionLesson("Andere Lehre", null, null, null), key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await (await Send($"/api/revisions/{id}/close", null, key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");

        var phase = await _phases.Get(id);
        phase.Version.ShouldBe(version);
        phase.Status.ShouldBe(RevisionPhaseStatus.Open);
        phase.Lessons.Select(l => l.Text).ShouldBe(["Erste Lehre"]);
    }
}
