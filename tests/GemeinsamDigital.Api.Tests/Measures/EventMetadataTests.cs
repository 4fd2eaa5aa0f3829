using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>Who, on whose behalf, when and why: recorded with every event and read back from its stream.</summary>
public class EventMetadataTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    [Fact]
    public async Task The_reason_given_in_X_Reason_round_trips_into_the_events()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/measures") { Content = System.Net.Http.Json.JsonContent.Create(SampleCommands.Propose(), options: HttpExtensions.JsonOptions) };
        request.Headers.TryAddWithoutValidation(CommandMetadata.ReasonHttpHeader, "Vorschlag aus dem Stadtgremium");
        var created = await api.Client.SendAsync(request);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Read<GemeinsamDigital.Api.Measures.CommandAccepted>()).MeasureId;

        // Non-ASCII reasons travel percent-encoded (UTF-8) in the header and are stored decoded.
        var before = DateTimeOffset.UtcNow;
        await _measures.Send(id, SampleCommands.UnderstandProblem(), reason: Uri.EscapeDataString("Begehung mit dem Behindertenbeirat (Lärm, Barrieren)"));
        await _measures.Send(id, SampleCommands.AmendDetails());
        var after = DateTimeOffset.UtcNow;

        var events = await _measures.Events(id);
        events.Select(e => e.Reason).ShouldBe(["Vorschlag aus dem Stadtgremium", "Begehung mit dem Behindertenbeirat (Lärm, Barrieren)", null]);
        // The fixture's default client acts as the strategy office of the Senatskanzlei.
        events.ShouldAllBe(e => e.ActorName == ApiFixture.DefaultActor && e.Actor!.StartsWith(SubjectDirectory.Prefix) && e.Administration == "skzl");
        events[1].Timestamp.ShouldBeInRange(before.AddSeconds(-1), after.AddSeconds(1));
        events.Select(e => e.Timestamp).ShouldBeInOrder();
    }

    [Fact]
    public async Task The_correlation_id_is_echoed_and_recorded()
    {
        var id = await _measures.Propose();
        var response = await _measures.Post(id, SampleCommands.UnderstandProblem(), correlationId: "gremium-2024-03");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues(CommandMetadata.CorrelationHttpHeader).ShouldBe(["gremium-2024-03"]);
        (await _measures.Events(id))[^1].CorrelationId.ShouldBe("gremium-2024-03");
    }

    [Fact]
    public async Task Reason_and_correlation_are_recorded_together()
    {
        var id = await _measures.Propose();
        var response = await _measures.Post(id, SampleCommands.Withdraw(), reason: "Doppelung", correlationId: "c-1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var withdrawn = (await _measures.Events(id))[^1];
        (withdrawn.Type, withdrawn.Reason, withdrawn.CorrelationId, withdrawn.ActorName).ShouldBe(("measure-withdrawn", "Doppelung", "c-1", ApiFixture.DefaultActor));
    }
}
