using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Domain.Measures;
using Xunit.Abstractions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

/// <summary>The service on a PostgreSQL cluster of its own, which the test stops and starts.</summary>
public sealed class OwnClusterApiFixture : ApiFixture
{
    public OwnPostgresCluster Cluster { get; private set; } = null!;

    protected override async Task<string> CreateDatabaseAsync()
    {
        Cluster = await OwnPostgresCluster.StartAsync();
        return await Cluster.CreateDatabaseAsync("gd_outage");
    }

    // The database goes with the cluster.
    protected override Task DropDatabaseAsync() => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

public class DatabaseOutageTests(OwnClusterApiFixture api, ITestOutputHelper output) : IClassFixture<OwnClusterApiFixture>
{
    private enum Phase { Up, Down, Restarted }

    private sealed record Outcome(Phase Phase, string Request, int Status, double Milliseconds, string? ProblemType, string? RetryAfter, DateTime At);

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_get_503_quickly_and_the_service_recovers_by_itself()
    {
        var clients = Enumerable.Range(0, 4).Select(_ => api.CreateClient()).ToList();
        clients.ForEach(c => c.Timeout = TimeSpan.FromSeconds(30));
        // One measure per worker, so workers do not conflict with each other.
        var ids = new List<Guid>();
        foreach (var client in clients)
        {
            ids.Add((await (await client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId);
        }
        var phase = Phase.Up;
        var outcomes = new ConcurrentBag<Outcome>();
        using var stop = new CancellationTokenSource();
        var sent = 0;

        async Task Worker(HttpClient client, int worker)
        {
            var id = ids[worker];
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var current = phase;
                var watch = Stopwatch.StartNew();
                var (name, request) = (n % 5) switch
                {
                    0 => ("propose", Command("/api/measures", SampleCommands.Propose("ba-spandau", $"Last {worker}-{n}"))),
                    1 => ("amend", Command($"/api/measures/{id}/amend-details", new AmendDetails(null, null, $"Beschreibung {worker}-{n}"))),
                    2 => ("read", new HttpRequestMessage(HttpMethod.Get, $"/api/measures/{id}")),
                    3 => ("list", new HttpRequestMessage(HttpMethod.Get, "/api/measures?pageSize=5")),
                    _ => ("ready", new HttpRequestMessage(HttpMethod.Get, "/health/ready")),
                };
                var response = await client.SendAsync(request);
                Interlocked.Increment(ref sent);
                string? type = null;
                if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                {
                    type = (await response.Json()).GetProperty("type").GetString();
                }
                // A request still in flight when the phase changed belongs to the outage, not to "up".
                var label = phase == current ? current : Phase.Down;
                outcomes.Add(new Outcome(label, name, (int)response.StatusCode, watch.Elapsed.TotalMilliseconds, type,
                    response.Headers.RetryAfter?.ToString(), DateTime.UtcNow));
                await Task.Delay(20);
            }
        }

        var workers = clients.Select((c, i) => Task.Run(() => Worker(c, i))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));

        phase = Phase.Down;
        await api.Cluster.StopAsync();
        var downSince = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        (await clients[0].GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        var restarting = DateTime.UtcNow;
        await api.Cluster.StartAgainAsync();
        phase = Phase.Restarted;
        var upAgain = DateTime.UtcNow;
        // Recovery without restarting the service: wait until a command and a read succeed again.
        var recovered = DateTime.MaxValue;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var command = await clients[0].SendAsync(Command("/api/measures", SampleCommands.Propose("ba-spandau", "Nach dem Neustart")));
            var ready = await clients[0].GetAsync("/health/ready");
            if (command.StatusCode == HttpStatusCode.Created && ready.StatusCode == HttpStatusCode.OK)
            {
                recovered = DateTime.UtcNow;
                break;
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var all = outcomes.ToList();
        foreach (var group in all.GroupBy(o => (o.Phase, o.Status)).OrderBy(g => g.Key))
        {
            output.WriteLine($"{group.Key.Phase,-10} {group.Key.Status}: {group.Count(),5} requests, max {group.Max(o => o.Milliseconds),7:F0} ms");
        }
        // Answers given while the server was surely down: after stop returned, before start began.
        var down = all.Where(o => o.At - TimeSpan.FromMilliseconds(o.Milliseconds) > downSince && o.At < restarting).ToList();
        output.WriteLine($"{sent} requests; PostgreSQL down {(restarting - downSince).TotalSeconds:F1} s; recovered {(recovered - upAgain).TotalSeconds:F1} s after its start; "
            + $"while down: {down.Count} answers, slowest {down.Max(o => o.Milliseconds):F0} ms");

        recovered.ShouldBeLessThan(DateTime.MaxValue, "the service did not recover");
        all.Where(o => o.Status >= 500 && o.Status != 503).ShouldBeEmpty();
        all.Where(o => o.Phase == Phase.Up).ShouldAllBe(o => o.Status < 400);
        var unavailable = all.Where(o => o.Status == 503 && o.Request != "ready").ToList();
        unavailable.Select(o => o.Request).Distinct().Order().ShouldBe(["amend", "list", "propose", "read"]);
        unavailable.ShouldAllBe(o => o.ProblemType == "https://gemeinsamdigital.berlin.de/problems/database-unavailable" && o.RetryAfter == "5");
        down.Where(o => o.Request != "ready").ShouldAllBe(o => o.Status == 503);
        down.Where(o => o.Request == "ready").ShouldAllBe(o => o.Status == 503);
        // Fast: an unreachable database is answered within the connect timeout, not after a hang.
        down.ShouldAllBe(o => o.Milliseconds < 10_000);
        all.Where(o => o.At > recovered).ShouldAllBe(o => o.Status < 400);
    }

    private static HttpRequestMessage Command(string url, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: HttpExtensions.JsonOptions) };
        request.Headers.Add(IdempotencyRequest.Header, Guid.NewGuid().ToString());
        return request;
    }
}
