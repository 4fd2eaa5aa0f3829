using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Api.Monitoring;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Operations;

/// <summary>
/// Two built service processes in HotCold mode on one database (build/cluster.sh runs the same with
/// three nodes and more checks): exactly one projects, the other takes over when it is killed.
/// With a lock package that cannot take PostgreSQL's advisory lock no node projects and this fails.
/// </summary>
public class HotColdTests
{
    private static readonly Dictionary<string, string> _hotCold = new() { ["Projections__DaemonMode"] = "HotCold" };

    [Fact]
    public async Task Exactly_one_of_two_nodes_projects_and_the_other_takes_over_when_it_is_killed()
    {
        var database = await PostgresServer.CreateDatabaseAsync("hotcold");
        try
        {
            var (exit, key, errors) = await ApiProcess.RunCliAsync(database, "apikey", "create", "--name", "hotcold", "--administration", "skzl", "--role", "strategy-office");
            exit.ShouldBe(0, errors);
            var nodes = new List<ApiProcess> { await ApiProcess.StartAsync(database, settings: _hotCold) };
            nodes.Add(await ApiProcess.StartAsync(database, settings: _hotCold));
            try
            {
                var clients = nodes.ToDictionary(n => n, n => Client(n, key.Trim()));
                var runner = await SingleRunnerAsync(clients, TimeSpan.FromSeconds(60));

                // A command on the standby node is projected by the runner.
                var standby = nodes.Single(n => n != runner);
                await ProposeAsync(clients[standby]);
                await CaughtUpAsync(clients[standby], TimeSpan.FromSeconds(30));

                runner.Kill();
                var clock = Stopwatch.StartNew();
                var survivor = new Dictionary<ApiProcess, HttpClient> { [standby] = clients[standby] };
                (await SingleRunnerAsync(survivor, TimeSpan.FromSeconds(60))).ShouldBe(standby);
                clock.Stop();

                // It projects what comes after the take-over.
                await ProposeAsync(clients[standby]);
                await CaughtUpAsync(clients[standby], TimeSpan.FromSeconds(30));
                var portfolio = await clients[standby].GetFromJsonAsync<System.Text.Json.JsonElement>("/api/dashboard/portfolio", HttpExtensions.JsonOptions);
                portfolio.GetProperty("figures").GetProperty("measures").GetInt32().ShouldBe(2, "both proposals in the dashboard of the surviving node");
                Console.WriteLine($"HotCold take-over after SIGKILL of the runner: {clock.Elapsed.TotalSeconds:0.0} s");
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static HttpClient Client(ApiProcess node, string key)
    {
        // The built service compiles each endpoint's handler at its first request (Roslyn): under the
        // suite's load that alone has taken 14 s.
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Waits until exactly one of the nodes reports the monitoring projection running, and names it.</summary>
    private static async Task<ApiProcess> SingleRunnerAsync(IReadOnlyDictionary<ApiProcess, HttpClient> nodes, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var seen = "";
        while (true)
        {
            var running = new List<ApiProcess>();
            foreach (var (node, client) in nodes)
            {
                var list = await client.GetFromJsonAsync<ItemList<ProjectionView>>("/api/admin/projections", HttpExtensions.JsonOptions);
                var monitoring = list!.Items.Single(p => p.Name == MonitoringProjection.ProjectionName);
                if (monitoring.Status == "Running")
                {
                    running.Add(node);
                }
            }
            seen = $"{running.Count} of {nodes.Count} nodes run it";
            if (running.Count == 1 && nodes.Count > 1)
            {
                // Held for a moment: not two runners in turn.
                await Task.Delay(1000);
                var again = await nodes[running[0]].GetFromJsonAsync<ItemList<ProjectionView>>("/api/admin/projections", HttpExtensions.JsonOptions);
                if (again!.Items.Single(p => p.Name == MonitoringProjection.ProjectionName).Status == "Running")
                {
                    return running[0];
                }
            }
            else if (running.Count == 1)
            {
                return running[0];
            }
            running.Count.ShouldBeLessThanOrEqualTo(1, "two nodes run the same projection");
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No single node runs the monitoring projection ({seen}).");
            }
            await Task.Delay(250);
        }
    }

    private static async Task ProposeAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/measures", SampleCommands.Propose(), HttpExtensions.JsonOptions);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task CaughtUpAsync(HttpClient client, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var list = await client.GetFromJsonAsync<ItemList<ProjectionView>>("/api/admin/projections", HttpExtensions.JsonOptions);
            if (list!.Items.Where(p => p.Lifecycle == "async").All(p => p.Lag == 0))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The async projections did not catch up: " + string.Join(", ", list.Items.Select(p => $"{p.Name} {p.Status} lag {p.Lag}")));
            }
            await Task.Delay(200);
        }
    }
}
