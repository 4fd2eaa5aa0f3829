using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Imports;

/// <summary>What an import does with one row.</summary>
public enum ImportOutcome
{
    /// <summary>A new measure: proposed, then moved through the steps its columns imply.</summary>
    Create,

    /// <summary>A known measure: only the commands for what changed.</summary>
    Update,

    /// <summary>A known measure as the row describes it already: no command, no event.</summary>
    Unchanged,

    /// <summary>The row cannot be applied (see its errors); nothing of it is written.</summary>
    Rejected,
}

/// <summary>One command the row needs, in the order it runs.</summary>
/// <param name="Name">The command's name (its endpoint's last segment; "propose" for a proposal).</param>
/// <param name="Command">The command: a <see cref="ProposeMeasure"/> or an <see cref="IMeasureCommand"/>.</param>
public sealed record PlannedCommand(string Name, object Command);

/// <summary>The plan for one row: its outcome, the commands in order, the columns that change a known measure, or why it is rejected.</summary>
public sealed record RowPlan(
    ImportOutcome Outcome,
    IReadOnlyList<PlannedCommand> Commands,
    IReadOnlyList<string> Changes,
    IReadOnlyDictionary<string, string[]> Errors,
    MeasureState? After)
{
    public static RowPlan Rejected(IReadOnlyDictionary<string, string[]> errors) => new(ImportOutcome.Rejected, [], [], errors, null);
}

/// <summary>
/// plan(row, measure) → commands: the pure heart of the import. A row names a measure by its lead
/// and external id. Unknown: propose it and run the steps its columns imply (or up to the stage it
/// names). Known: the commands for what changed (details amended, team changed, a milestone
/// rescheduled, the steps still ahead), nothing when nothing changed, so importing a file twice
/// appends no event the second time. A value that only a step already taken records and no command
/// changes (the evidence, the budget, …) cannot be changed by an import: the row is rejected and
/// says so. An import never moves a measure back. Every command is decided by the domain's own
/// decisions on the state the earlier ones leave, so a plan that passes here passes in the pipeline
/// unless someone changes the measure in between.
/// </summary>
public static class ImportPlanner
{
    private static readonly MeasureStage[] _steps = [MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated, MeasureStage.Pilot];

    /// <param name="row">The row.</param>
    /// <param name="current">The measure of the row's lead with the row's external id, if there is one.</param>
    /// <param name="newId">The id a new measure gets.</param>
    /// <param name="today">Today by the ledger's clock (dates of what happened are compared with it).</param>
    /// <param name="at">When the simulated events happen (only the plan's resulting state shows it).</param>
    public static RowPlan Plan(ImportRow row, MeasureState? current, Guid newId, DateOnly today, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        if (row.ExternalId is null)
        {
            errors.Add(ImportColumns.ExternalId, "'externalId' is required: it is how a later import finds the measure again.");
        }
        else
        {
            ExternalIds.Validate(row.ExternalId, ImportColumns.ExternalId, errors);
        }
        if (row.Lead is null)
        {
            errors.Add(ImportColumns.Lead, "'lead' is required (an editor's import may leave it empty: its own administration leads).");
        }
        if (errors.Any)
        {
            return RowPlan.Rejected(errors.ToDictionary());
        }

        var plan = new Planning(row, today, at, errors);
        if (current is null)
        {
            plan.Propose(newId);
        }
        else
        {
            plan.State = current;
            plan.CompareProposal();
        }
        var target = row.Stage ?? Implied(row);
        foreach (var step in _steps)
        {
            if (plan.State is null || errors.Any)
            {
                break;
            }
            if (Reached(plan.State, step))
            {
                plan.Compare(step, target);
            }
            else if (step <= target)
            {
                plan.Run(step);
            }
        }
        if (errors.Any)
        {
            return RowPlan.Rejected(errors.ToDictionary());
        }
        var outcome = current is null ? ImportOutcome.Create : plan.Commands.Count == 0 ? ImportOutcome.Unchanged : ImportOutcome.Update;
        return new RowPlan(outcome, plan.Commands, [.. plan.Changes.Distinct()], new Dictionary<string, string[]>(), plan.State);
    }

    /// <summary>The furthest step with a column filled in.</summary>
    public static MeasureStage Implied(ImportRow row) =>
        row.Plan is not null || row.PilotStart is not null || row.PilotEnd is not null || row.Milestones is not null ? MeasureStage.Pilot
        : row.Budget is not null || row.FundingSource is not null || row.Responsibilities is not null ? MeasureStage.Mandated
        : row.Contributions is not null || row.Indicators is not null ? MeasureStage.GoalsDefined
        : row.AffectedGroups is not null || row.Evidence is not null ? MeasureStage.ProblemUnderstood
        : MeasureStage.Idea;

