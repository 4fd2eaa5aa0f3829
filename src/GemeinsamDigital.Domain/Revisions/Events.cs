using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Revisions;

// A revision phase is its own event stream, separate from the measures' streams. Its events are
// stored under the stable names in the API's EventTypes, like the measures' events.

/// <summary>Marker for every event of a revision phase's stream.</summary>
public interface IRevisionEvent;

/// <summary>
/// Which measures a revision phase looks at: every measure (all members null), or those matching
/// each given catalogue code, selected exactly as the dashboards' filter selects them.
/// </summary>
public sealed record RevisionScope(string? Type, string? Lead, string? District, string? Perspective)
{
    public static readonly RevisionScope Everything = new(null, null, null, null);

    public DashboardFilter ToFilter() => new(Lead: Lead, District: District, Type: Type, Perspective: Perspective);
}

/// <param name="PreviousPhaseId">The phase closed last before this one opened; null for the first phase.</param>
/// <param name="SinceSequence">The previous phase's snapshot sequence (0 for the first phase): lessons of
/// measures are linked from events after it.</param>
public sealed record RevisionPhaseOpened(
    Guid PhaseId,
    string Name,
    DateOnly From,
    DateOnly To,
    RevisionScope Scope,
    Guid? PreviousPhaseId,
    long SinceSequence) : IRevisionEvent;

/// <summary>A lesson entered by the strategy office, optionally about one measure and tagged with Leitgedanken and Zukunftsperspektiven.</summary>
/// <param name="Number">1, 2, … within the phase.</param>
public sealed record RevisionLessonRecorded(
    int Number,
    string Text,
    Guid? MeasureId,
    IReadOnlyList<string> Principles,
    IReadOnlyList<string> Perspectives) : IRevisionEvent;

/// <summary>Lessons of measures evaluated, iterated or stopped since the previous phase, linked when the phase closes.</summary>
public sealed record MeasureLessonsLinked(IReadOnlyList<RevisionLesson> Lessons) : IRevisionEvent;

/// <summary>The phase is closed; its snapshot as of one global event sequence is part of the event and never changes.</summary>
/// <param name="AsOfSequence">The store's highest event sequence when the phase closed; the snapshot reflects exactly the events up to it.</param>
/// <param name="SnapshotHash">SHA-256 (lower-case hex) of the snapshot's canonical JSON.</param>
public sealed record RevisionPhaseClosed(long AsOfSequence, string SnapshotHash, RevisionSnapshot Snapshot) : IRevisionEvent;
