using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using static GemeinsamDigital.Domain.Tests.Revisions.RevisionSpec;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>Opening, lessons and closing of revision phases: 400 / 409 / 422 and the events.</summary>
public class RevisionPhaseSpecs
{
    private static readonly RevisionPhaseState _previous = Given(
        new RevisionPhaseOpened(PreviousId, "Revisionsphase 2024", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), RevisionScope.Everything, null, 0),
        new RevisionPhaseClosed(42, "h", RevisionSnapshots.Build(Given(Opened()), [], 42)));

    [Fact]
    public void Opening_the_first_phase_links_lessons_from_the_first_event_on()
    {
        var opened = RevisionPhases.Open(PhaseId, Open2025(), null, null).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<RevisionPhaseOpened>();
        opened.ShouldBe(new RevisionPhaseOpened(PhaseId, "Revisionsphase 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), RevisionScope.Everything, null, 0));
    }

    [Fact]
    public void A_later_phase_starts_where_the_previous_snapshot_ended()
    {
        var opened = (RevisionPhaseOpened)RevisionPhases.Open(PhaseId, Open2025() with { Name = "  Revisionsphase 2025 ", Scope = new("dezentral", null, "ba-pankow", null) },
            null, _previous).ThenEvents().Single();
        opened.PreviousPhaseId.ShouldBe(PreviousId);
        opened.SinceSequence.ShouldBe(42);
        opened.Name.ShouldBe("Revisionsphase 2025");
        opened.Scope.ShouldBe(new RevisionScope("dezentral", null, "ba-pankow", null));
    }

    [Fact]
    public void Only_one_phase_is_open_at_a_time()
    {
        var open = Given(Opened());
        var refused = RevisionPhases.Open(Guid.NewGuid(), Open2025(), open, null).ThenRejected<AnotherRevisionPhaseOpen>();
        refused.OpenPhaseId.ShouldBe(PhaseId);
        refused.OpenPhaseName.ShouldBe("Revisionsphase 2025");
    }

    [Fact]
    public void Malformed_input_names_every_field()
    {
        var invalid = RevisionPhases.Open(PhaseId, new OpenRevisionPhase(" ", null, null, new RevisionScopeInput("x", "ba-atlantis", "skzl", "zp9")), null, null)
            .ThenRejected<InvalidCommand>();
        invalid.Errors.Keys.ShouldBe(["name", "from", "to", "scope.type", "scope.lead", "scope.district", "scope.perspective"], ignoreOrder: true);
        // Malformed input is refused before the state is looked at.
        RevisionPhases.Open(PhaseId, Open2025() with { Name = null }, Given(Opened()), null).ThenRejected<InvalidCommand>();
    }

    [Fact]
    public void A_period_ends_on_or_after_its_start_and_after_the_previous_phase()
    {
        RevisionPhases.Open(PhaseId, Open2025() with { To = new DateOnly(2024, 12, 31) }, null, null)
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["to"]);
        RevisionPhases.Open(PhaseId, Open2025() with { To = new DateOnly(2025, 1, 1) }, null, null).ThenEvents().ShouldHaveSingleItem();
        RevisionPhases.Open(PhaseId, Open2025() with { From = new DateOnly(2024, 12, 31) }, null, _previous)
            .ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["from"]);
    }

    [Fact]
    public void Office_lessons_are_numbered_and_name_a_known_measure()
    {
        var measure = new MeasureState { Id = Guid.NewGuid() };
        var first = (RevisionLessonRecorded)RevisionPhases.RecordLesson(Given(Opened()), new(" Früh beteiligen. ", measure.Id, ["kooperativ"], ["zp5"]), measure)
            .ThenEvents().Single();
        first.ShouldBe(first with { Number = 1, Text = "Früh beteiligen.", MeasureId = measure.Id });
        first.Principles.ShouldBe(["kooperativ"]);

        var state = Given(Opened(), first);
        state.Lessons.ShouldHaveSingleItem().ShouldEqualAsJson(new RevisionLesson(LessonSource.Office, "Früh beteiligen.", T0.AddDays(1), 1, measure.Id, null, null, ["kooperativ"], ["zp5"]));
        var second = (RevisionLessonRecorded)RevisionPhases.RecordLesson(state, new("Ziele schärfen.", null, null, null), null).ThenEvents().Single();
        second.Number.ShouldBe(2);
        second.Principles.ShouldBeEmpty();

        RevisionPhases.RecordLesson(state, new("x", Guid.NewGuid(), null, null), null).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["measureId"]);
        RevisionPhases.RecordLesson(state, new("", null, ["mutig"], ["zp0"]), null).ThenRejected<InvalidCommand>().Errors.Keys
            .ShouldBe(["text", "principles[0]", "perspectives[0]"], ignoreOrder: true);
    }

    [Fact]
    public void Closing_links_the_measures_lessons_and_records_snapshot_and_hash()
    {
        var a = Guid.Parse("0193a000-0000-7000-8000-00000000000a");
        var log = new EventLog().Record(Measure(a, MeasureStage.Evaluated));
        var state = Given(Opened());
        var snapshot = RevisionSnapshots.Build(state, log.Events, log.Sequence);
        var events = RevisionPhases.Close(state, snapshot).ThenEvents();

        events.Count.ShouldBe(2);
        var linked = events[0].ShouldBeOfType<MeasureLessonsLinked>().Lessons.ShouldHaveSingleItem();
        linked.ShouldBe(snapshot.Lessons.Single());
        var closed = events[1].ShouldBeOfType<RevisionPhaseClosed>();
        closed.AsOfSequence.ShouldBe(log.Sequence);
        closed.Snapshot.ShouldBeSameAs(snapshot);
        closed.SnapshotHash.ShouldBe(SnapshotHash.Compute(snapshot));

        var after = Given(Opened(), events[0], events[1]);
        after.Status.ShouldBe(RevisionPhaseStatus.Closed);
        after.ClosedAt.ShouldBe(T0.AddDays(2));
        after.AsOfSequence.ShouldBe(log.Sequence);
        after.SnapshotHash.ShouldBe(closed.SnapshotHash);
        after.Lessons.ShouldEqualAsJson([linked]);
    }

    [Fact]
    public void Closing_without_lessons_of_measures_appends_only_the_closing_event()
    {
        var state = Given(Opened());
        RevisionPhases.Close(state, RevisionSnapshots.Build(state, [], 0)).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<RevisionPhaseClosed>();
    }

    [Fact]
    public void A_closed_phase_takes_no_command()
    {
        var closed = ClosedPhase();
        RevisionPhases.RecordLesson(closed, new("Noch eine Lehre.", null, null, null), null).ThenRejected<RevisionPhaseClosedAlready>().Command.ShouldBe("lessons");
        RevisionPhases.Close(closed, RevisionSnapshots.Build(Given(Opened()), [], 11)).ThenRejected<RevisionPhaseClosedAlready>().Command.ShouldBe("close");
        RevisionPhases.Unchangeable(closed, "close").ShouldNotBeNull();
        RevisionPhases.Unchangeable(Given(Opened()), "close").ShouldBeNull();
    }

    [Fact]
    public void A_phase_stream_starts_with_its_opening_and_opens_once()
    {
        Should.Throw<InvalidOperationException>(() => Given(new RevisionLessonRecorded(1, "x", null, [], [])));
        Should.Throw<InvalidOperationException>(() => Given(Opened(), Opened()));
    }
}
