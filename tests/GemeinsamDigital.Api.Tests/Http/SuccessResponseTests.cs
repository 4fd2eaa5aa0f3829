using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>The OpenAPI document declares the success answers the service gives, and no others.</summary>
public class SuccessResponseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/api/measures")]
    [InlineData("/api/revisions")]
    [InlineData("/api/admin/api-keys")]
    public async Task A_command_that_creates_declares_201_and_no_stray_200(string path)
    {
        var doc = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json();
        var responses = doc.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses");
        responses.TryGetProperty("201", out _).ShouldBeTrue();
        responses.TryGetProperty("200", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task No_operation_answers_the_CSharp_return_type()
    {
        var text = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync();
        text.ShouldNotContain("#/components/schemas/IResult");
    }

    [Theory]
    [InlineData("/api/measures")]
    [InlineData("/api/measures?format=csv")]
    [InlineData("/api/no-such-thing")]
    public async Task Every_answer_forbids_content_sniffing(string path)
    {
        var response = await api.AnonymousClient().GetAsync(path);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task German_text_is_written_as_it_is_not_escaped()
    {
        var catalog = await (await api.AnonymousClient().GetAsync("/api/catalog")).Content.ReadAsStringAsync();
        catalog.ShouldContain("Zurückgezogen");
        catalog.ShouldNotContain("\\u00FC");
    }
}
