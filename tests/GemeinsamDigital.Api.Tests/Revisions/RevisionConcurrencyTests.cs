using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Marten;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>
/// The service with a daemon that waits a minute for an uncommitted sequence number: a test holds a
/// write open on purpose, and on a loaded machine the default 3 s would let the daemon skip it.
/// </summary>
public sealed class PatientDaemonFixture : ApiFixture
{
    protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.UseSetting("Projections:StaleSequenceThreshold", "00:01:00");
}

/// <summary>Races: concurrent opens, a write in flight while a phase closes, a lesson racing the close.</summary>
public class RevisionConcurrencyTests(PatientDaemonFixture api) : IClassFixture<PatientDaemonFixture>
{
    private readonly RevisionDriver _revisions = new(api.Client);
    private readonly MeasureDriver _measures = new(api.Client);

    [Fact]
    public async Task Of_concurrent_opens_exactly_one_succeeds()
    {
        var from = new DateOnly(2030, 1, 1);
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            api.CreateClient().PostJson("/api/revisions", new OpenRevisionPhase($"Parallel {i}", from, from.AddYears(1), null))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
            (await refused.Content.ReadAsStringAsync()).ShouldContain("revision-phase-already-open");
        }
        var open = (await _revisions.List()).Where(p => p.Status == RevisionPhaseStatus.Open).ToList();
        open.ShouldHaveSingleItem();
        await _revisions.Close(open[0].Id);
    }

    [Fact]
    public async Task The_database_refuses_a_second_open_phase_whatever_was_read_before()
    {
        var phase = await _revisions.OpenNext("Offen");
        // Bypass the decision (as a racing open that read "none open" would): the unique index refuses it.
        await using var session = api.Store.LightweightSession();
        var second = Guid.NewGuid();
        session.Events.StartStream<RevisionPhaseState>(second, new RevisionPhaseOpened(second, "Zweite", new DateOnly(2040, 1, 1), new DateOnly(2040, 2, 1), RevisionScope.Everything, null, 0));
        var refused = await Should.ThrowAsync<Exception>(() => session.SaveChangesAsync());
        Causes(refused).OfType<PostgresException>().ShouldContain(p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName == RevisionSetup.OnlyOneOpenIndex);
        (await api.Client.GetAsync($"/api/revisions/{second}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await _revisions.Close(phase);
    }

    [Fact]
    public async Task A_close_waits_for_writes_in_flight_so_no_event_joins_below_its_sequence_later()
    {
        var measure = await _measures.Propose();
        var phase = await _revisions.OpenNext("Mit laufendem Schreiben");

        // A measure command in flight: its event has a sequence, its transaction has not committed yet.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var writer = api.Store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var stream = await writer.Events.FetchForWriting<MeasureState>(measure);
            // Through the ledger, as every append: an event without its hash would fail the close's integrity check.
            var events = MeasureLifecycle.Decide(stream.Aggregate!, SampleCommands.UnderstandProblem()).Events;
            await GemeinsamDigital.Api.Audit.EventLedger.AppendAsync(writer, stream, [.. events.Select(e => ((object)e, DateTimeOffset.UtcNow))],
                new CommandMetadata("test", null, null, "in-flight"), CancellationToken.None);
            await writer.SaveChangesAsync();
        }
        var closing = _revisions.PostClose(phase);
        await Task.Delay(TimeSpan.FromSeconds(1));
        closing.IsCompleted.ShouldBeFalse("the close waits for the write in flight");
        await transaction.CommitAsync();

        var closed = await closing;
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        var snapshot = (await _revisions.Snapshot(phase)).Snapshot;
        var inFlight = (await _measures.Events(measure))[^1];
        snapshot.AsOfSequence.ShouldBeGreaterThanOrEqualTo(inFlight.Sequence);
        snapshot.Measures.Single(m => m.Id == measure).Stage.ShouldBe(MeasureStage.ProblemUnderstood);
        (await _revisions.Verify(phase)).Matches.ShouldBeTrue();
    }

    [Fact]
    public async Task A_lesson_racing_the_close_is_either_in_the_snapshot_or_refused()
    {
        for (var round = 0; round < 10; round++)
        {
            var phase = await _revisions.OpenNext($"Wettlauf {round}");
            var lesson = _revisions.PostLesson(phase, new RecordRevisionLesson("Im Wettlauf.", null, null, null));
            var close = _revisions.PostClose(phase);
            var (lessonResponse, closeResponse) = (await lesson, await close);

            closeResponse.StatusCode.ShouldBe(HttpStatusCode.OK, await closeResponse.Content.ReadAsStringAsync());
            var snapshot = (await _revisions.Snapshot(phase)).Snapshot;
            var story = await PhaseEvents(phase);
            if (lessonResponse.StatusCode == HttpStatusCode.OK)
            {
                snapshot.Lessons.ShouldContain(l => l.Text == "Im Wettlauf.", story);
            }
            else
            {
                lessonResponse.StatusCode.ShouldBe(HttpStatusCode.Conflict, await lessonResponse.Content.ReadAsStringAsync());
                snapshot.Lessons.ShouldNotContain(l => l.Text == "Im Wettlauf.", story);
            }
            story.ShouldEndWith("revision-phase-closed", customMessage: "nothing follows the close");
            (await _revisions.Verify(phase)).Matches.ShouldBeTrue();
        }
    }

    /// <summary>The phase's stored events, one per line, as a failure message.</summary>
    private async Task<string> PhaseEvents(Guid phase)
    {
        await using var session = api.Store.QuerySession();
        return string.Join("\n", (await session.Events.FetchStreamAsync(phase)).Select(e => $"v{e.Version} seq {e.Sequence} {e.EventTypeName}"));
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
