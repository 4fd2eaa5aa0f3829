using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// The Chromium the browser tests drive: GD_TEST_CHROMIUM, else the Debian package's
/// /usr/bin/chromium (build/test.sh installs it when missing). Playwright's own browser download is
/// never used.
/// </summary>
public static class Chromium
{
    public const string EnvironmentVariable = "GD_TEST_CHROMIUM";

    public static readonly string? Executable = Find();

    public const string Missing = "No Chromium found (set GD_TEST_CHROMIUM or apt-get install chromium; build/test.sh installs it): browser test skipped.";

    private static string? Find()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return File.Exists(given) ? given : null;
        }
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }
}

/// <summary>A test that needs Chromium: skipped, saying why, only where none is installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Executable is null)
        {
            Skip = Chromium.Missing;
        }
    }
}

/// <summary>
/// The built service as a process on its own database with the demo data, and one Chromium for the
/// whole test class (each test opens its own context).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private string _connectionString = "";
    private IPlaywright? _playwright;

    public ApiProcess Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string BaseUrl => Api.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        if (Chromium.Executable is null)
        {
            return;
        }
        _connectionString = await PostgresServer.CreateDatabaseAsync("gd_web");
        Api = await ApiProcess.StartAsync(_connectionString, settings: new Dictionary<string, string>
        {
            ["Demo__Seed"] = "true",
            ["Limits__RateLimit__AnonymousPermitLimit"] = "1000000",
            // Short, so the wait below polls (it waits until the figures have no lag left, so page and test read the same ones).
            ["Dashboards__RecomputeWait"] = "00:00:05",
        }, readyWithin: TimeSpan.FromMinutes(3));
        Client = new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        await WaitForSeededFiguresAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var line = $"Browser for tests: {Chromium.Executable} (Chromium {Browser.Version}, Playwright driver {typeof(IPlaywright).Assembly.GetName().Version})";
        Console.Error.WriteLine(line);
        var file = Path.Combine(RepoRoot.Path, ".data", "test-browser.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, line + Environment.NewLine);
    }

    // The demo seed runs at start; the monitoring projection follows it asynchronously.
    private async Task WaitForSeededFiguresAsync()
    {
        // Generous: the whole suite runs beside this class on a small machine.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var total = (await Client.GetFromJsonAsync<JsonElement>("/api/measures?pageSize=1")).GetProperty("total").GetInt32();
            var portfolio = await Client.GetFromJsonAsync<JsonElement>("/api/dashboard/portfolio");
            if (total > 0 && portfolio.GetProperty("figures").GetProperty("measures").GetInt32() == total
                && portfolio.GetProperty("freshness").GetProperty("lag").GetInt64() == 0)
            {
                return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The demo data did not reach the dashboards within 3 minutes.");
    }

    public async Task<JsonElement> GetJson(string path) => await Client.GetFromJsonAsync<JsonElement>(path);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Client?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}
