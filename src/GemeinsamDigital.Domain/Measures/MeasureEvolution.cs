namespace GemeinsamDigital.Domain.Measures;

/// <summary>evolve(state, event) → state. Pure; the only place that knows how events change a measure.</summary>
public static class MeasureEvolution
{
    public static MeasureState Fold(IEnumerable<(IMeasureEvent Event, EventInfo Info)> events) =>
        events.Aggregate((MeasureState?)null, (s, e) => Evolve(s, e.Event, e.Info))
        ?? throw new InvalidOperationException("A measure's stream has at least one event.");

    public static MeasureState Evolve(MeasureState? state, IMeasureEvent @event, EventInfo info)
    {
        if (state is null)
        {
            return @event is MeasureProposed p
                ? Enter(new MeasureState
                {
                    Id = p.MeasureId,
                    Title = p.Title,
                    ProblemStatement = p.ProblemStatement,
                    Description = p.Description,
                    Type = p.Type,
                    Lead = p.Lead,
                    Perspectives = p.Perspectives,
                    Source = p.Source,
                    ExternalId = p.ExternalId,
                    ProposedAt = info.At,
                }, MeasureStage.Idea, info)
                : throw new InvalidOperationException($"A measure's stream starts with {nameof(MeasureProposed)}, not {@event.GetType().Name}.");
        }

        var s = state with { Version = info.Version, LastActivityAt = info.At };
        return @event switch
        {
            MeasureProposed => throw new InvalidOperationException("A measure is proposed once."),
            ProblemUnderstood e => Enter(s with { AffectedGroups = e.AffectedGroups, Evidence = e.Evidence }, MeasureStage.ProblemUnderstood, info),
            GoalsDefined e => Enter(s with { Contributions = e.Contributions, Perspectives = e.Perspectives, Indicators = e.Indicators }, MeasureStage.GoalsDefined, info),
            MeasureMandated e => Enter(s with
            {
                Lead = e.Lead,
                Participating = e.Participating,
                Budget = e.Budget,
                FundingSource = e.FundingSource,
                Responsibilities = e.Responsibilities,
            }, MeasureStage.Mandated, info),
            PilotStarted e => Enter(s with
            {
                PilotCycle = e.Cycle,
                Pilot = new PilotState(e.Cycle, e.Plan, e.Start, e.End),
                Milestones = [.. s.Milestones, .. e.Milestones.Select(m => new MilestoneState(m.Id, m.Title, m.Due, MilestoneStatus.Open, null, e.Cycle))],
                Outcome = null,
            }, MeasureStage.Pilot, info),
            MilestoneReached e => s with { Milestones = UpdateMilestone(s, e.MilestoneId, m => m with { Status = MilestoneStatus.Reached, ReachedOn = e.On }) },
            MilestoneMissed e => s with { Milestones = UpdateMilestone(s, e.MilestoneId, m => m with { Status = MilestoneStatus.Missed }) },
            MilestoneRescheduled e => s with { Milestones = UpdateMilestone(s, e.MilestoneId, m => m with { Due = e.NewDue, Status = MilestoneStatus.Open, PreviousDues = [.. m.PreviousDues, e.PreviousDue] }) },
            ParticipationHeld e => s with { Participations = [.. s.Participations, e] },
            // The one list that grows with every event of a long pilot: appended without copying.
            IndicatorMeasured e => s with { Measurements = AppendOnlyList.Append(s.Measurements, Measurement.Of(e)) },
            RiskRecorded e => s with { Risks = [.. s.Risks, new RiskState(e.RiskId, e.Kind, e.Description, false, null)] },
            RiskResolved e => s with { Risks = [.. s.Risks.Select(r => r.Id == e.RiskId ? r with { Resolved = true, Resolution = e.Resolution } : r)] },
            EvaluationStarted => Enter(s, MeasureStage.Evaluation, info),
            EvaluationCompleted e => Enter(s with
            {
                Evaluations = [.. s.Evaluations, new EvaluationState(e.Cycle, e.IndicatorFindings, e.PrincipleFindings, e.Lessons)],
            }, MeasureStage.Evaluated, info),
            MeasureScaled e => Enter(s with { Outcome = new OutcomeState(OutcomeKind.Scaled, e.Mode, e.RolloutTo, e.Plan, []) }, MeasureStage.Scaled, info),
            MeasureIterated e => Enter(s with { Outcome = new OutcomeState(OutcomeKind.Iterated, null, [], e.Changes, []) }, MeasureStage.Iterated, info),
            MeasureStopped e => Enter(s with { Outcome = new OutcomeState(OutcomeKind.Stopped, null, [], e.Reason, e.Lessons) }, MeasureStage.Stopped, info),
            MeasureWithdrawn e => Enter(s with { Outcome = new OutcomeState(OutcomeKind.Withdrawn, null, [], e.Reason, []) }, MeasureStage.Withdrawn, info),
            MeasureArchived => Enter(s, MeasureStage.Archived, info),
            DetailsAmended e => s with
            {
                Title = e.Title ?? s.Title,
                ProblemStatement = e.ProblemStatement ?? s.ProblemStatement,
                Description = e.Description ?? s.Description,
            },
            ExternalIdAssigned e => s with { ExternalId = e.ExternalId },
            TeamChanged e => s with { Participating = e.Participating, Responsibilities = e.Responsibilities },
            AttachedToProgramme e => s with { ProgrammeId = e.ProgrammeId },
            DetachedFromProgramme => s with { ProgrammeId = null },
            LocationSet e => s with { Location = new MeasureLocation(e.Geometry, e.Districts) },
            LocationCleared => s with { Location = null },
            StatusReported e => Report(s, e, info),
            PlanLinked e => s with { Plans = [.. s.Plans, new PlanLink(e.Plan, e.Contribution, info.At, info.Version)] },
            PlanUnlinked e => s with { Plans = [.. s.Plans.Where(p => p.Plan != e.Plan)] },
            _ => throw new InvalidOperationException($"No evolution for {@event.GetType().Name}."),
        };
    }

