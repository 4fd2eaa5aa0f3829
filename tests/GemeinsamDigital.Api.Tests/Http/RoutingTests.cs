using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>
/// Requests that reach no endpoint of ours are answered alike for every caller, before roles are
/// looked at: an unknown path is a 404 problem, a wrong content type a 415 problem, a wrong method
/// a 405 problem, and an id that is no UUID a 404 problem.
/// </summary>
public class RoutingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private IEnumerable<(HttpClient Client, string Who)> Callers() =>
    [
        (api.AnonymousClient(), "anonymous"),
        (api.ClientFor(SampleCommands.Lead, Roles.Editor), "editor"),
        (api.ClientFor("skzl", Roles.Auditor), "auditor"),
        (api.ClientFor("ba-mitte", Roles.DashboardReader), "dashboard reader"),
        (api.CreateClient(), "strategy office"),
    ];

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("POST", "/api/nothing-here")]
    [InlineData("GET", "/api/measures/00000000-0000-0000-0000-000000000001/nothing-here")]
    [InlineData("GET", "/nothing")]
    [InlineData("GET", "/api/measures/not-a-uuid")]
    [InlineData("GET", "/api/revisions/not-a-uuid")]
    public async Task An_unknown_path_is_a_404_problem_for_everyone(string method, string path)
    {
        foreach (var (client, who) in Callers())
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, who);
            response.Content.Headers.ContentType?.MediaType.ShouldBe(Problems.ContentType, who);
        }
    }

    [Theory]
    [InlineData("GET", "/api/measures/not-a-uuid/history")]
    [InlineData("GET", "/api/measures/not-a-uuid/events")]
    [InlineData("GET", "/api/measures/not-a-uuid/integrity")]
    [InlineData("GET", "/api/measures/not-a-uuid/export")]
    [InlineData("POST", "/api/measures/not-a-uuid/understand-problem")]
    [InlineData("POST", "/api/measures/12345/mandate")]
    [InlineData("POST", "/api/revisions/not-a-uuid/close")]
    [InlineData("POST", "/api/revisions/not-a-uuid/lessons")]
    [InlineData("GET", "/api/revisions/00000000-0000-0000-0000-000000000001/compare/not-a-uuid")]
    [InlineData("GET", "/api/admin/api-keys/not-a-uuid")]
    [InlineData("POST", "/api/admin/api-keys/not-a-uuid/revoke")]
    public async Task An_id_that_is_no_uuid_is_a_404_problem_for_everyone_before_roles(string method, string path)
    {
        foreach (var (client, who) in Callers())
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            var response = await client.SendAsync(request);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
            problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("must be a UUID", customMessage: who);
        }
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem_for_everyone()
    {
        var measure = (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;
        foreach (var url in new[] { "/api/measures", $"/api/measures/{measure}/understand-problem", "/api/revisions" })
        {
            foreach (var (client, who) in Callers())
            {
                var response = await client.PostRaw(url, "title=x", "text/plain");
                response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, $"{who} {url}");
                response.Content.Headers.ContentType?.MediaType.ShouldBe(Problems.ContentType, who);
            }
        }
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_for_everyone()
    {
        foreach (var (client, who) in Callers())
        {
            var response = await client.DeleteAsync("/api/measures");
            response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, who);
            response.Content.Headers.ContentType?.MediaType.ShouldBe(Problems.ContentType, who);
        }
    }

    [Theory]
    [InlineData("/api/measures", "application/xml")]
    [InlineData("/api/admin/api-keys", "image/png")]
    [InlineData("/api/audit/checkpoint", "text/csv")]
    [InlineData("/api/measures/00000000-0000-0000-0000-000000000001/history", "application/xml")]
    public async Task An_unacceptable_Accept_is_a_406_problem_for_everyone_before_roles(string path, string accept)
    {
        foreach (var (client, who) in Callers())
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable, who);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
        }
    }
}
