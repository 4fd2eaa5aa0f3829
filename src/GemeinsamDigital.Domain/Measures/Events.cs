namespace GemeinsamDigital.Domain.Measures;

// Events are the public, versioned contract of a measure's stream. They are stored under the
// stable names in MeasureEventTypes (never CLR type names). Evolving a shape: add optional
// members, or add an upcaster for the old name/version (see docs in README "Event contract").

/// <summary>Marker for every event of a measure's stream.</summary>
public interface IMeasureEvent;

public sealed record IdeaSource(string Kind, string? Administration, string? Detail);

public sealed record MeasureProposed(
    Guid MeasureId,
    string Title,
    string ProblemStatement,
    string? Description,
    string Type,
    string Lead,
    IReadOnlyList<string> Perspectives,
    IdeaSource Source,
    string? ExternalId = null) : IMeasureEvent;

public sealed record AffectedGroup(string Name, string StakeholderGroup, string? UnderHeardGroup);

public sealed record ProblemUnderstood(
    IReadOnlyList<AffectedGroup> AffectedGroups,
    string Evidence) : IMeasureEvent;

public sealed record PrincipleContribution(string Principle, int Weight, string Rationale);

public sealed record Indicator(string Code, string Name, string Unit, decimal Baseline, decimal Target);

public sealed record GoalsDefined(
    IReadOnlyList<PrincipleContribution> Contributions,
    IReadOnlyList<string> Perspectives,
    IReadOnlyList<Indicator> Indicators) : IMeasureEvent;

public sealed record Budget(decimal Amount, string Currency);

public sealed record Responsibility(string Administration, string Description);

public sealed record MeasureMandated(
    string Lead,
    IReadOnlyList<string> Participating,
    Budget Budget,
    string FundingSource,
    IReadOnlyList<Responsibility> Responsibilities) : IMeasureEvent;

public sealed record PlannedMilestone(string Id, string Title, DateOnly Due);

public sealed record PilotStarted(
    int Cycle,
    string Plan,
    DateOnly Start,
    DateOnly End,
    IReadOnlyList<PlannedMilestone> Milestones) : IMeasureEvent;

public sealed record MilestoneReached(string MilestoneId, DateOnly On) : IMeasureEvent;

public sealed record MilestoneMissed(string MilestoneId, string Explanation) : IMeasureEvent;

public sealed record MilestoneRescheduled(string MilestoneId, DateOnly PreviousDue, DateOnly NewDue) : IMeasureEvent;

public sealed record ParticipationHeld(
    string Format,
    DateOnly On,
    IReadOnlyList<string> StakeholderGroups,
    IReadOnlyList<string> UnderHeardGroups,
    int Participants,
    string? Summary) : IMeasureEvent;

public sealed record IndicatorMeasured(string Indicator, decimal Value, DateOnly On, string Source) : IMeasureEvent;

public sealed record RiskRecorded(string RiskId, string Kind, string Description) : IMeasureEvent;

public sealed record RiskResolved(string RiskId, string Resolution) : IMeasureEvent;

public sealed record EvaluationStarted(int Cycle) : IMeasureEvent;

public sealed record IndicatorFinding(string Indicator, string Finding, bool TargetMet);

public sealed record PrincipleFinding(string Principle, string Finding);

public sealed record EvaluationCompleted(
    int Cycle,
    IReadOnlyList<IndicatorFinding> IndicatorFindings,
    IReadOnlyList<PrincipleFinding> PrincipleFindings,
    IReadOnlyList<string> Lessons) : IMeasureEvent;

/// <summary>Outcome: rolled out further ("scaled") or made permanent where it is.</summary>
public sealed record MeasureScaled(string Mode, IReadOnlyList<string> RolloutTo, string Plan) : IMeasureEvent;

/// <summary>Outcome: a new pilot cycle follows.</summary>
public sealed record MeasureIterated(int NextCycle, string Changes) : IMeasureEvent;

/// <summary>Outcome: stopped. A stopped measure is a result, never deleted.</summary>
public sealed record MeasureStopped(string Reason, IReadOnlyList<string> Lessons) : IMeasureEvent;

public sealed record MeasureWithdrawn(string Reason) : IMeasureEvent;

public sealed record MeasureArchived(string? Note) : IMeasureEvent;

public sealed record DetailsAmended(string? Title, string? ProblemStatement, string? Description) : IMeasureEvent;

/// <summary>The lead administration's own key for the measure set, replaced (or removed: null).</summary>
public sealed record ExternalIdAssigned(string? ExternalId, string? Previous) : IMeasureEvent;

public sealed record TeamChanged(IReadOnlyList<string> Participating, IReadOnlyList<Responsibility> Responsibilities) : IMeasureEvent;

/// <summary>
/// A periodic status report. <paramref name="Revision"/> counts the reports for the same period
/// (1 for the first): a later one supersedes the earlier, which stays in the history.
/// </summary>
public sealed record StatusReported(
    string Period,
    string Health,
    string Narrative,
    IReadOnlyList<string> Blockers,
    IReadOnlyList<string> NextSteps,
    int? Progress,
    DateOnly On,
    int Revision) : IMeasureEvent;
