using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Domain.Measures;
using Npgsql;
using Xunit.Abstractions;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Reliability;

/// <summary>
/// The built service as a child process is killed with SIGKILL in the middle of a run of commands
/// and started again. Each command carries a unique token in its data and its own Idempotency-Key,
/// so every acknowledged (2xx) command can be matched to the events in the store.
/// </summary>
public class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Commands = 1000;
    private const int Workers = 8;
    private const int KillAfterAcknowledged = 400;

    private sealed record Ack(string Token, Guid MeasureId, long Version, bool Replayed, bool FailedBefore);

    [Fact]
    public async Task After_SIGKILL_every_acknowledged_command_is_stored_exactly_once_and_nothing_else()
    {
        var database = await PostgresServer.CreateDatabaseAsync("gd_crash");
        try
        {
            await Run(database);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private async Task Run(string database)
    {
        var (exit, key, errors) = await ApiProcess.RunCliAsync(database, "apikey", "create", "--name", "crash check", "--administration", "skzl", "--role", Roles.StrategyOffice);
        exit.ShouldBe(0, errors);
        var port = ApiProcess.FreePort();
        var service = await ApiProcess.StartAsync(database, port);
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add(AuthSchemes.ApiKeyHeader, key.Trim());

        var acks = new ConcurrentDictionary<string, Ack>();
        var attempts = new ConcurrentBag<(string Token, long Sent, long Done)>();
        var unexpected = new ConcurrentBag<string>();
        var failedAttempts = 0;
        var timeouts = 0;

        // Each worker proposes a measure, amends it nine times, proposes the next, ...; a command
        // that fails (the service is dead) is sent again, same key and body, until it is acknowledged.
        async Task Worker(int worker)
        {
            var measure = Guid.Empty;
            for (var n = 0; worker + (n * Workers) < Commands; n++)
            {
                var token = $"crash-{worker + (n * Workers):D5}";
                var propose = n % 10 == 0;
                var url = propose ? "/api/measures" : $"/api/measures/{measure}/amend-details";
                object body = propose ? SampleCommands.Propose("skzl", token) : new AmendDetails(token, null, null);
                var failedBefore = false;
                while (true)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: HttpExtensions.JsonOptions) };
                    request.Headers.Add(IdempotencyRequest.Header, token);
                    // In flight from sending until the answer is recorded (or the attempt failed).
                    var sent = Stopwatch.GetTimestamp();
                    try
                    {
                        var response = await http.SendAsync(request);
                        if (response.IsSuccessStatusCode)
                        {
                            var accepted = await response.Read<CommandAccepted>();
                            acks[token] = new Ack(token, accepted.MeasureId, accepted.Version, response.Headers.Contains(IdempotencyRequest.ReplayedHeader), failedBefore);
                            measure = accepted.MeasureId;
                            break;
                        }
                        if ((int)response.StatusCode is < 500)
                        {
                            unexpected.Add($"{token}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                            return;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // The service is gone: connection reset or refused.
                    }
                    catch (TaskCanceledException)
                    {
                        // No answer within the client's timeout (the restarted service compiling its
                        // handlers on two busy cores): a client sends the same request again, with
                        // the same key, and exactly-once must hold all the same.
                        Interlocked.Increment(ref timeouts);
                    }
                    finally
                    {
                        attempts.Add((token, sent, Stopwatch.GetTimestamp()));
                    }
                    failedBefore = true;
                    Interlocked.Increment(ref failedAttempts);
                    await Task.Delay(100);
                }
            }
        }

        var started = DateTime.UtcNow;
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Worker(w))).ToList();

        while (acks.Count < KillAfterAcknowledged && workers.Any(w => !w.IsCompleted))
        {
            await Task.Delay(5);
        }
        var kill = Stopwatch.GetTimestamp();
        service.Kill();
        var killedAt = DateTime.UtcNow;
        await Task.Delay(500);
        HashSet<string> inFlightAtKill = [.. attempts.Where(a => a.Sent <= kill && a.Done >= kill).Select(a => a.Token)];

        // What the store holds once the dead process's sessions are gone (a commit it sent may
        // still be applied until then). Every answer a client got is a commit that happened.
        await WaitUntilNoOtherSessions(database);
        HashSet<string> acknowledgedAtCrash = [.. acks.Keys];
        var atCrash = await StoredTokens(database);
        var lostAcknowledged = acknowledgedAtCrash.Where(t => !atCrash.ContainsKey(t)).ToList();
        var storedUnacknowledged = atCrash.Keys.Where(t => !acknowledgedAtCrash.Contains(t)).ToList();

        await using (var restarted = await ApiProcess.StartAsync(database, port))
        {
            var restartedAt = DateTime.UtcNow;
            await Task.WhenAll(workers);
            var finished = DateTime.UtcNow;

            var stored = await StoredTokens(database);
            var records = await Count(database, "select count(*) from gd.mt_doc_idempotencyrecord");
            // The catalogue's first version is recorded at start: not one of the workers' changes.
            var otherEvents = await Count(database, $"select count(*) from gd.mt_events where type not in ('measure-proposed.v2', 'details-amended') and stream_id <> '{GemeinsamDigital.Domain.Catalog.CatalogState.StreamId}'");
            var gaps = await Count(database, """
                select count(*) from (select stream_id, count(*) c, max(version) m, count(distinct version) d from gd.mt_events group by stream_id) s
                where c <> m or d <> c
                """);

            output.WriteLine($"Commands: {Commands} by {Workers} workers; SIGKILL after {acknowledgedAtCrash.Count} acknowledged, {inFlightAtKill.Count} in flight; "
                + $"service down {(restartedAt - killedAt).TotalSeconds:F1} s; run took {(finished - started).TotalSeconds:F1} s.");
            output.WriteLine($"At the crash: {atCrash.Count} commands in the store; acknowledged but missing: {lostAcknowledged.Count}; "
                + $"in flight: {storedUnacknowledged.Count} committed without answer, {inFlightAtKill.Count(t => !atCrash.ContainsKey(t))} not committed.");
            output.WriteLine($"After restart: {acks.Count} acknowledged, {stored.Count} distinct commands in the store, {stored.Values.Sum()} events, "
                + $"{records} idempotency records; {failedAttempts} failed attempts retried ({timeouts} after a client timeout); {acks.Values.Count(a => a.Replayed)} retries answered from the store "
                + $"(committed before the kill), {acks.Values.Count(a => a.FailedBefore && !a.Replayed)} executed on retry.");

            unexpected.ShouldBeEmpty();
            lostAcknowledged.ShouldBeEmpty();
            storedUnacknowledged.Where(t => !inFlightAtKill.Contains(t)).ShouldBeEmpty("only commands in flight at the kill may be stored unacknowledged");
            acks.Count.ShouldBe(Commands);
            stored.Keys.Order().ShouldBe(acks.Keys.Order(), "every stored command was acknowledged, every acknowledged command is stored");
            stored.Values.ShouldAllBe(count => count == 1, "no command is stored twice");
            records.ShouldBe(Commands);
            otherEvents.ShouldBe(0);
            gaps.ShouldBe(0);
            var positions = await StoredPositions(database);
            acks.Values.Where(a => positions[a.Token] != (a.MeasureId, a.Version)).ShouldBeEmpty("the acknowledged version is where the event is");
            acknowledgedAtCrash.Count.ShouldBeGreaterThanOrEqualTo(KillAfterAcknowledged);
        }
    }

    private static async Task<Dictionary<string, int>> StoredTokens(string database)
    {
        var result = new Dictionary<string, int>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select data->>'title', count(*) from gd.mt_events where data->>'title' like 'crash-%' group by 1", connection);
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (int)reader.GetInt64(1);
        }
        return result;
    }

    private static async Task<Dictionary<string, (Guid, long)>> StoredPositions(string database)
    {
        var result = new Dictionary<string, (Guid, long)>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"select data->>'title', stream_id, version from gd.mt_events where stream_id <> '{GemeinsamDigital.Domain.Catalog.CatalogState.StreamId}'", connection);
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetGuid(1), reader.GetInt64(2));
        }
        return result;
    }

    private static async Task<long> Count(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(sql, connection);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>A commit already sent by the killed process may still be applied: wait until its sessions are closed.</summary>
    private static async Task WaitUntilNoOtherSessions(string database)
    {
        var sql = "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); await Count(database, sql) > 0; await Task.Delay(100))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the killed service's database sessions did not end");
        }
    }
}
