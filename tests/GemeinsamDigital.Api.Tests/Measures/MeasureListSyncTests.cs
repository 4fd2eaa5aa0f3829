using System.Diagnostics;
using System.Net;
using GemeinsamDigital.Api.Tests.Http;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// A client that syncs the measure list: changedAfterSequence with the cursor the answers give
/// (X-Event-Sequence, Link rel=next), pages that skip nothing while measures change, changes that
/// wait for the high water mark, and changedSince. Each test keeps to measures of its own lead.
/// </summary>
public class MeasureListSyncTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.AnonymousClient();
    private readonly MeasureDriver _measures = new(api.Client);

    private sealed record SyncPage(string[] Titles, long Cursor, string? Next, long Total);

    private async Task<SyncPage> Sync(string urlOrQuery)
    {
        var response = await _client.GetAsync(urlOrQuery.StartsWith("http", StringComparison.Ordinal) ? urlOrQuery : $"/api/measures?{urlOrQuery}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await response.Read<MeasurePage>();
        var cursor = long.Parse(response.Headers.GetValues("X-Event-Sequence").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var next = response.Headers.TryGetValues("Link", out var links)
            ? links.SelectMany(l => l.Split(", ")).Where(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal)).Select(l => l[1..l.IndexOf('>')]).SingleOrDefault()
            : null;
        return new SyncPage([.. page.Items.Select(m => m.Title)], cursor, next, page.Total);
    }

    /// <summary>The newest stored sequence, once the high water mark (which bounds the answers) has reached it.</summary>
    private async Task<long> Settled()
    {
        await using var session = api.Store.QuerySession();
        var newest = (await session.QueryAsync<long>("select coalesce(max(seq_id), 0) from gd.mt_events")).Single();
        var watch = Stopwatch.StartNew();
        while (await StreamSequences.HighWaterMarkAsync(session, CancellationToken.None) < newest && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }
        (await StreamSequences.HighWaterMarkAsync(session, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(newest, "the high water mark did not reach the newest event");
        return newest;
    }

    private async Task<Guid> Propose(string lead, string title) => await _measures.Propose(SampleCommands.Propose(lead, title));

    [Fact]
    public async Task A_cursor_returns_exactly_the_measures_changed_after_it_oldest_change_first()
    {
        const string lead = "ba-marzahn-hellersdorf";
        var s1 = await Propose(lead, "S1");
        var s2 = await Propose(lead, "S2");
        await Propose(lead, "S3");
        var newest = await Settled();

        var full = await Sync($"changedAfterSequence=0&lead={lead}");
        full.Titles.ShouldBe(["S1", "S2", "S3"]);
        full.Cursor.ShouldBe(newest);
        full.Next.ShouldBeNull();

        // A cursor in the middle: the sequence of S2's proposal.
        var middle = (await _measures.Events(s2)).Single().Sequence;
        (await Sync($"changedAfterSequence={middle}&lead={lead}")).Titles.ShouldBe(["S3"]);

        await _measures.Send(s1, SampleCommands.UnderstandProblem());
        await Propose(lead, "S4");
        await _measures.Send(s2, SampleCommands.AssignExternalId());
        newest = await Settled();

        var changes = await Sync($"changedAfterSequence={full.Cursor}&lead={lead}");
        changes.Titles.ShouldBe(["S1", "S4", "S2"]);
        changes.Cursor.ShouldBe(newest);
        (await Sync($"changedAfterSequence={middle}&lead={lead}")).Titles.ShouldBe(["S3", "S1", "S4", "S2"]);

        // Nothing changed since: nothing, and the cursor stays.
        var none = await Sync($"changedAfterSequence={changes.Cursor}&lead={lead}");
        none.Titles.ShouldBeEmpty();
        none.Cursor.ShouldBe(changes.Cursor);
        // Other filters still apply, and a cursor ahead of the store stays where it is.
        (await Sync($"changedAfterSequence={full.Cursor}&lead={lead}&stage=problem-understood")).Titles.ShouldBe(["S1"]);
        (await Sync($"changedAfterSequence={newest + 1000}&lead={lead}")).Cursor.ShouldBe(newest + 1000);

        // The CSV: the same rows and the same cursor.
        var csv = await _client.GetAsync($"/api/measures?changedAfterSequence={full.Cursor}&lead={lead}&format=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Headers.GetValues("X-Event-Sequence").Single().ShouldBe(newest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rows = CsvTableTests.Parse(await csv.Content.ReadAsStringAsync(), ',');
        rows.Skip(1).Select(r => r[Array.IndexOf(rows[0], "title")]).ShouldBe(["S1", "S4", "S2"]);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_so_a_change_between_two_pages_skips_nothing()
    {
        const string lead = "ba-reinickendorf";
        var start = await Settled();
        var p1 = await Propose(lead, "P1");
        var p2 = await Propose(lead, "P2");
        await Propose(lead, "P3");
        await Settled();

        var first = await Sync($"changedAfterSequence={start}&lead={lead}&pageSize=2");
        first.Titles.ShouldBe(["P1", "P2"]);
        first.Total.ShouldBe(3);
        first.Cursor.ShouldBe((await _measures.Events(p2)).Single().Sequence);
        first.Next.ShouldNotBeNull();
        first.Next.ShouldContain($"changedAfterSequence={first.Cursor}");
        first.Next.ShouldContain($"lead={lead}");
        first.Next.ShouldNotContain("page=");

        // P1 changes before the client asks for the next page: in the order of changes it moves to
        // the end (a page number would now skip P3, which slid onto page 1); the cursor skips nothing.
        await _measures.Send(p1, SampleCommands.UnderstandProblem());
        var newest = await Settled();
        var second = await Sync(first.Next!);
        second.Titles.ShouldBe(["P3", "P1"]);
        second.Cursor.ShouldBe(newest);
        second.Next.ShouldBeNull();
    }

    [Fact]
    public async Task A_change_waits_for_the_high_water_mark_so_no_earlier_sequence_can_still_commit_below_a_cursor()
    {
        const string lead = "ba-lichtenberg";
        var start = await Settled();
        await Propose(lead, "H1");
        await Settled();
        (await Sync($"changedAfterSequence={start}&lead={lead}")).Titles.ShouldBe(["H1"]);

        // Another writer takes the next sequence and has not committed yet.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long held;
        await using (var next = new NpgsqlCommand("select nextval('gd.mt_events_sequence')", connection, transaction))
        {
            held = (long)(await next.ExecuteScalarAsync())!;
        }
        var watch = Stopwatch.StartNew();
        await Propose(lead, "H2");
        var page = await Sync($"changedAfterSequence={start}&lead={lead}");
        if (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            // (The daemon gives up on a gap after some seconds; within one it still waits.)
            page.Titles.ShouldBe(["H1"]);
            page.Cursor.ShouldBeLessThan(held);
        }
        page.Titles.ShouldContain("H1");

        // The other writer gives up: the gap stays empty forever, and H2 follows.
        await transaction.RollbackAsync();
        var newest = await Settled();
        var later = await Sync($"changedAfterSequence={page.Cursor}&lead={lead}");
        later.Titles.ShouldBe(page.Titles.Contains("H2") ? Array.Empty<string>() : ["H2"]);
        later.Cursor.ShouldBe(newest);
    }

    [Fact]
    public async Task Changed_since_selects_by_the_time_of_the_last_change()
    {
        const string lead = "ba-treptow-koepenick";
        var t1 = await Propose(lead, "T1");
        var t2 = await Propose(lead, "T2");
        var at1 = (await _measures.Read(t1)).LastActivityAt;
        var at2 = (await _measures.Read(t2)).LastActivityAt;
        at2.ShouldBeGreaterThan(at1);

        async Task<string[]> Since(string since, string more = "") =>
            (await (await _client.GetAsync($"/api/measures?lead={lead}&sort=lastActivityAt&changedSince={Uri.EscapeDataString(since)}{more}")).Read<MeasurePage>())
                .Items.Select(m => m.Title).ToArray();

        (await Since(Instant(at1))).ShouldBe(["T2"]); // after it, not at it
        (await Since(Instant(at1.AddTicks(-10)))).ShouldBe(["T1", "T2"]);
        // The same moment with an offset, and a date alone (00:00 UTC that day).
        (await Since(at1.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture))).ShouldBe(["T2"]);
        (await Since(at1.UtcDateTime.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ShouldBe(["T1", "T2"]);
        // The future is no error: nothing has changed there yet.
        (await Since(DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ShouldBeEmpty();

        // Any event is a change: T1 moves behind T2.
        await _measures.Send(t1, SampleCommands.UnderstandProblem());
        (await Since(Instant(at2))).ShouldBe(["T1"]);
        (await Since(Instant(at1.AddTicks(-10)), "&pageSize=1&page=2")).ShouldBe(["T1"]);
    }

    private static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
