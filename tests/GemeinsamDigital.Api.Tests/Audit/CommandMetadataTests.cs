using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>Actor, administration, reason, correlation and causation ids: from the request into every event, and back out through /history.</summary>
public class CommandMetadataTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<(HttpResponseMessage Response, Guid Id)> Propose(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/measures") { Content = System.Net.Http.Json.JsonContent.Create(SampleCommands.Propose(), options: HttpExtensions.JsonOptions) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await _client.SendAsync(request);
        return (response, (await response.Read<CommandAccepted>()).MeasureId);
    }

    private async Task<MeasureEventView> First(Guid id) =>
        (await (await _client.GetAsync($"/api/measures/{id}/history")).Read<HistoryPage>()).Items[0];

    [Fact]
    public async Task A_w3c_traceparent_gives_correlation_and_causation_ids()
    {
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string parent = "00f067aa0ba902b7";
        var (response, id) = await Propose(("traceparent", $"00-{trace}-{parent}-01"), ("X-Reason", "Beschluss%20des%20Bezirksamts"));
        response.Headers.GetValues("X-Correlation-Id").ShouldBe([trace]);

        var e = await First(id);
        (e.CorrelationId, e.CausationId, e.Reason, e.ActorName).ShouldBe((trace, parent, "Beschluss des Bezirksamts", ApiFixture.DefaultActor));

        // The command on the existing measure carries its own.
        var step = new HttpRequestMessage(HttpMethod.Post, $"/api/measures/{id}/understand-problem")
        {
            Content = System.Net.Http.Json.JsonContent.Create(SampleCommands.UnderstandProblem(), options: HttpExtensions.JsonOptions),
        };
        step.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-b7ad6b7169203331-01");
        (await _client.SendAsync(step)).EnsureSuccessStatusCode();
        var second = (await (await _client.GetAsync($"/api/measures/{id}/history?fromVersion=2")).Read<HistoryPage>()).Items.ShouldHaveSingleItem();
        (second.CorrelationId, second.CausationId, second.Reason).ShouldBe((trace, "b7ad6b7169203331", null));
    }

    [Fact]
    public async Task An_explicit_correlation_id_wins_and_the_request_id_is_the_cause()
    {
        var (response, id) = await Propose(("X-Correlation-Id", "antrag-2024-17"), ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        response.Headers.GetValues("X-Correlation-Id").ShouldBe(["antrag-2024-17"]);
        var e = await First(id);
        e.CorrelationId.ShouldBe("antrag-2024-17");
        e.CausationId.ShouldBe("00f067aa0ba902b7");

        (response, id) = await Propose(("X-Correlation-Id", "antrag-2024-18"));
        e = await First(id);
        e.CorrelationId.ShouldBe("antrag-2024-18");
        e.CausationId.ShouldNotBeNullOrWhiteSpace();
        e.CausationId.ShouldNotBe(e.CorrelationId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00-xyz-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public async Task Without_a_usable_id_one_is_generated_and_returned(string? traceparent)
    {
        var (response, id) = traceparent is null ? await Propose() : await Propose(("traceparent", traceparent));
        var returned = response.Headers.GetValues("X-Correlation-Id").ShouldHaveSingleItem();
        returned.ShouldNotBeNullOrWhiteSpace();
        if (traceparent is not null)
        {
            traceparent.ShouldNotContain(returned);
        }
        var e = await First(id);
        e.CorrelationId.ShouldBe(returned);
        e.CausationId.ShouldNotBeNullOrWhiteSpace();
    }
}
