using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Api.Tests.Revisions;

namespace GemeinsamDigital.Api.Tests.Seed;

/// <summary>A second, independent database for the same seed.</summary>
public sealed class SecondDatabase : ApiFixture;

/// <summary>The demo revision phases: closed ones with verifiable snapshots, one open, the same in every fresh database.</summary>
public class DemoRevisionTests(ApiFixture api, SecondDatabase other) : IClassFixture<ApiFixture>, IClassFixture<SecondDatabase>
{
    [Fact]
    public async Task Seeding_closes_the_past_phases_and_leaves_the_current_one_open_the_same_way_every_time()
    {
        await Task.WhenAll(DemoSeeder.SeedAsync(api.Store, api.Subjects, CancellationToken.None), DemoSeeder.SeedAsync(other.Store, other.Subjects, CancellationToken.None));
        var revisions = new RevisionDriver(api.Client);
        var phases = await revisions.List();

        phases.Select(p => (p.Name, p.Status)).ShouldBe(
        [
            ("Revisionsphase 2025/26", RevisionPhaseStatus.Open),
            ("Revisionsphase 2024", RevisionPhaseStatus.Closed),
            ("Revisionsphase 2023", RevisionPhaseStatus.Closed),
        ]);
        phases.Select(p => p.Id).ShouldBe([.. DemoRevisions.All().Select(d => d.Id).Reverse()]);
        var (p2023, p2024) = (phases[2], phases[1]);
        p2023.ClosedAt.ShouldBe(new DateTimeOffset(2023, 12, 31, 16, 0, 0, TimeSpan.Zero));
        p2024.PreviousPhaseId.ShouldBe(p2023.Id);
        p2024.SinceSequence.ShouldBe(p2023.AsOfSequence!.Value);
        phases[0].PreviousPhaseId.ShouldBe(p2024.Id);

        foreach (var closed in new[] { p2023, p2024 })
        {
            (await revisions.Verify(closed.Id)).Matches.ShouldBeTrue(closed.Name);
            var snapshot = (await revisions.Snapshot(closed.Id)).Snapshot;
            // Measures proposed after the phase (by their backdated time) are not in its snapshot.
            snapshot.Measures.ShouldAllBe(m => m.StageHistory[0].EnteredAt <= closed.ClosedAt);
            snapshot.Lessons.Count(l => l.Source == LessonSource.Office).ShouldBe(2);
        }
        var snapshot2024 = (await revisions.Snapshot(p2024.Id)).Snapshot;
        snapshot2024.Measures.Count.ShouldBeGreaterThan((await revisions.Snapshot(p2023.Id)).Snapshot.Measures.Count);
        snapshot2024.Lessons.ShouldContain(l => l.Source == LessonSource.Stop || l.Source == LessonSource.Evaluation);
        var comparison = await revisions.Compare(p2023.Id, p2024.Id);
        (comparison.Added.Count + comparison.Advanced.Count).ShouldBeGreaterThan(0);

        // Another fresh database seeded alike holds the same snapshots, hash for hash.
        var elsewhere = await new RevisionDriver(other.Client).List();
        elsewhere.Select(p => (p.Id, p.AsOfSequence, p.SnapshotHash)).ShouldBe(phases.Select(p => (p.Id, p.AsOfSequence, p.SnapshotHash)));

        // The measures hold every demo event, whichever phase they were stored in, and their state
        // knows the stream version (the ETag commands are checked against).
        var measures = new MeasureDriver(api.Client);
        foreach (var demo in DemoMeasures.All())
        {
            var events = await measures.Events(demo.Id);
            events.Count.ShouldBe(DemoSeeder.Run(demo).Count, demo.Proposal.Title);
            var state = await measures.Read(demo.Id);
            state.Version.ShouldBe(events.Count, demo.Proposal.Title);
            state.StageHistory.ShouldAllBe(h => h.Version > 0);
        }
        phases.Select(p => p.Version).ShouldBe([2, 5, 5], "opened, office lessons, linked lessons, closed");

        // The open demo phase takes lessons and closes like any other.
        await revisions.Lesson(phases[0].Id, "Noch eine Lehre.");
        (await revisions.Close(phases[0].Id)).Version.ShouldBe(phases[0].Version + 3);
    }
}
