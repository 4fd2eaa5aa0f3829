using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Npgsql;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Webhooks;

/// <summary>
/// The built service as a child process, killed (SIGKILL) while deliveries are on their way to a
/// slow receiver and started again: every change still arrives, in order per measure; a delivery
/// cut off may arrive twice, with the same webhook-id.
/// </summary>
public class WebhookCrashTests(ITestOutputHelper output)
{
    private const int Measures = 10;
    private const int Amendments = 4;

    [Fact]
    public async Task Killing_the_service_mid_delivery_loses_no_change()
    {
        var database = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("gd_hook")) { Pooling = true }.ConnectionString;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(300);
        var settings = new Dictionary<string, string>
        {
            ["Webhooks__AllowLoopback"] = "true",
            ["Webhooks__RequireHttps"] = "false",
            ["Webhooks__FirstRetry"] = "00:00:00.200",
            ["Webhooks__MaxRetry"] = "00:00:01",
            ["Webhooks__Timeout"] = "00:00:03",
            ["Webhooks__Parallelism"] = "4",
        };
        try
        {
            var (exit, key, errors) = await ApiProcess.RunCliAsync(database, "apikey", "create", "--name", "webhook check", "--administration", "skzl", "--role", Roles.StrategyOffice);
            exit.ShouldBe(0, errors);
            string secret;
            int receivedAtKill;
            await using (var service = await ApiProcess.StartAsync(database, settings: settings))
            {
                using var http = Client(service.BaseAddress, key);
                (_, secret) = await WebhookDeliveryTests.SubscribeAsync(http, receiver.Url);
                var proposed = await BatchAsync(http, Enumerable.Range(0, Measures).Select(_ => new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose()), null)));
                var ids = proposed.Items.Select(i => i.MeasureId!.Value).ToList();
                for (var round = 1; round <= Amendments; round++)
                {
                    await BatchAsync(http, ids.Select(id => new BatchItem(id, AmendDetails.Name, Body(new AmendDetails($"Fassung {round}", null, null)), null)));
                }
                var until = DateTime.UtcNow.AddMinutes(1);
                while ((receivedAtKill = receiver.Received.Count) < 8 && DateTime.UtcNow < until)
                {
                    await Task.Delay(20);
                }
                service.Kill();
            }
            var total = Measures * (1 + Amendments);
            receivedAtKill.ShouldBeInRange(8, total - 1, "killed while deliveries were under way");

            await using (await ApiProcess.StartAsync(database, settings: settings))
            {
                var accepted = await receiver.WaitForAsync(r => r.Count >= total, TimeSpan.FromMinutes(2));
                output.WriteLine($"killed after {receivedAtKill} requests; {receiver.Received.Count} requests in all for {accepted.Count} changes");
                accepted.Count.ShouldBe(total);
                accepted.Select(r => r.Sequence).Distinct().Count().ShouldBe(total);
                foreach (var measure in accepted.GroupBy(r => r.MeasureId))
                {
                    measure.Select(r => r.Version).ShouldBe(Enumerable.Range(1, 1 + Amendments).Select(v => (long)v));
                }
                accepted.ShouldAllBe(r => r.SignedWith(secret));
                // A repeat is the same delivery (same id, same bytes), never a different one under the id.
                foreach (var repeat in receiver.Received.GroupBy(r => r.Id).Where(g => g.Count() > 1))
                {
                    repeat.Select(r => r.Body).Distinct().ShouldHaveSingleItem();
                }
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static JsonElement Body(object command) => JsonSerializer.SerializeToElement(command, command.GetType(), HttpExtensions.JsonOptions);

    private static async Task<BatchAnswer> BatchAsync(HttpClient client, IEnumerable<BatchItem> items)
    {
        var response = await client.PostAsJsonAsync("/api/measures/batch", new CommandBatch([.. items]), HttpExtensions.JsonOptions);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await response.Read<BatchAnswer>();
        answer.Counts.Failed.ShouldBe(0);
        return answer;
    }

    private static HttpClient Client(Uri baseAddress, string key)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Add(AuthSchemes.ApiKeyHeader, key.Trim());
        return http;
    }
}
