using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>Drives revision phases through the HTTP API.</summary>
public sealed class RevisionDriver(HttpClient client)
{
    public Task<HttpResponseMessage> PostOpen(string name, DateOnly from, DateOnly to, RevisionScopeInput? scope = null) =>
        client.PostJson("/api/revisions", new OpenRevisionPhase(name, from, to, scope));

    public async Task<Guid> Open(string name, DateOnly from, DateOnly to, RevisionScopeInput? scope = null)
    {
        var response = await PostOpen(name, from, to, scope);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Read<RevisionCommandAccepted>()).PhaseId;
    }

    /// <summary>Closes whatever phase is open and opens one whose period follows every earlier one.</summary>
    public async Task<Guid> OpenNext(string name = "Revisionsphase")
    {
        var phases = await List();
        foreach (var open in phases.Where(p => p.Status == RevisionPhaseStatus.Open))
        {
            await Close(open.Id);
        }
        var from = phases.Count == 0 ? new DateOnly(2020, 1, 1) : phases.Max(p => p.To).AddDays(1);
        return await Open(name, from, from.AddMonths(6).AddDays(-1));
    }

    public Task<HttpResponseMessage> PostLesson(Guid id, RecordRevisionLesson lesson, string? ifMatch = null) =>
        client.PostJson($"/api/revisions/{id}/lessons", lesson, ifMatch);

    public async Task<RevisionCommandAccepted> Lesson(Guid id, string text, Guid? measureId = null, string[]? principles = null, string[]? perspectives = null)
    {
        var response = await PostLesson(id, new RecordRevisionLesson(text, measureId, principles, perspectives));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<RevisionCommandAccepted>();
    }

    public Task<HttpResponseMessage> PostClose(Guid id, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/revisions/{id}/close");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    public async Task<RevisionCommandAccepted> Close(Guid id)
    {
        var response = await PostClose(id);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<RevisionCommandAccepted>();
    }

    public async Task<List<RevisionPhaseState>> List() => (await (await Ok("/api/revisions")).Read<ItemList<RevisionPhaseState>>()).Items.ToList();

    public async Task<RevisionPhaseState> Get(Guid id) => await (await Ok($"/api/revisions/{id}")).Read<RevisionPhaseState>();

    public async Task<RevisionSnapshotView> Snapshot(Guid id) => await (await Ok($"/api/revisions/{id}/snapshot")).Read<RevisionSnapshotView>();

    public async Task<SnapshotVerification> Verify(Guid id) => await (await Ok($"/api/revisions/{id}/snapshot/verify")).Read<SnapshotVerification>();

    public async Task<RevisionComparison> Compare(Guid a, Guid b) => await (await Ok($"/api/revisions/{a}/compare/{b}")).Read<RevisionComparison>();

    public async Task<HttpResponseMessage> Ok(string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    /// <summary>Values compared by their JSON in the API's convention (records holding lists compare by reference).</summary>
    public static string AsJson<T>(T value) => JsonSerializer.Serialize(value, HttpExtensions.JsonOptions);
}
