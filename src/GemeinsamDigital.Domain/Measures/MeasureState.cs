namespace GemeinsamDigital.Domain.Measures;

/// <summary>What the store knows about one recorded event besides its data.</summary>
public sealed record EventInfo(long Version, DateTimeOffset At);

public sealed record StageEntry(MeasureStage Stage, DateTimeOffset EnteredAt, long Version);

public sealed record MilestoneState(string Id, string Title, DateOnly Due, string Status, DateOnly? ReachedOn, int Cycle)
{
    /// <summary>The due dates before each rescheduling, oldest first (empty when never rescheduled).</summary>
    public IReadOnlyList<DateOnly> PreviousDues { get; init; } = [];
}

public sealed record Measurement(string Indicator, decimal Value, DateOnly On, string Source)
{
    public static Measurement Of(IndicatorMeasured e) => new(e.Indicator, e.Value, e.On, e.Source);
}

public sealed record RiskState(string Id, string Kind, string Description, bool Resolved, string? Resolution);

public sealed record PilotState(int Cycle, string Plan, DateOnly Start, DateOnly End);

public sealed record EvaluationState(
    int Cycle,
    IReadOnlyList<IndicatorFinding> IndicatorFindings,
    IReadOnlyList<PrincipleFinding> PrincipleFindings,
    IReadOnlyList<string> Lessons);

/// <summary>The current status report of a period (the latest one submitted for it).</summary>
public sealed record StatusReportState(
    string Period,
    string Health,
    string Narrative,
    IReadOnlyList<string> Blockers,
    IReadOnlyList<string> NextSteps,
    int? Progress,
    DateOnly On,
    int Revision,
    DateTimeOffset ReportedAt,
    long Version);

/// <summary>The health a measure had in one reporting period (by its current report).</summary>
public sealed record HealthEntry(string Period, string Health, DateOnly On, int Revision, DateTimeOffset ReportedAt, long Version);

public sealed record OutcomeState(string Kind, string? Mode, IReadOnlyList<string> RolloutTo, string Detail, IReadOnlyList<string> Lessons);

/// <summary>
/// A measure's current state: the fold of its events. It is both what decisions are made against
/// and the read model clients get (stored by an inline projection, so a client reads its own writes).
/// </summary>
public sealed record MeasureState : IStreamState
{
    public Guid Id { get; init; }
    public long Version { get; init; }

    /// <summary>
    /// The hash-chain link (SHA-256) of the event at <see cref="Version"/>, set by the store's
    /// projection: ties what a client read to the audited history, and spares the next command
    /// a lookup of the previous hash. Null in a pure fold and for events written before the chain.
    /// </summary>
    public string? LastEventHash { get; init; }

    public MeasureStage Stage { get; init; }
    public DateTimeOffset StageEnteredAt { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }
    public string Title { get; init; } = "";
    public string ProblemStatement { get; init; } = "";
    public string? Description { get; init; }
    public string Type { get; init; } = "";
    public string Lead { get; init; } = "";

    /// <summary>The lead administration's own key for the measure (unique per lead), if it gave one.</summary>
    public string? ExternalId { get; init; }
    public IReadOnlyList<string> Participating { get; init; } = [];
    public IReadOnlyList<string> Perspectives { get; init; } = [];
    public IdeaSource? Source { get; init; }
    public IReadOnlyList<AffectedGroup> AffectedGroups { get; init; } = [];
    public string? Evidence { get; init; }
    public IReadOnlyList<PrincipleContribution> Contributions { get; init; } = [];
    public IReadOnlyList<Indicator> Indicators { get; init; } = [];
    public Budget? Budget { get; init; }
    public string? FundingSource { get; init; }
    public IReadOnlyList<Responsibility> Responsibilities { get; init; } = [];
    public int PilotCycle { get; init; }
    public PilotState? Pilot { get; init; }
    public IReadOnlyList<MilestoneState> Milestones { get; init; } = [];
    public IReadOnlyList<ParticipationHeld> Participations { get; init; } = [];
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];
    public IReadOnlyList<RiskState> Risks { get; init; } = [];
    public IReadOnlyList<EvaluationState> Evaluations { get; init; } = [];
    public OutcomeState? Outcome { get; init; }
    public IReadOnlyList<StageEntry> StageHistory { get; init; } = [];

    /// <summary>The programme (parent measure) this measure is part of, if any.</summary>
    public Guid? ProgrammeId { get; init; }
    /// <summary>The current report of the newest period reported on; null before the first report.</summary>
    public StatusReportState? LatestStatusReport { get; init; }

    /// <summary>The health per reporting period (one entry per period, its current report), oldest period first.</summary>
    public IReadOnlyList<HealthEntry> HealthHistory { get; init; } = [];

    /// <summary>The plans of the Land the measure serves, in the order they were linked.</summary>
    public IReadOnlyList<PlanLink> Plans { get; init; } = [];

    /// <summary>How many reports were submitted for the period (superseded ones included).</summary>
    public int StatusReportCount(string period) =>
        HealthHistory.FirstOrDefault(h => h.Period == period)?.Revision ?? 0;

    /// <summary>The project team: lead plus participating administrations.</summary>
    public IEnumerable<string> Team => Participating.Prepend(Lead).Distinct();

    // Last, so the list's CSV gains its columns at the end.
    /// <summary>Where the measure takes place (a GeoJSON point or polygon and its districts); null when it has no location.</summary>
    public MeasureLocation? Location { get; init; }
}
