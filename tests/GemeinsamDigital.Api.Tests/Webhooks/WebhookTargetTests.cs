using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace GemeinsamDigital.Api.Tests.Webhooks;

/// <summary>The service as deployed: loopback not allowed, https required.</summary>
public sealed class StrictWebhookFixture : ApiFixture
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Webhooks:RequireHttps", "true");
}

/// <summary>Webhooks are never sent into the service's own network: each address class is refused at creation, and by name.</summary>
public class WebhookTargetTests(StrictWebhookFixture api) : IClassFixture<StrictWebhookFixture>
{
    [Theory]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://127.8.9.10/hook", "loopback")]
    [InlineData("https://10.1.2.3/hook", "10.0.0.0/8")]
    [InlineData("https://172.16.0.1/hook", "172.16.0.0/12")]
    [InlineData("https://172.31.255.254/hook", "172.16.0.0/12")]
    [InlineData("https://192.168.1.1/hook", "192.168.0.0/16")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.0.0/16")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://[fc00::1]/hook", "fc00::/7")]
    [InlineData("https://[fd12:3456::1]/hook", "fc00::/7")]
    [InlineData("https://[fe80::1]/hook", "fe80::/10")]
    [InlineData("https://[::ffff:10.0.0.1]/hook", "10.0.0.0/8")]
    [InlineData("https://0.0.0.0/hook", "0.0.0.0/8")]
    [InlineData("https://localhost/hook", "loopback")]
    public async Task A_target_in_the_own_network_is_refused(string url, string reason)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/subscriptions", new { url });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "webhook-target-refused");
        problem.GetProperty("detail").GetString()!.ShouldContain(reason);
        (await (await api.CreateClient().GetAsync("/api/subscriptions")).Json()).GetProperty("items").GetArrayLength().ShouldBe(0, "nothing stored");
    }

    [Theory]
    [InlineData("http://hooks.example.org/x", "https")]
    [InlineData("ftp://hooks.example.org/x", "http or https")]
    [InlineData("/relative", "absolute")]
    [InlineData("https://user:secret@hooks.example.org/x", "user name")]
    [InlineData("https://hooks.example.org/x#frag", "fragment")]
    public async Task A_target_url_of_the_wrong_shape_is_invalid(string url, string reason)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/subscriptions", new { url });
        var problem = await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "url");
        problem.GetProperty("errors").GetProperty("url")[0].GetString()!.ShouldContain(reason);
    }

    [Fact]
    public async Task Filters_and_their_codes_are_checked_like_the_feeds()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/subscriptions",
            new { url = "https://hooks.example.org/x", lead = "ba-nirgendwo", eventTypes = new[] { "pilot-started", "no-such-event" } });
        var problem = await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "lead");
        problem.GetProperty("errors").TryGetProperty("eventTypes", out _).ShouldBeTrue();
    }

    [Fact]
    public void Production_requires_https_unless_configured_otherwise()
    {
        var production = new TestEnvironment(Environments.Production);
        new WebhookSettings().HttpsRequired(production).ShouldBeTrue();
        new WebhookSettings().HttpsRequired(new TestEnvironment(Environments.Development)).ShouldBeFalse();
        new WebhookSettings { RequireHttps = false }.HttpsRequired(production).ShouldBeFalse();
    }

    [Fact]
    public void Every_private_class_is_refused_and_public_addresses_pass()
    {
        foreach (var refused in new[] { "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "::1", "fc00::1", "fe80::1", "::ffff:192.168.0.1", "100.64.0.1", "224.0.0.1" })
        {
            WebhookTargets.Refusal(IPAddress.Parse(refused), allowLoopback: false).ShouldNotBeNull(refused);
        }
        foreach (var open in new[] { "141.15.1.1", "8.8.8.8", "172.32.0.1", "2a00:1450:4001::1" })
        {
            WebhookTargets.Refusal(IPAddress.Parse(open), allowLoopback: false).ShouldBeNull(open);
        }
        WebhookTargets.Refusal(IPAddress.Loopback, allowLoopback: true).ShouldBeNull();
        WebhookTargets.Refusal(IPAddress.Parse("10.0.0.1"), allowLoopback: true).ShouldNotBeNull("allowing loopback allows nothing else");
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
