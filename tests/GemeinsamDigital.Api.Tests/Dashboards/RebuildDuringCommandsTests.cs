using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>
/// A full rebuild while commands keep arriving: every event is in the inline state and in the
/// monitoring row exactly once, whether it was appended before, during or after the rebuild.
/// </summary>
public class RebuildDuringCommandsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Measures = 40;
    private const int MeasurementsEach = 300;

    private readonly MeasureDriver _measures = new(api.Client);

    // Both tests need a rebuild that takes a while; the measures are made once per fixture.
    private static readonly SemaphoreSlim Loading = new(1, 1);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ApiFixture, List<Guid>> Loaded = [];

    [Fact]
    public async Task Events_appended_during_a_rebuild_are_projected_exactly_once()
    {
        var ids = await MeasuresAsync();
        var target = await Pilot();
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var rebuild = api.Client.PostAsync("/api/admin/projections/rebuild?timeoutSeconds=120", null);
        var sentDuring = 0;
        while (!rebuild.IsCompleted)
        {
            await _measures.Send(target, SampleCommands.RecordParticipation());
            sentDuring++;
        }
        var response = await rebuild;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var mark = (await response.Read<RebuildAnswer>()).Rebuilt.Single(r => r.Name == MonitoringProjection.ProjectionName).Sequence!.Value;
        sentDuring.ShouldBeGreaterThan(1);
        // Some commands were appended after the rebuild's mark, while it was still running: the daemon
        // projects those into the monitoring rows; the inline state must hold them after the swap.
        (await Count($"select count(*) from gd.mt_events where stream_id = '{target}' and seq_id > {mark}")).ShouldBeGreaterThan(0);

        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var held = await Count($"select count(*) from gd.mt_events where stream_id = '{target}' and type = 'participation-held'");
        held.ShouldBe(sentDuring);
        await ShouldEqualTheFoldAsync(target, held, ids);
    }

    [Fact]
    public async Task An_agent_started_during_the_replay_neither_blocks_the_swap_nor_stays_stopped()
    {
        // The coordinator's leadership loop starts any agent it finds missing, also while the
        // replay has stopped it: that agent projects from the old progression under the swap.
        var ids = await MeasuresAsync();
        var target = await Pilot();
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var daemon = api.Services.GetRequiredService<JasperFx.Events.Daemon.IProjectionCoordinator>().DaemonForMainDatabase();
        var shard = GemeinsamDigital.Api.EventStore.ProjectionProgress.ShardOf(MonitoringProjection.ProjectionName);

        var rebuild = api.Services.GetRequiredService<GemeinsamDigital.Api.Monitoring.ProjectionOperations>()
            .TryRebuildAsync([MonitoringProjection.ProjectionName], TimeSpan.FromMinutes(2), CancellationToken.None);
        while (daemon.StatusFor(shard) == JasperFx.AgentStatus.Running && !rebuild.IsCompleted)
        {
            await Task.Delay(5);
        }
        rebuild.IsCompleted.ShouldBeFalse("the replay should still run when its agent has stopped");
        await daemon.StartAgentAsync(shard, CancellationToken.None);
        var sent = 0;
        while (!rebuild.IsCompleted)
        {
            await _measures.Send(target, SampleCommands.RecordParticipation());
            sent++;
        }
        (await rebuild).ShouldNotBeNull();
        // And after it: the agent running now must take these too.
        for (var i = 0; i < 3; i++, sent++)
        {
            await _measures.Send(target, SampleCommands.RecordParticipation());
        }

        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        daemon.StatusFor(shard).ShouldBe(JasperFx.AgentStatus.Running);
        await ShouldEqualTheFoldAsync(target, sent, ids);
    }

    // Participations: a list the stored state and row keep (the measurement series they leave to the events).
    private async Task ShouldEqualTheFoldAsync(Guid target, long held, IEnumerable<Guid> ids)
    {
        var state = await _measures.Read(target);
        ((long)state.Participations.Count).ShouldBe(held);
        state.Version.ShouldBe(await Count($"select max(version) from gd.mt_events where stream_id = '{target}'"));
        await using var query = api.Store.QuerySession();
        var row = (await query.LoadAsync<MonitoringRow>(target))!;
        ((long)row.Measure.Participations.Count).ShouldBe(held);
        row.Sequence.ShouldBe(await Count($"select max(seq_id) from gd.mt_events where stream_id = '{target}'"));

        // Every document equals the fold of its stream.
        foreach (var id in ids.Append(target))
        {
            var folded = await query.Events.AggregateStreamAsync<MeasureState>(id);
            Json((await query.LoadAsync<MeasureState>(id))!).ShouldBe(Json(folded!));
            // The monitoring row holds the same fold, without the hash link.
            Json((await query.LoadAsync<MonitoringRow>(id))!.Measure).ShouldBe(Json(folded! with { LastEventHash = null }));
        }
    }

    private async Task<List<Guid>> MeasuresAsync()
    {
        await Loading.WaitAsync();
        try
        {
            if (Loaded.TryGetValue(api, out var made))
            {
                return made;
            }
            made = await LoadAsync();
            Loaded.Add(api, made);
            return made;
        }
        finally
        {
            Loading.Release();
        }
    }

    private async Task<List<Guid>> LoadAsync()
    {
        // Enough events that the rebuild takes a while: measures in their pilot, measurements
        // appended straight to their streams (the inline projection keeps their state, as live).
        var ids = new List<Guid>();
        for (var i = 0; i < Measures; i++)
        {
            ids.Add(await Pilot());
        }
        // Through the ledger, as every append: events without their hash chain would make the rebuild refuse.
        await using (var session = api.Store.LightweightSession())
        {
            var metadata = new CommandMetadata("test", null, null, "rebuild-during-commands");
            foreach (var id in ids)
            {
                var stream = await session.Events.FetchForWriting<MeasureState>(id);
                await GemeinsamDigital.Api.Audit.EventLedger.AppendAsync(session, stream, [.. Enumerable.Range(1, MeasurementsEach).Select(n =>
                    ((object)new IndicatorMeasured("aufenthalt", n, SampleCommands.PilotStart.AddDays(n % 300), "Zählung"), DateTimeOffset.UtcNow))],
                    metadata, CancellationToken.None);
            }
            await session.SaveChangesAsync();
        }
        return ids;
    }

    private async Task<Guid> Pilot()
    {
        var id = await _measures.Propose();
        await _measures.Send(id, SampleCommands.UnderstandProblem());
        await _measures.Send(id, SampleCommands.DefineGoals());
        await _measures.Send(id, SampleCommands.Mandate());
        await _measures.Send(id, SampleCommands.StartPilot());
        return id;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, HttpExtensions.JsonOptions);

    private async Task<long> Count(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
