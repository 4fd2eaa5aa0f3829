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
/// slow receiver and the last changes are still to be handed on, then started again: every
/// committed change still arrives, in order per measure; a delivery cut off may arrive twice, with
/// the same webhook-id.
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
                // Killed right after the last command: deliveries are on their way to the slow receiver, and
                // the last changes are committed but most likely not yet handed on to the webhooks.
                receivedAtKill = receiver.Received.Count;
                service.Kill();
            }

            // Every change committed, whether its command was answered before the kill or not.
            var committed = await SequencesAsync(database);
            receivedAtKill.ShouldBeLessThan(committed.Count, "killed while deliveries were under way");
            await using (await ApiProcess.StartAsync(database, settings: settings))
            {
                IReadOnlyList<ReceivedWebhook> accepted;
                try
                {
                    accepted = await receiver.WaitForAsync(r => r.Count >= committed.Count, TimeSpan.FromMinutes(2));
                }
                catch (ShouldAssertException)
                {
                    output.WriteLine(await UndeliveredAsync(database));
                    throw;
                }
                output.WriteLine($"killed after {receivedAtKill} requests; {receiver.Received.Count} requests in all for {accepted.Count} changes");
                accepted.Select(r => r.Sequence).Order().ShouldBe(committed);
                foreach (var measure in accepted.GroupBy(r => r.MeasureId))
                {
                    measure.Select(r => r.Version).ShouldBe(Enumerable.Range(1, measure.Count()).Select(v => (long)v), "in the order of the measure's versions");
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

    private static async Task<List<long>> SequencesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        // Not Marten's tombstones, which fill the gaps the kill leaves in the sequence: they are no changes;
        // nor the catalogue's events, which are no measure's (webhooks carry measure events).
        await using var command = new NpgsqlCommand("select seq_id from gd.mt_events where type <> 'tombstone' and stream_id <> @catalog order by seq_id", connection);
        command.Parameters.AddWithValue("catalog", GemeinsamDigital.Domain.Catalog.CatalogState.StreamId);
        await using var reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }
        return sequences;
    }

    // What is still on its way, for the failure message.
    private static async Task<string> UndeliveredAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select id, status, attempts, next_attempt_at, lease_until, now(), last_error from gd.webhook_deliveries where status <> 'delivered' order by sequence", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new System.Text.StringBuilder("undelivered:\n");
        while (await reader.ReadAsync())
        {
            rows.AppendLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return rows.ToString();
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
