using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

public class AuditOpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/api/measures/{id}/history", "getMeasureHistory", "200,400,404,406")]
    [InlineData("/api/measures/{id}/integrity", "checkMeasureIntegrity", "200,404")]
    [InlineData("/api/measures/{id}/export", "exportMeasure", "200,404")]
    [InlineData("/api/audit/checkpoint", "takeAuditCheckpoint", "200")]
    [InlineData("/api/audit/verify", "verifyAuditCheckpoint", "200,400")]
    [InlineData("/api/measures/{id}", "getMeasure", "200,304,400,404,406")]
    public async Task Audit_endpoints_are_documented(string path, string operationId, string statuses)
    {
        var doc = await (await api.Client.GetAsync("/swagger/v1/swagger.json")).Json();
        var get = doc.GetProperty("paths").GetProperty(path).GetProperty("get");
        get.GetProperty("operationId").GetString().ShouldBe(operationId);
        get.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        get.GetProperty("tags").EnumerateArray().ShouldNotBeEmpty();
        foreach (var status in statuses.Split(','))
        {
            get.GetProperty("responses").TryGetProperty(status, out _).ShouldBeTrue($"{path} misses {status}");
        }
        if (operationId == "getMeasureHistory")
        {
            var parameters = get.GetProperty("parameters").EnumerateArray().ToList();
            parameters.Select(p => p.GetProperty("name").GetString()).ShouldBe(["id", "fromVersion", "limit", "format"], ignoreOrder: true);
            parameters.Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("description").GetString()!
                .ShouldContain($"1 to {HistoryEndpoint.MaxLimit}");
            get.GetProperty("responses").GetProperty("200").GetRawText().ShouldContain("HistoryPage");
        }
        if (operationId == "getMeasure")
        {
            get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
                .ShouldBe(["id", "version", "asOf"], ignoreOrder: true);
        }
    }
}
