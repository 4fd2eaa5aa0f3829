using System.Net.Http.Json;
using System.Text.Json;
using GemeinsamDigital.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// The service in-process over its own fresh database: one per test class, so classes run in
/// parallel without seeing each other's data.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public string ConnectionString { get; private set; } = "";

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("gd_t");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("ConnectionStrings:Marten", ConnectionString);
            b.UseSetting("Demo:Seed", "false");
            Configure(b);
        });
        Client = _factory.CreateClient();
    }

    public HttpClient CreateClient() => _factory!.CreateClient();

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }
}

public static class HttpExtensions
{
    public static readonly JsonSerializerOptions JsonOptions = ApiJson.Options;

    // Reads through a string so a response body can be read more than once.
    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), JsonOptions)!;

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(), JsonOptions);

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: JsonOptions) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        return client.SendAsync(request);
    }
}
