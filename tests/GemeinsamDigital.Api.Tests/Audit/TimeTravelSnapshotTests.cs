using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>
/// Time travel on a stream longer than the snapshot interval: whether read through stored
/// snapshots or not, every version and moment answers the fold of the stream from version 1.
/// </summary>
public class TimeTravelSnapshotTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    private const int N = MeasureSnapshots.Interval;
    private const int Events = 3 * N + 120;
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Any_version_read_through_snapshots_equals_the_fold_from_version_one()
    {
        var (id, _) = await LongMeasure();
        (await Snapshots(id)).ShouldBeEmpty();

        // The first read folds from version 1 and stores the boundaries it passed.
        await ShouldEqualFold(id, 2 * N + 7);
        (await Snapshots(id)).ShouldBe([N, 2 * N]);

        foreach (var version in new long[] { 1, N - 1, N, N + 1, 2 * N, 2 * N + 7, Events - 1, Events })
        {
            await ShouldEqualFold(id, version);
        }
        (await Snapshots(id)).ShouldBe([N, 2 * N, 3 * N]);

        // As without snapshots: beyond the stream 404, a matching ETag 304.
        var beyond = await _client.GetAsync($"/api/measures/{id}?version={Events + 1}");
        beyond.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await beyond.Content.ReadAsStringAsync()).ShouldContain($"version {Events + 1} does not exist");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/measures/{id}?version={2 * N + 1}");
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{2 * N + 1}\"");
        (await _client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Any_moment_read_through_snapshots_equals_the_fold_of_the_events_up_to_it()
    {
        var (id, times) = await LongMeasure();

        // Read at moments first: the snapshots these store must serve versions as well.
        var moments = new[]
        {
            (At: times[N - 1], Version: N),
            (At: times[N - 1].AddTicks(-10), Version: N - 1),
            (At: times[2 * N + 6].AddSeconds(30), Version: 2 * N + 7),
            (At: times[^1], Version: Events),
            (At: api.Clock.GetUtcNow(), Version: Events),
            (At: times[0].AddSeconds(1), Version: 1),
        };
        foreach (var (at, version) in moments)
        {
            var response = await _client.GetAsync($"/api/measures/{id}?asOf={Uri.EscapeDataString(at.ToString("O"))}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, at.ToString("O"));
            response.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");
            var state = Json(await response.Read<MeasureState>());
            state.ShouldBe(Json(await FoldAsync(id, version)), at.ToString("O"));
            await using var session = api.Store.QuerySession();
            state.ShouldBe(Json((await MeasureFolds.AsReadAsync(session, id, timestamp: at))!), at.ToString("O"));
        }
        (await Snapshots(id)).ShouldBe([N, 2 * N, 3 * N]);
        foreach (var version in new long[] { N - 1, N + 1, 2 * N + 7, 3 * N + 1 })
        {
            await ShouldEqualFold(id, version);
        }

        var before = await _client.GetAsync($"/api/measures/{id}?asOf={Uri.EscapeDataString(times[0].AddSeconds(-1).ToString("O"))}");
        before.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await before.Content.ReadAsStringAsync()).ShouldContain("did not exist yet");
    }

    [Fact]
    public async Task Readers_storing_the_same_snapshots_at_once_all_answer_and_agree()
    {
        var (id, _) = await LongMeasure();
        var reads = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Read(id, 2 * N + 7)));
        var expected = Json(await FoldAsync(id, 2 * N + 7));
        reads.ShouldAllBe(r => Json(r) == expected);
        (await Snapshots(id)).ShouldBe([N, 2 * N]);
        await ShouldEqualFold(id, 2 * N + 1);
    }

    [Fact]
    public async Task Reads_start_from_a_snapshot_of_the_current_fold_revision_only()
    {
        var (id, _) = await LongMeasure();
        var truth = await FoldAsync(id, N);
        var forged = new MeasureSnapshot
        {
            Id = "",
            MeasureId = id,
            Revision = MeasureProjection.FoldRevision + 1,
            Version = N,
            LatestTimestamp = truth.LastActivityAt,
            State = truth with { Title = "Aus einer anderen Faltung" },
        };
        await StoreAsync(forged with { Id = $"{id}:{forged.Revision}:{N}" });
        await ShouldEqualFold(id, N + 3);

        // The same snapshot under the current revision is what the read starts from.
        await StoreAsync(forged with { Id = MeasureSnapshot.IdOf(id, N), Revision = MeasureProjection.FoldRevision });
        (await Read(id, N + 3)).Title.ShouldBe("Aus einer anderen Faltung");
        (await Read(id, N - 1)).Title.ShouldBe(truth.Title);
    }

    [Fact]
    public async Task A_rebuild_of_the_measures_projection_deletes_the_snapshots()
    {
        var (id, _) = await LongMeasure();
        await ShouldEqualFold(id, Events);
        (await Snapshots(id)).ShouldBe([N, 2 * N, 3 * N]);

        var name = ((StoreOptions)api.Store.Options).Projections.All.OfType<MeasureProjection>().Single().Name;
        var rebuild = await _client.PostAsync($"/api/admin/projections/{name}/rebuild?timeoutSeconds=60", null);
        rebuild.StatusCode.ShouldBe(HttpStatusCode.OK, await rebuild.Content.ReadAsStringAsync());
        (await Snapshots(id)).ShouldBeEmpty();

        await ShouldEqualFold(id, 2 * N + 7);
        (await Snapshots(id)).ShouldBe([N, 2 * N]);
    }

    /// <summary>A measure in its pilot with measurements appended up to <see cref="Events"/> events, one minute apart; their timestamps.</summary>
    private async Task<(Guid Id, List<DateTimeOffset> Times)> LongMeasure()
    {
        var measure = await new Scenario(_client, api.Clock).Propose(SampleCommands.Propose());
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate());
        await measure.Step(SampleCommands.StartPilot());
        var times = new List<DateTimeOffset>(measure.Times);
        var start = api.Clock.GetUtcNow();
        var appended = Enumerable.Range(times.Count + 1, Events - times.Count)
            .Select(v => ((object)new IndicatorMeasured("aufenthalt", v / 10m, SampleCommands.PilotStart.AddDays(v % 300), "Zählung"), start.AddMinutes(v)))
            .ToList();
        // Through the ledger, as every append.
        await using (var session = api.Store.LightweightSession())
        {
            var stream = await session.Events.FetchForWriting<MeasureState>(measure.Id);
            await EventLedger.AppendAsync(session, stream, appended, new CommandMetadata("test", "ba-mitte", null, "snapshots"), CancellationToken.None);
            await session.SaveChangesAsync();
        }
        times.AddRange(appended.Select(e => e.Item2));
        api.Clock.Advance(TimeSpan.FromMinutes(Events + 60));
        return (measure.Id, times);
    }

    private async Task ShouldEqualFold(Guid id, long version) =>
        Json(await Read(id, version)).ShouldBe(Json(await FoldAsync(id, version)), $"version {version}");

    private async Task<MeasureState> Read(Guid id, long version)
    {
        var response = await _client.GetAsync($"/api/measures/{id}?version={version}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"version {version}");
        response.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");
        return await response.Read<MeasureState>();
    }

    /// <summary>Marten's own live aggregation of the stream from version 1 (the registered projection's evolve), with the series.</summary>
    private async Task<MeasureState> FoldAsync(Guid id, long version)
    {
        await using var session = api.Store.QuerySession();
        return (await MeasureFolds.AsReadAsync(session, id, version))!;
    }

    /// <summary>The versions of the stored snapshots of the current fold revision.</summary>
    private async Task<IReadOnlyList<long>> Snapshots(Guid id)
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<MeasureSnapshot>()
            .Where(s => s.MeasureId == id && s.Revision == MeasureProjection.FoldRevision)
            .OrderBy(s => s.Version).Select(s => s.Version).ToListAsync();
    }

    private async Task StoreAsync(MeasureSnapshot snapshot)
    {
        await using var session = api.Store.LightweightSession();
        session.Store(snapshot);
        await session.SaveChangesAsync();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, HttpExtensions.JsonOptions);
}
