using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GemeinsamDigital.Domain.Catalog;
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

    // Program ends in RunJasperFxCommands: under WebApplicationFactory its "run" must start the host
    // the factory built instead of waiting for it to stop.
    static ApiFixture() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

    public string ConnectionString { get; private set; } = "";

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public SubjectDirectory Subjects => Services.GetRequiredService<SubjectDirectory>();

    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>The database this fixture's service runs on; fixtures with their own server override it.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => PostgresServer.CreateDatabaseAsync("gd_t");

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("ConnectionStrings:Marten", ConnectionString);
            b.UseSetting("Demo:Seed", "false");
            Tokens.Configure(b);
            // Relaxed for tests that send many requests; LimitTests set their own.
            b.UseSetting("Limits:RateLimit:PermitLimit", "1000000");
            b.UseSetting("Limits:RateLimit:AnonymousPermitLimit", "1000000");
            // Tests assert the figures of the sequence they waited for: live dashboards always wait for
            // them (the answer with earlier figures is covered by DashboardFigureCacheTests).
            b.UseSetting("Dashboards:RecomputeWait", "00:01:00");
            Configure(b);
        });
        Client = CreateClient();
    }

    /// <summary>Signs this fixture's bearer tokens (a fresh key per fixture).</summary>
    public TestTokens Tokens { get; } = new();

    /// <summary>The actor the default client's commands are recorded under.</summary>
    public const string DefaultActor = "test:skzl:strategy-office";

    /// <summary>A client of the strategy office, which may do everything (what tests use unless they test access).</summary>
    public HttpClient CreateClient() => ClientFor(StrategyCatalog.SenateChancellery, Roles.StrategyOffice);

    /// <summary>A client with a bearer token for one administration and roles; the subject defaults to both.</summary>
    public HttpClient ClientFor(string administration, params string[] roles) =>
        WithBearer(Tokens.Create($"test:{administration}:{string.Join('+', roles)}", administration, roles));

    public HttpClient WithBearer(string token)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient WithApiKey(string key)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Add(AuthSchemes.ApiKeyHeader, key);
        return client;
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient AnonymousClient() => _factory!.CreateClient();

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await DropDatabaseAsync();
    }

    protected virtual Task DropDatabaseAsync() => PostgresServer.DropDatabaseAsync(ConnectionString);
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

/// <summary>
/// The service over pooled connections, as it runs in production. The test databases' connection
/// strings inherit the admin connection's Pooling=false (so the suite's many parallel classes never
/// wait for a pool), and without a pool every session opens a connection of its own: for the classes
/// that run thousands of commands one after another (batches, imports) that is most of their time.
/// </summary>
public class PooledApiFixture : ApiFixture
{
    protected override async Task<string> CreateDatabaseAsync() =>
        new Npgsql.NpgsqlConnectionStringBuilder(await base.CreateDatabaseAsync()) { Pooling = true }.ConnectionString;
}
