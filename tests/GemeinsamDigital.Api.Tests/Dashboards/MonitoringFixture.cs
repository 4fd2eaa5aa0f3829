using System.Text;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Testing;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>The service with dashboards' "now" fixed at <see cref="MonitoringScenario.Now"/>, over the scenario's events.</summary>
public class MonitoringFixture : ApiFixture
{
    private readonly SemaphoreSlim _seedLock = new(1, 1);
    private bool _seeded;

    /// <summary>Global sequence of the scenario's last event in a fresh store (whose first event is the catalogue's version 1).</summary>
    public const long LastSequence = 55;

    protected override void Configure(IWebHostBuilder builder) => builder.ConfigureTestServices(services =>
    {
        services.RemoveAll<DashboardClock>();
        services.AddSingleton(new DashboardClock(new FixedTime(MonitoringScenario.Now)));
    });

    /// <summary>Appends the scenario once (backdated events) and waits until the async daemon has projected them.</summary>
    public async Task SeededAsync()
    {
        await _seedLock.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await AppendAsync(Store, MonitoringScenario.Measures());
                await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
                _seeded = true;
            }
        }
        finally
        {
            _seedLock.Release();
        }
    }

    public static async Task AppendAsync(IDocumentStore store, IEnumerable<ScenarioMeasure> measures)
    {
        foreach (var measure in measures)
        {
            await using var session = store.LightweightSession();
            EventLedger.StartStream(session, measure.Id, [.. measure.Events], new CommandMetadata("scenario", null, null, "scenario"));
            await session.SaveChangesAsync();
        }
    }
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public static class DashboardHttp
{
    public static async Task<HttpResponseMessage> Get(this HttpClient client, string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    /// <summary>The "figures" of a dashboard's JSON answer, after checking status and freshness.</summary>
    public static async Task<JsonElement> Figures(this HttpClient client, string url, long sequence = MonitoringFixture.LastSequence)
    {
        var response = await client.Get(url, "application/json");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.GetValues(DashboardResponder.SequenceHeader).Single().ShouldBe(sequence.ToString());
        response.Headers.GetValues(DashboardResponder.LagHeader).Single().ShouldBe("0");
        var body = await response.Json();
        body.GetProperty("freshness").GetProperty("eventSequence").GetInt64().ShouldBe(sequence);
        body.GetProperty("freshness").GetProperty("lag").GetInt64().ShouldBe(0);
        return body.GetProperty("figures");
    }

    public static async Task<string> Csv(this HttpClient client, string url)
    {
        var response = await client.Get(url, "text/csv");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The CSV a dashboard must answer: header and rows, each with the freshness columns, CRLF line ends.</summary>
    public static string ExpectedCsv(string header, IEnumerable<string> rows, long sequence = MonitoringFixture.LastSequence) =>
        string.Concat(rows.Prepend(header).Select((r, i) => (i == 0 ? r + ",event_sequence,projection_lag" : $"{r},{sequence},0") + "\r\n"));

    /// <summary>An array (or one object) as "v1|v2|…" per element for the given properties (raw JSON text, strings unquoted).</summary>
    public static string[] Rows(this JsonElement array, params string[] properties) =>
        [.. (array.ValueKind == JsonValueKind.Object ? [array] : array.EnumerateArray().ToArray()).Select(e => string.Join('|', properties.Select(p => Raw(e.GetProperty(p)))))];

    public static string Raw(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "[" + string.Join(',', value.EnumerateArray().Select(Raw)) + "]",
        _ => value.GetRawText(),
    };
}