    private static MeasureState Enter(MeasureState s, MeasureStage stage, EventInfo info) => s with
    {
        Version = info.Version,
        LastActivityAt = info.At,
        Stage = stage,
        StageEnteredAt = info.At,
        StageHistory = [.. s.StageHistory, new StageEntry(stage, info.At, info.Version)],
    };

    /// <summary>A report replaces its period's entry (superseding an earlier one) and, for the newest period, the latest report.</summary>
    private static MeasureState Report(MeasureState s, StatusReported e, EventInfo info)
    {
        var entry = new HealthEntry(e.Period, e.Health, e.On, e.Revision, info.At, info.Version);
        var history = s.HealthHistory.Where(h => h.Period != e.Period).Append(entry)
            .OrderBy(h => Period(h.Period)).ToList();
        var report = new StatusReportState(e.Period, e.Health, e.Narrative, e.Blockers, e.NextSteps, e.Progress, e.On, e.Revision, info.At, info.Version);
        return s with
        {
            HealthHistory = history,
            LatestStatusReport = history[^1].Period == e.Period ? report : s.LatestStatusReport,
        };
    }

    private static Controlling.ReportingPeriod Period(string code) =>
        Controlling.ReportingPeriod.TryParse(code, out var period) ? period : throw new InvalidOperationException($"'{code}' is no reporting period.");

    private static IReadOnlyList<MilestoneState> UpdateMilestone(MeasureState s, string id, Func<MilestoneState, MilestoneState> change) =>
        [.. s.Milestones.Select(m => m.Id == id && m.Cycle == s.PilotCycle ? change(m) : m)];
}

public static class MilestoneStatus
{
    public const string Open = "open";
    public const string Reached = "reached";
    public const string Missed = "missed";
}

public static class OutcomeKind
{
    public const string Scaled = "scaled";
    public const string Iterated = "iterated";
    public const string Stopped = "stopped";
    public const string Withdrawn = "withdrawn";
}