    private static bool Reached(MeasureState state, MeasureStage stage) => state.StageHistory.Any(h => h.Stage == stage);

    private sealed class Planning(ImportRow row, DateOnly today, DateTimeOffset at, FieldErrors errors)
    {
        public MeasureState? State { get; set; }
        public List<PlannedCommand> Commands { get; } = [];
        public List<string> Changes { get; } = [];

        public void Propose(Guid id)
        {
            var propose = new ProposeMeasure(row.Title, row.ProblemStatement, row.Description, row.Type, row.Lead, row.Perspectives, null, row.ExternalId);
            var decision = MeasureLifecycle.Propose(id, propose);
            if (Refused(ProposeMeasure.Name, decision))
            {
                return;
            }
            Commands.Add(new PlannedCommand(ProposeMeasure.Name, propose));
            Apply(decision);
        }

        public void CompareProposal()
        {
            var s = State!;
            var title = Changed(row.Title, s.Title);
            var problem = Changed(row.ProblemStatement, s.ProblemStatement);
            var description = Changed(row.Description, s.Description);
            if (title is not null || problem is not null || description is not null)
            {
                Run(new AmendDetails(title, problem, description),
                    [.. new[] { (title, ImportColumns.Title), (problem, ImportColumns.ProblemStatement), (description, ImportColumns.Description) }
                        .Where(c => c.Item1 is not null).Select(c => c.Item2)]);
            }
            if (row.Type is not null && row.Type != s.Type)
            {
                Fixed(ImportColumns.Type, "a measure's type is set when it is proposed");
            }
            if (row.Perspectives is not null && !SameSet(row.Perspectives, s.Perspectives)
                && (Reached(s, MeasureStage.GoalsDefined) || (row.Stage ?? Implied(row)) < MeasureStage.GoalsDefined))
            {
                Fixed(ImportColumns.Perspectives, "the Zukunftsperspektiven are set by the proposal and the goals");
            }
        }

        public void Run(MeasureStage step)
        {
            var s = State!;
            switch (step)
            {
                case MeasureStage.ProblemUnderstood:
                    Run(new UnderstandProblem(row.AffectedGroups, row.Evidence), []);
                    break;
                case MeasureStage.GoalsDefined:
                    Run(new DefineGoals(row.Contributions, row.Perspectives ?? s.Perspectives, row.Indicators), []);
                    break;
                case MeasureStage.Mandated:
                    Run(new MandateMeasure(s.Lead, row.Participating, row.Budget is { } amount ? new BudgetInput(amount, "EUR") : null, row.FundingSource, row.Responsibilities), []);
                    break;
                case MeasureStage.Pilot:
                    Run(new StartPilot(row.Plan, row.PilotStart, row.PilotEnd, row.Milestones), []);
                    break;
            }
        }

        public void Compare(MeasureStage step, MeasureStage target)
        {
            var s = State!;
            switch (step)
            {
                case MeasureStage.ProblemUnderstood:
                    if (row.AffectedGroups is not null && !SameSet(row.AffectedGroups.Select(g => (g.Name?.Trim(), g.StakeholderGroup, g.UnderHeardGroup)),
                            s.AffectedGroups.Select(g => ((string?)g.Name, (string?)g.StakeholderGroup, g.UnderHeardGroup))))
                    {
                        Fixed(ImportColumns.AffectedGroups, "they are recorded when the problem is understood");
                    }
                    if (Changed(row.Evidence, s.Evidence) is not null)
                    {
                        Fixed(ImportColumns.Evidence, "it is recorded when the problem is understood");
                    }
                    break;
                case MeasureStage.GoalsDefined:
                    if (row.Contributions is not null && !SameSet(row.Contributions.Select(c => (c.Principle, c.Weight, c.Rationale?.Trim())),
                            s.Contributions.Select(c => ((string?)c.Principle, (int?)c.Weight, (string?)c.Rationale))))
                    {
                        Fixed(ImportColumns.Contributions, "they are set when the goals are defined");
                    }
                    if (row.Indicators is not null && !SameSet(row.Indicators.Select(i => (i.Code?.Trim(), i.Name?.Trim(), i.Unit?.Trim(), i.Baseline, i.Target)),
                            s.Indicators.Select(i => ((string?)i.Code, (string?)i.Name, (string?)i.Unit, (decimal?)i.Baseline, (decimal?)i.Target))))
                    {
                        Fixed(ImportColumns.Indicators, "they are set when the goals are defined");
                    }
                    break;
                case MeasureStage.Mandated:
                    if (row.Budget is { } budget && budget != s.Budget?.Amount)
                    {
                        Fixed(ImportColumns.Budget, "it is committed by the mandate");
                    }
                    if (Changed(row.FundingSource, s.FundingSource) is not null)
                    {
                        Fixed(ImportColumns.FundingSource, "it is committed by the mandate");
                    }
                    CompareTeam();
                    break;
                case MeasureStage.Pilot:
                    ComparePilot();
                    break;
            }
        }

