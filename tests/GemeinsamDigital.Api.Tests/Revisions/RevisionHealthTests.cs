using System.Net;
using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Commands;
using GemeinsamDigital.Api.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Marten;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>
/// Snapshots carry each measure's latest status report and the comparison lists health changes;
/// a snapshot closed in format 1 (before reports were part of it) still verifies.
/// </summary>
public class RevisionHealthTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);
    private readonly RevisionDriver _revisions = new(api.Client);

    private static ReportStatus Report(string period, string health, DateOnly on, string narrative = "Sachstand.") =>
        SampleCommands.ReportStatus() with { Period = period, Health = health, On = on, Narrative = narrative };

    [Fact]
    public async Task Snapshots_carry_the_latest_reports_and_the_comparison_lists_the_health_changes_and_a_format_1_snapshot_still_verifies()
    {
        var legacy = await _revisions.OpenNext("Revisionsphase vor den Berichten");
        await CloseInFormat1(legacy);

        var a = await _measures.ProposeIn(MeasureStage.Pilot);
        var b = await _measures.ProposeIn(MeasureStage.Mandated);
        await _measures.Send(a, Report("2024-Q2", "on-track", new DateOnly(2024, 6, 30)));
        var p1 = await _revisions.OpenNext("Revisionsphase 1");
        await _revisions.Close(p1);

        await _measures.Send(a, Report("2024-Q3", "at-risk", new DateOnly(2024, 9, 30)));
        var corrected = await _measures.Send(a, Report("2024-Q3", "off-track", new DateOnly(2024, 9, 30), "Korrigiert: Lieferverzug."));
        await _measures.Send(b, Report("2024-Q3", "paused", new DateOnly(2024, 9, 30)));
        var p2 = await _revisions.OpenNext("Revisionsphase 2");
        await _revisions.Close(p2);

        var first = (await _revisions.Snapshot(p1)).Snapshot;
        first.Format.ShouldBe(RevisionSnapshots.Format);
        first.Measures.Single(m => m.Id == a).LatestReport.ShouldNotBeNull().Health.ShouldBe("on-track");
        first.Measures.Single(m => m.Id == b).LatestReport.ShouldBeNull();
        var second = (await _revisions.Snapshot(p2)).Snapshot;
        var latest = second.Measures.Single(m => m.Id == a).LatestReport.ShouldNotBeNull();
        (latest.Period, latest.Health, latest.Narrative, latest.Revision).ShouldBe(("2024-Q3", "off-track", "Korrigiert: Lieferverzug.", 2));
        (await _measures.Read(a)).LatestStatusReport!.Version.ShouldBe(corrected.Version);

        var comparison = await _revisions.Compare(p1, p2);
        comparison.HealthChanges.ShouldBe(new HealthMovement[]
        {
            new(a, first.Measures.Single(m => m.Id == a).Title, "2024-Q2", "on-track", "2024-Q3", "off-track"),
            new(b, first.Measures.Single(m => m.Id == b).Title, null, null, "2024-Q3", "paused"),
        }.OrderBy(h => h.MeasureId));
        comparison.Health.Select(h => (h.Code, h.From, h.To)).ShouldBe([("on-track", 1, 0), ("at-risk", 0, 0), ("off-track", 0, 1), ("paused", 0, 1)]);

        // Every phase verifies: the format-1 one is recomputed in its own format.
        foreach (var phase in new[] { legacy, p1, p2 })
        {
            var verification = await _revisions.Verify(phase);
            verification.Matches.ShouldBeTrue($"phase {phase}: {string.Join(", ", verification.Differences)}");
        }
        var old = (await _revisions.Snapshot(legacy)).Snapshot;
        old.Format.ShouldBe(1);

        // The CSV carries the reports as rows of their own.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{p2}/snapshot");
        request.Headers.TryAddWithoutValidation("Accept", "text/csv");
        var csv = await api.Client.SendAsync(request);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var report = lines.Single(l => l.StartsWith("status-report,", StringComparison.Ordinal) && l.Contains(a.ToString())).Split(',');
        report[Array.IndexOf(header, "period")].ShouldBe("2024-Q3");
        report[Array.IndexOf(header, "health")].ShouldBe("off-track");
        report[Array.IndexOf(header, "health_label")].ShouldBe("Nicht im Plan");
        lines.Count(l => l.StartsWith("status-report,", StringComparison.Ordinal)).ShouldBe(2);
    }

    /// <summary>Closes an open phase as the code before format 2 did: a format-1 snapshot as of the highest sequence.</summary>
    private async Task CloseInFormat1(Guid phase)
    {
        await using var session = api.Store.LightweightSession();
        var stream = await session.Events.FetchForWriting<RevisionPhaseState>(phase);
        var sequence = await session.Events.QueryAllRawEvents().MaxAsync(e => e.Sequence);
        var snapshot = await RevisionReader.ComputeAsync(session, phase, sequence, CancellationToken.None, format: 1);
        var decision = RevisionPhases.Close(stream.Aggregate!, snapshot);
        await EventLedger.AppendAsync(session, stream, [.. decision.Events.Select(e => ((object)e, DateTimeOffset.UtcNow))],
            new CommandMetadata("test", null, null, "test"), CancellationToken.None);
        await session.SaveChangesAsync();
    }
}
