using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// The stored names of events: a public, versioned contract. Stored JSON never carries CLR type
/// names, so classes may be renamed or moved freely. A name is never reused for another shape:
/// an incompatible change gets a new name (".v2") and an upcaster from the old one.
/// </summary>
public static class EventTypes
{
    public static readonly IReadOnlyDictionary<Type, string> Names = new Dictionary<Type, string>
    {
        [typeof(MeasureProposed)] = "measure-proposed.v2",
        [typeof(ProblemUnderstood)] = "problem-understood",
        [typeof(GoalsDefined)] = "goals-defined",
        [typeof(MeasureMandated)] = "measure-mandated",
        [typeof(PilotStarted)] = "pilot-started",
        [typeof(MilestoneReached)] = "milestone-reached",
        [typeof(MilestoneMissed)] = "milestone-missed",
        [typeof(MilestoneRescheduled)] = "milestone-rescheduled",
        [typeof(ParticipationHeld)] = "participation-held",
        [typeof(IndicatorMeasured)] = "indicator-measured",
        [typeof(RiskRecorded)] = "risk-recorded",
        [typeof(RiskResolved)] = "risk-resolved",
        [typeof(EvaluationStarted)] = "evaluation-started",
        [typeof(EvaluationCompleted)] = "evaluation-completed",
        [typeof(MeasureScaled)] = "measure-scaled",
        [typeof(MeasureIterated)] = "measure-iterated",
        [typeof(MeasureStopped)] = "measure-stopped",
        [typeof(MeasureWithdrawn)] = "measure-withdrawn",
        [typeof(MeasureArchived)] = "measure-archived",
        [typeof(DetailsAmended)] = "details-amended",
        [typeof(TeamChanged)] = "team-changed",
        [typeof(ExternalIdAssigned)] = "external-id-assigned",
        [typeof(AttachedToProgramme)] = "attached-to-programme",
        [typeof(DetachedFromProgramme)] = "detached-from-programme",
        [typeof(StatusReported)] = "status-reported",
        [typeof(PlanLinked)] = "plan-linked",
        [typeof(PlanUnlinked)] = "plan-unlinked",
        [typeof(LocationSet)] = "location-set",
        [typeof(LocationCleared)] = "location-cleared",

        // Revision phases (their own streams).
        [typeof(RevisionPhaseOpened)] = "revision-phase-opened",
        [typeof(RevisionLessonRecorded)] = "revision-lesson-recorded",
        [typeof(MeasureLessonsLinked)] = "revision-measure-lessons-linked",
        [typeof(RevisionPhaseClosed)] = "revision-phase-closed",

        // The reporting cadence (one stream, kept by the strategy office).
        [typeof(GemeinsamDigital.Domain.Controlling.ReportingCadenceSet)] = "reporting-cadence-set",

        // The catalogue (one stream, kept by the strategy office).
        [typeof(GemeinsamDigital.Domain.Catalog.CatalogSeeded)] = "catalog-seeded",
        [typeof(GemeinsamDigital.Domain.Catalog.CatalogEntryAdded)] = "catalog-entry-added",
        [typeof(GemeinsamDigital.Domain.Catalog.CatalogEntryRelabelled)] = "catalog-entry-relabelled",
        [typeof(GemeinsamDigital.Domain.Catalog.CatalogEntryRetired)] = "catalog-entry-retired",
        [typeof(GemeinsamDigital.Domain.Catalog.CatalogEntryReplaced)] = "catalog-entry-replaced",

        // Erasures of subjects' identities (one stream per erased subject).
        [typeof(Subjects.SubjectErased)] = "subject-erased",
    };

    /// <summary>The stored event types of one kind of stream (IMeasureEvent, IRevisionEvent).</summary>
    public static IEnumerable<Type> OfKind<TKind>() => Names.Keys.Where(typeof(TKind).IsAssignableFrom);

    public static string NameOf(Type eventType) =>
        Names.TryGetValue(eventType, out var name) ? name : throw new InvalidOperationException($"{eventType.Name} has no stored event name.");
}

/// <summary>
/// First shape of the proposal event (stored as "measure-proposed" by the prototype): one
/// administration field, one perspective, no source. Kept only to read old streams.
/// </summary>
public sealed record MeasureProposedV1(Guid MeasureId, string Title, string ProblemStatement, string Type, string Administration, string Perspective)
{
    public const string StoredName = "measure-proposed";

    public MeasureProposed Upcast() =>
        new(MeasureId, Title, ProblemStatement, null, Type, Administration, [Perspective], new IdeaSource("verwaltung", Administration, null));
}