        private void CompareTeam()
        {
            var s = State!;
            var participatingChanged = row.Participating is not null && !SameSet(row.Participating, s.Participating);
            var responsibilitiesChanged = row.Responsibilities is not null && !SameSet(
                row.Responsibilities.Select(r => (r.Administration, r.Description?.Trim())),
                s.Responsibilities.Select(r => ((string?)r.Administration, (string?)r.Description)));
            if (participatingChanged || responsibilitiesChanged)
            {
                Run(new ChangeTeam(row.Participating ?? s.Participating, row.Responsibilities),
                    [.. new[] { (participatingChanged, ImportColumns.Participating), (responsibilitiesChanged, ImportColumns.Responsibilities) }.Where(c => c.Item1).Select(c => c.Item2)]);
            }
        }

        private void ComparePilot()
        {
            var s = State!;
            if (Changed(row.Plan, s.Pilot?.Plan) is not null)
            {
                Fixed(ImportColumns.Plan, "it is set when the pilot starts");
            }
            if (row.PilotStart is { } start && start != s.Pilot?.Start)
            {
                Fixed(ImportColumns.PilotStart, "it is set when the pilot starts");
            }
            if (row.PilotEnd is { } end && end != s.Pilot?.End)
            {
                Fixed(ImportColumns.PilotEnd, "it is set when the pilot starts");
            }
            foreach (var (milestone, i) in (row.Milestones ?? []).Select((m, i) => (m, i)))
            {
                var known = s.Milestones.FirstOrDefault(m => m.Id == milestone.Id?.Trim() && m.Cycle == s.PilotCycle);
                var path = $"{ImportColumns.Milestones}[{i}]";
                if (known is null)
                {
                    errors.Add(path, $"The current pilot has no milestone '{milestone.Id}': an import does not add milestones to a pilot that runs.");
                }
                else if (Changed(milestone.Title, known.Title) is not null)
                {
                    errors.Add($"{path}.title", "A milestone's title is set when the pilot starts; no command changes it.");
                }
                else if (milestone.Due is { } due && due != known.Due && !errors.Any)
                {
                    Run(new RescheduleMilestone(known.Id, due), [ImportColumns.Milestones]);
                }
            }
        }

        private void Run<TCommand>(TCommand command, IReadOnlyList<string> changes) where TCommand : IMeasureCommand
        {
            var decision = MeasureLifecycle.Decide(State!, command, today);
            if (Refused(TCommand.Name, decision))
            {
                return;
            }
            Commands.Add(new PlannedCommand(TCommand.Name, command));
            Changes.AddRange(changes);
            Apply(decision);
        }

        private bool Refused(string step, Decision decision)
        {
            switch (decision.Rejection)
            {
                case null:
                    return false;
                case InvalidCommand r:
                    AddAll(step, r.Errors);
                    break;
                case RuleViolated r:
                    AddAll(step, r.Errors);
                    break;
                case TransitionNotAllowed r:
                    errors.Add(ImportColumns.Stage, $"The measure is in stage '{r.CurrentStage.Code()}', where '{step}' is not possible: an import never moves a measure back or past an ending.");
                    break;
                default:
                    errors.Add(ImportColumns.Stage, decision.Rejection.Detail);
                    break;
            }
            return true;
        }

        private void AddAll(string step, IReadOnlyDictionary<string, string[]> found)
        {
            foreach (var (field, messages) in found)
            {
                foreach (var message in messages)
                {
                    errors.Add(ImportColumns.ColumnOf(step, field), $"{message} ({step})");
                }
            }
        }

        private void Apply(Decision decision)
        {
            foreach (var e in decision.Events)
            {
                State = MeasureEvolution.Evolve(State, e, new EventInfo((State?.Version ?? 0) + 1, at));
            }
        }

        private void Fixed(string column, string why) =>
            errors.Add(column, $"'{column}' differs from the measure's, but {why} and no command changes it afterwards: leave the cell empty or as it is.");

        private static string? Changed(string? given, string? current) =>
            given is not null && given.Trim() != (current ?? "") ? given.Trim() : null;

        private static bool SameSet<T>(IEnumerable<T> a, IEnumerable<T> b) => a.ToHashSet().SetEquals(b);
    }
}
