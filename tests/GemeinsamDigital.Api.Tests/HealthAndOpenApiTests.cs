using System.Net;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests;

public class HealthAndOpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_with_postgres_up()
    {
        var live = await api.Client.GetAsync("/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        live.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var liveBody = await live.Json();
        liveBody.GetProperty("status").GetString().ShouldBe("Healthy");
        liveBody.GetProperty("components").EnumerateObject().ShouldBeEmpty();

        var ready = await api.Client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await ready.Json();
        body.GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("totalDurationMs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        var postgres = body.GetProperty("components").GetProperty("postgres");
        postgres.GetProperty("status").GetString().ShouldBe("Healthy");
        postgres.GetProperty("durationMs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        postgres.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("components").GetProperty("projection-daemon").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task OpenApi_documents_every_endpoint_with_summary_and_problem_responses()
    {
        var doc = await (await api.Client.GetAsync("/swagger/v1/swagger.json")).Json();
        var paths = doc.GetProperty("paths");
        paths.TryGetProperty("/api/measures", out var measures).ShouldBeTrue();
        measures.GetProperty("post").GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        measures.GetProperty("post").GetProperty("responses").TryGetProperty("400", out _).ShouldBeTrue();
        var step = paths.GetProperty("/api/measures/{id}/understand-problem").GetProperty("post");
        step.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        foreach (var status in new[] { "200", "400", "404", "409", "412", "422" })
        {
            step.GetProperty("responses").TryGetProperty(status, out _).ShouldBeTrue($"missing {status}");
        }
        paths.TryGetProperty("/api/measures/{id}/events", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/catalog", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var ui = await api.Client.GetAsync("/swagger/index.html");
        ui.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ui.Content.ReadAsStringAsync()).ShouldContain("swagger-ui");
    }
}
