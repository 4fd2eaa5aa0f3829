using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>
/// Problem answers of revision phases (400/404/406/409/412/422), ETags, and the immutability of a
/// closed phase. Tests share one database: each starts from its own phase (RevisionDriver.OpenNext).
/// </summary>
public class RevisionRuleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RevisionDriver _revisions = new(api.Client);
    private readonly MeasureDriver _measures = new(api.Client);

    private static async Task<JsonElement> ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        body.GetProperty("type").GetString().ShouldBe("https://gemeinsamdigital.berlin.de/problems/" + type, text);
        return body;
    }

    [Fact]
    public async Task An_unknown_phase_is_404_for_every_read_and_command()
    {
        var measure = await _measures.Propose();
        var known = await _revisions.OpenNext();
        foreach (var id in new[] { Guid.NewGuid(), measure })
        {
            foreach (var url in new[] { $"/api/revisions/{id}", $"/api/revisions/{id}/snapshot", $"/api/revisions/{id}/snapshot/verify", $"/api/revisions/{id}/compare/{known}", $"/api/revisions/{known}/compare/{id}" })
            {
                var response = await api.Client.GetAsync(url);
                if (url.EndsWith($"compare/{id}", StringComparison.Ordinal))
                {
                    // The first phase is looked at first: the open one answers 409 before the unknown one is reached.
                    response.StatusCode.ShouldBe(HttpStatusCode.Conflict, url);
                    continue;
                }
                await ShouldBeProblem(response, HttpStatusCode.NotFound, "revision-phase-not-found");
            }
            await ShouldBeProblem(await _revisions.PostLesson(id, new("Eine Lehre.", null, null, null)), HttpStatusCode.NotFound, "revision-phase-not-found");
            await ShouldBeProblem(await _revisions.PostClose(id), HttpStatusCode.NotFound, "revision-phase-not-found");
        }
        (await api.Client.GetAsync("/api/revisions/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_input_is_400_with_field_errors()
    {
        var phase = await _revisions.OpenNext();
        var open = await api.Client.PostJson("/api/revisions", new OpenRevisionPhase(" ", null, null, new RevisionScopeInput(null, "ba-atlantis", "skzl", "zp9")));
        var errors = (await ShouldBeProblem(open, HttpStatusCode.BadRequest, "validation")).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["name", "from", "to", "scope.lead", "scope.district", "scope.perspective"], ignoreOrder: true);
        await ShouldBeProblem(await api.Client.PostRaw("/api/revisions", "null"), HttpStatusCode.BadRequest, "missing-body");
        (await api.Client.PostRaw("/api/revisions", "{\"name\": ")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Client.PostRaw("/api/revisions", "{\"nmae\": \"x\"}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var lesson = await _revisions.PostLesson(phase, new RecordRevisionLesson("", null, ["mutig"], null));
        (await ShouldBeProblem(lesson, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").EnumerateObject().Select(e => e.Name)
            .ShouldBe(["text", "principles[0]"], ignoreOrder: true);
        (await ShouldBeProblem(await _revisions.PostClose(phase, ifMatch: "W/\"1\""), HttpStatusCode.BadRequest, "validation"))
            .GetProperty("errors").TryGetProperty("if-match", out _).ShouldBeTrue();
        (await _revisions.Get(phase)).Version.ShouldBe(1, "nothing was appended");
    }

    [Fact]
    public async Task Broken_rules_are_422_and_only_one_phase_is_open()
    {
        var first = await _revisions.OpenNext("Erste");
        var state = await _revisions.Get(first);
        var second = await _revisions.PostOpen("Zweite", state.To.AddDays(1), state.To.AddDays(30));
        var conflict = await ShouldBeProblem(second, HttpStatusCode.Conflict, "revision-phase-already-open");
        conflict.GetProperty("openPhaseId").GetGuid().ShouldBe(first);

        await _revisions.Close(first);
        (await ShouldBeProblem(await _revisions.PostOpen("Zweite", state.To.AddDays(1), state.To), HttpStatusCode.UnprocessableEntity, "rule-violated"))
            .GetProperty("errors").TryGetProperty("to", out _).ShouldBeTrue();
        (await ShouldBeProblem(await _revisions.PostOpen("Zweite", state.To, state.To.AddDays(30)), HttpStatusCode.UnprocessableEntity, "rule-violated"))
            .GetProperty("errors").TryGetProperty("from", out _).ShouldBeTrue();

        var next = await _revisions.Open("Zweite", state.To.AddDays(1), state.To.AddDays(1));
        (await ShouldBeProblem(await _revisions.PostLesson(next, new("Zu einer unbekannten Maßnahme.", Guid.NewGuid(), null, null)), HttpStatusCode.UnprocessableEntity, "rule-violated"))
            .GetProperty("errors").TryGetProperty("measureId", out _).ShouldBeTrue();
        var opened = await _revisions.Get(next);
        opened.ShouldBe(opened with { PreviousPhaseId = first, SinceSequence = (await _revisions.Get(first)).AsOfSequence!.Value, Status = RevisionPhaseStatus.Open });
    }

    [Fact]
    public async Task A_closed_phase_and_its_snapshot_never_change()
    {
        var phase = await _revisions.OpenNext();
        var measure = await _measures.ProposeIn(MeasureStage.Evaluated);
        await _revisions.Lesson(phase, "Früher messen.", measure);
        var closed = await _revisions.Close(phase);
        closed.Status.ShouldBe(RevisionPhaseStatus.Closed);
        closed.Events.ShouldBe(["revision-measure-lessons-linked", "revision-phase-closed"]);
        var before = await _revisions.Snapshot(phase);

        var lesson = await ShouldBeProblem(await _revisions.PostLesson(phase, new("Noch eine Lehre.", null, null, null)), HttpStatusCode.Conflict, "revision-phase-closed");
        lesson.GetProperty("command").GetString().ShouldBe("lessons");
        await ShouldBeProblem(await _revisions.PostClose(phase), HttpStatusCode.Conflict, "revision-phase-closed");
        await ShouldBeProblem(await _revisions.PostClose(phase, ifMatch: $"\"{closed.Version}\""), HttpStatusCode.Conflict, "revision-phase-closed");
        await _measures.Send(measure, SampleCommands.Scale());

        (await _revisions.Get(phase)).Version.ShouldBe(closed.Version);
        RevisionDriver.AsJson(await _revisions.Snapshot(phase)).ShouldBe(RevisionDriver.AsJson(before));
        (await _revisions.Verify(phase)).Matches.ShouldBeTrue();
    }

    [Fact]
    public async Task An_open_phase_has_no_snapshot_yet()
    {
        var closed = await _revisions.OpenNext("Geschlossen");
        var open = await _revisions.OpenNext("Offen");
        foreach (var url in new[] { $"/api/revisions/{open}/snapshot", $"/api/revisions/{open}/snapshot/verify", $"/api/revisions/{closed}/compare/{open}" })
        {
            (await ShouldBeProblem(await api.Client.GetAsync(url), HttpStatusCode.Conflict, "revision-phase-open")).GetProperty("phaseId").GetGuid().ShouldBe(open);
        }
    }

    [Fact]
    public async Task ETags_carry_the_phase_stream_version()
    {
        var phase = await _revisions.OpenNext();
        (await _revisions.Lesson(phase, "Erste Lehre.")).Version.ShouldBe(2);
        var read = await api.Client.GetAsync($"/api/revisions/{phase}");
        read.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{phase}");
        again.Headers.TryAddWithoutValidation("If-None-Match", "\"2\"");
        (await api.Client.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);

        await ShouldBeProblem(await _revisions.PostLesson(phase, new("Veraltet.", null, null, null), ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed, "stale-version");
        await ShouldBeProblem(await _revisions.PostClose(phase, ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed, "stale-version");
        var lesson = await _revisions.PostLesson(phase, new("Aktuell.", null, null, null), ifMatch: "\"2\"");
        lesson.StatusCode.ShouldBe(HttpStatusCode.OK);
        lesson.Headers.ETag!.Tag.ShouldBe("\"3\"");
        var close = await _revisions.PostClose(phase, ifMatch: "\"3\"");
        close.StatusCode.ShouldBe(HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
        close.Headers.ETag!.Tag.ShouldBe("\"4\"");
        var snapshot = await _revisions.Ok($"/api/revisions/{phase}/snapshot");
        snapshot.Headers.ETag!.Tag.ShouldBe("\"4\"");
        snapshot.Headers.GetValues("X-Event-Sequence").Single().ShouldBe((await _revisions.Get(phase)).AsOfSequence.ToString());
    }

    [Fact]
    public async Task Phases_compare_earlier_with_later_and_a_snapshot_is_json_or_csv_only()
    {
        var first = await _revisions.OpenNext();
        var second = await _revisions.OpenNext();
        await _revisions.Close(second);
        (await ShouldBeProblem(await api.Client.GetAsync($"/api/revisions/{second}/compare/{first}"), HttpStatusCode.BadRequest, "validation"))
            .GetProperty("errors").TryGetProperty("otherId", out _).ShouldBeTrue();
        var same = await _revisions.Compare(second, second);
        same.Added.ShouldBeEmpty();
        same.Advanced.ShouldBeEmpty();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{first}/snapshot");
        request.Headers.TryAddWithoutValidation("Accept", "image/png");
        await ShouldBeProblem(await api.Client.SendAsync(request), HttpStatusCode.NotAcceptable, "not-acceptable");
    }

    [Fact]
    public async Task A_scope_limits_the_snapshot_to_matching_measures()
    {
        var pankow = await _measures.Propose(SampleCommands.Propose("ba-pankow", "Jugendbeteiligung digital"));
        await _measures.Propose(SampleCommands.Propose("ba-mitte", "Anderswo"));
        var phases = await _revisions.List();
        foreach (var open in phases.Where(p => p.Status == RevisionPhaseStatus.Open))
        {
            await _revisions.Close(open.Id);
        }
        var from = phases.Count == 0 ? new DateOnly(2020, 1, 1) : phases.Max(p => p.To).AddDays(1);
        var phase = await _revisions.Open("Nur Pankow", from, from.AddDays(10), new RevisionScopeInput(null, null, "ba-pankow", null));
        await _revisions.Close(phase);
        var snapshot = (await _revisions.Snapshot(phase)).Snapshot;
        snapshot.Scope.ShouldBe(new RevisionScope(null, null, "ba-pankow", null));
        snapshot.Measures.Select(m => m.Id).ShouldBe([pankow]);
        snapshot.Portfolio.Measures.ShouldBe(1);
    }
}
