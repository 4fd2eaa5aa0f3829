using System.Text.Json;
using System.Text.Json.Serialization;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Revisions;

[JsonConverter(typeof(JsonStringEnumConverter<RevisionPhaseStatus>))]
public enum RevisionPhaseStatus
{
    Open,
    Closed,
}

public static class RevisionPhaseStatuses
{
    /// <summary>The status's code as clients see it ("open", "closed"); stored by name ("Open").</summary>
    public static string Code(this RevisionPhaseStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    /// <summary>German labels for users.</summary>
    public static string Label(this RevisionPhaseStatus status) => status switch
    {
        RevisionPhaseStatus.Open => "Offen",
        RevisionPhaseStatus.Closed => "Abgeschlossen",
        _ => status.ToString(),
    };
}

/// <summary>Where a lesson comes from.</summary>
public static class LessonSource
{
    /// <summary>Entered by the strategy office.</summary>
    public const string Office = "office";

    /// <summary>A lesson of a completed evaluation (EvaluationCompleted).</summary>
    public const string Evaluation = "evaluation";

    /// <summary>What changes in the next pilot cycle (MeasureIterated).</summary>
    public const string Iteration = "iteration";

    /// <summary>A lesson of a stopped measure (MeasureStopped).</summary>
    public const string Stop = "stop";
}

/// <summary>A lesson of a revision phase: entered by the strategy office, or linked from a measure's event.</summary>
/// <param name="Source">office, evaluation, iteration or stop (see <see cref="LessonSource"/>).</param>
/// <param name="RecordedAt">When the lesson (or the measure event it comes from) was recorded.</param>
/// <param name="Number">Office lessons: 1, 2, … within the phase.</param>
/// <param name="MeasureId">The measure the lesson is about (always set for linked lessons).</param>
/// <param name="MeasureVersion">Linked lessons: the version of the measure event the lesson comes from.</param>
/// <param name="MeasureSequence">Linked lessons: that event's global sequence.</param>
public sealed record RevisionLesson(
    string Source,
    string Text,
    DateTimeOffset RecordedAt,
    int? Number,
    Guid? MeasureId,
    long? MeasureVersion,
    long? MeasureSequence,
    IReadOnlyList<string> Principles,
    IReadOnlyList<string> Perspectives);

/// <summary>A revision phase: the fold of its events. The read model clients get and what decisions are made against.</summary>
public sealed record RevisionPhaseState : IStreamState
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string Name { get; init; } = "";
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public RevisionScope Scope { get; init; } = RevisionScope.Everything;
    public Guid? PreviousPhaseId { get; init; }
    public long SinceSequence { get; init; }
    public RevisionPhaseStatus Status { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Office lessons in the order entered; after the close also the linked lessons of measures.</summary>
    public IReadOnlyList<RevisionLesson> Lessons { get; init; } = [];

    /// <summary>Closed phases: the global event sequence the snapshot reflects.</summary>
    public long? AsOfSequence { get; init; }

    /// <summary>Closed phases: the snapshot's content hash.</summary>
    public string? SnapshotHash { get; init; }
}

/// <summary>evolve(state, event) → state for revision phases. Pure.</summary>
public static class RevisionPhaseEvolution
{
    public static RevisionPhaseState Fold(IEnumerable<(IRevisionEvent Event, EventInfo Info)> events) =>
        events.Aggregate((RevisionPhaseState?)null, (s, e) => Evolve(s, e.Event, e.Info))
        ?? throw new InvalidOperationException("A revision phase's stream has at least one event.");

    public static RevisionPhaseState Evolve(RevisionPhaseState? state, IRevisionEvent @event, EventInfo info)
    {
        if (state is null)
        {
            return @event is RevisionPhaseOpened o
                ? new RevisionPhaseState
                {
                    Id = o.PhaseId,
                    Version = info.Version,
                    Name = o.Name,
                    From = o.From,
                    To = o.To,
                    Scope = o.Scope,
                    PreviousPhaseId = o.PreviousPhaseId,
                    SinceSequence = o.SinceSequence,
                    Status = RevisionPhaseStatus.Open,
                    OpenedAt = info.At,
                }
                : throw new InvalidOperationException($"A revision phase's stream starts with {nameof(RevisionPhaseOpened)}, not {@event.GetType().Name}.");
        }

        var s = state with { Version = info.Version };
        return @event switch
        {
            RevisionPhaseOpened => throw new InvalidOperationException("A revision phase is opened once."),
            RevisionLessonRecorded e => s with
            {
                Lessons = [.. s.Lessons, new RevisionLesson(LessonSource.Office, e.Text, info.At, e.Number, e.MeasureId, null, null, e.Principles, e.Perspectives)],
            },
            MeasureLessonsLinked e => s with { Lessons = [.. s.Lessons, .. e.Lessons] },
            RevisionPhaseClosed e => s with
            {
                Status = RevisionPhaseStatus.Closed,
                ClosedAt = info.At,
                AsOfSequence = e.AsOfSequence,
                SnapshotHash = e.SnapshotHash,
            },
            _ => throw new InvalidOperationException($"No evolution for {@event.GetType().Name}."),
        };
    }

    /// <summary>The office lessons entered so far (linked lessons are added only at the close).</summary>
    public static IEnumerable<RevisionLesson> OfficeLessons(this RevisionPhaseState state) =>
        state.Lessons.Where(l => l.Source == LessonSource.Office);
}
