using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

public class ErrorResponseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<Guid> Proposed() => (await (await _client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.Json();
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("{\"title\": ")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"title\": 42}")]
    [InlineData("{\"perspectives\": \"zp1\"}")]
    public async Task Malformed_json_is_400(string body)
    {
        var response = await _client.PostRaw("/api/measures", body);
        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Malformed_json_on_a_command_is_400_and_appends_nothing()
    {
        var id = await Proposed();
        await ShouldBeProblem(await _client.PostRaw($"/api/measures/{id}/understand-problem", "{\"evidence\": [}"), HttpStatusCode.BadRequest);
        (await (await _client.GetAsync($"/api/measures/{id}")).Read<GemeinsamDigital.Domain.Measures.MeasureState>()).Version.ShouldBe(1);
    }

    [Fact]
    public async Task Missing_and_invalid_fields_are_400_with_field_errors()
    {
        var response = await _client.PostRaw("/api/measures", "{\"title\": \"\", \"type\": \"quantum\", \"lead\": \"ba-atlantis\", \"perspectives\": [\"zp9\"]}");
        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        var errors = (await response.Json()).GetProperty("errors");
        errors.TryGetProperty("title", out _).ShouldBeTrue();
        errors.TryGetProperty("problemStatement", out _).ShouldBeTrue();
        errors.GetProperty("type")[0].GetString()!.ShouldContain("quantum");
        errors.TryGetProperty("lead", out _).ShouldBeTrue();
        errors.TryGetProperty("perspectives[0]", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Unknown_fields_are_400()
    {
        var response = await _client.PostRaw("/api/measures", "{\"titel\": \"Tippfehler\"}");
        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_measure_is_404_for_reads_and_commands()
    {
        var id = Guid.NewGuid();
        await ShouldBeProblem(await _client.GetAsync($"/api/measures/{id}"), HttpStatusCode.NotFound);
        await ShouldBeProblem(await _client.GetAsync($"/api/measures/{id}/events"), HttpStatusCode.NotFound);
        await ShouldBeProblem(await _client.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem()), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Transition_not_allowed_is_409_with_stage_and_allowed_commands()
    {
        var id = await Proposed();
        var response = await _client.PostJson($"/api/measures/{id}/start-pilot", SampleCommands.StartPilot());
        await ShouldBeProblem(response, HttpStatusCode.Conflict);
        var body = await response.Json();
        body.GetProperty("currentStage").GetString().ShouldBe("idea");
        body.GetProperty("allowedCommands").EnumerateArray().Select(e => e.GetString()).ShouldContain("understand-problem");
        (await (await _client.GetAsync($"/api/measures/{id}")).Read<GemeinsamDigital.Domain.Measures.MeasureState>()).Version.ShouldBe(1);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        await ShouldBeProblem(await _client.PostRaw("/api/measures", "title=x", "text/plain"), (HttpStatusCode)415);
    }

    [Fact]
    public async Task Invalid_query_values_are_400()
    {
        await ShouldBeProblem(await _client.GetAsync("/api/measures?stage=Nirvana"), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await _client.GetAsync("/api/measures?pageSize=100000"), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await _client.GetAsync("/api/measures?page=abc"), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await _client.GetAsync("/api/measures?lead=ba-atlantis"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Malformed_if_match_is_400()
    {
        var id = await Proposed();
        await ShouldBeProblem(await _client.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), ifMatch: "yesterday"), HttpStatusCode.BadRequest);
    }
}
