using System.Net;
using System.Text;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Npgsql;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Imports;

/// <summary>
/// A background import runs in the built service as a child process, which is killed (SIGKILL) while
/// the import runs and started again: the import resumes from Wolverine's durable inbox and ends
/// with every row applied once.
/// </summary>
public class ImportResumeTests(ITestOutputHelper output)
{
    private const int Rows = 300;

    [Fact]
    public async Task A_background_import_killed_mid_way_resumes_to_the_same_end_state_with_no_row_applied_twice()
    {
        // Pooled, as the service runs in production (the admin connection it is made with is not).
        var database = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("gd_import")) { Pooling = true }.ConnectionString;
        try
        {
            var (exit, key, errors) = await ApiProcess.RunCliAsync(database, "apikey", "create", "--name", "import check", "--administration", "skzl", "--role", Roles.StrategyOffice);
            exit.ShouldBe(0, errors);
            var port = ApiProcess.FreePort();
            var rows = Enumerable.Range(1, Rows).Select(i => ImportFiles.Row("RS", i, MeasureStage.GoalsDefined)).ToList();
            string location;
            long processedAtKill;
            await using (var service = await ApiProcess.StartAsync(database, port))
            {
                using var http = Client(service.BaseAddress, key);
                var started = await http.PostAsync("/api/imports", new StringContent(ImportFiles.GermanCsv(rows), new UTF8Encoding(false), "text/csv"));
                started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
                location = started.Headers.Location!.ToString();
                // Killed once some rows are done, while the rest are still to come.
                var until = DateTime.UtcNow.AddMinutes(2);
                while ((processedAtKill = await Processed(database)) < 20 && DateTime.UtcNow < until)
                {
                    await Task.Delay(50);
                }
                service.Kill();
            }
            processedAtKill.ShouldBeInRange(20, Rows - 1, "the kill came while the import ran");

            await using (var restarted = await ApiProcess.StartAsync(database, port))
            {
                using var http = Client(restarted.BaseAddress, key);
                var job = await ImportTests.WaitAsync(http, location, TimeSpan.FromMinutes(4));
                var counts = job.GetProperty("counts");
                output.WriteLine($"Killed after {processedAtKill} rows; after the restart: {counts}");
                job.GetProperty("processed").GetInt32().ShouldBe(Rows);
                (counts.GetProperty("rejected").GetInt32() + counts.GetProperty("failed").GetInt32()).ShouldBe(0);
                // A row cut off in the middle is finished as an update of what it had created.
                (counts.GetProperty("create").GetInt32() + counts.GetProperty("update").GetInt32()).ShouldBe(Rows);
            }

            // One measure per row, each with exactly its three steps: nothing applied twice.
            (await Count(database, "select count(*) from gd.mt_doc_measurestate where data->>'externalId' like 'RS-%'")).ShouldBe(Rows);
            (await Count(database, "select count(*) from gd.mt_events e join gd.mt_doc_measurestate m on m.id = e.stream_id where m.data->>'externalId' like 'RS-%'")).ShouldBe(Rows * 3);
            (await Count(database, "select count(*) from gd.mt_doc_measurestate where data->>'externalId' like 'RS-%' and (data->>'version')::int <> 3")).ShouldBe(0);
            (await Count(database, "select count(*) from gd.mt_doc_importrowrecord where data->'result' is null or data->'result' = 'null'::jsonb")).ShouldBe(0);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static HttpClient Client(Uri baseAddress, string key)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Add(AuthSchemes.ApiKeyHeader, key.Trim());
        return http;
    }

    private static async Task<long> Processed(string database) =>
        await Count(database, "select coalesce(max((data->>'processed')::int), 0) from gd.mt_doc_importjob");

    private static async Task<long> Count(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
