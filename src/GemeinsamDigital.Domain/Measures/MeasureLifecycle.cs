namespace GemeinsamDigital.Domain.Measures;

/// <summary>A command on an existing measure: validated alone, then decided against the measure's state.</summary>
public interface IMeasureCommand
{
    /// <summary>Stable command name; also the last segment of its endpoint.</summary>
    static abstract string Name { get; }

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    void Validate(FieldErrors errors);

    /// <summary>Rules against the state (422 when broken) and the events to append.
    /// Only called once the lifecycle allows the command in the current stage.</summary>
    Decision Decide(MeasureState state);
}

/// <summary>
/// A command that records something as having happened on a date (a milestone reached, a
/// participation held, a measurement taken): that date cannot lie in the future.
/// </summary>
public interface IRecordsWhatHappened
{
    /// <summary>The field that names the date, and the date.</summary>
    (string Field, DateOnly? Date) HappenedOn { get; }
}

/// <summary>The state machine: which command may run in which stage. One table, nothing else decides it.</summary>
public static class MeasureLifecycle
{
    private static readonly MeasureStage[] _beforeMandate = [MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined];
    private static readonly MeasureStage[] _allButArchived = [.. Enum.GetValues<MeasureStage>().Where(s => s != MeasureStage.Archived)];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<MeasureStage>> AllowedStages =
        new Dictionary<string, IReadOnlyList<MeasureStage>>(StringComparer.Ordinal)
        {
            [UnderstandProblem.Name] = [MeasureStage.Idea],
            [DefineGoals.Name] = [MeasureStage.ProblemUnderstood],
            [MandateMeasure.Name] = [MeasureStage.GoalsDefined],
            [StartPilot.Name] = [MeasureStage.Mandated, MeasureStage.Iterated],
            [ReachMilestone.Name] = [MeasureStage.Pilot],
            [MissMilestone.Name] = [MeasureStage.Pilot],
            [RescheduleMilestone.Name] = [MeasureStage.Pilot],
            [RecordParticipation.Name] = [MeasureStage.Pilot],
            [RecordMeasurement.Name] = [MeasureStage.Pilot, MeasureStage.Evaluation],
            [RecordRisk.Name] = [MeasureStage.Pilot, MeasureStage.Evaluation],
            [ResolveRisk.Name] = [MeasureStage.Pilot, MeasureStage.Evaluation],
            [StartEvaluation.Name] = [MeasureStage.Pilot],
            [CompleteEvaluation.Name] = [MeasureStage.Evaluation],
            [ScaleMeasure.Name] = [MeasureStage.Evaluated],
            [IterateMeasure.Name] = [MeasureStage.Evaluated],
            [StopMeasure.Name] = [MeasureStage.Evaluated],
            [WithdrawMeasure.Name] = _beforeMandate,
            [ArchiveMeasure.Name] = [MeasureStage.Scaled, MeasureStage.Stopped, MeasureStage.Withdrawn],
            [AmendDetails.Name] = _allButArchived,
            [ChangeTeam.Name] = _allButArchived,
            [AssignExternalId.Name] = _allButArchived,
            [AttachToProgramme.Name] = _allButArchived,
            [DetachFromProgramme.Name] = _allButArchived,
            [SetLocation.Name] = _allButArchived,
            // Reports run from the mandate until the measure ends (stopped, withdrawn, archived);
            // a scaled measure is still being rolled out, so it keeps reporting until archived.
            [ReportStatus.Name] = [MeasureStage.Mandated, MeasureStage.Pilot, MeasureStage.Evaluation, MeasureStage.Evaluated, MeasureStage.Scaled, MeasureStage.Iterated],
            [LinkPlan.Name] = _allButArchived,
            [UnlinkPlan.Name] = _allButArchived,
        };

    /// <summary>Names of every command on an existing measure, in lifecycle order.</summary>
    public static IReadOnlyList<string> Commands => [.. AllowedStages.Keys];

    public static bool IsAllowed(string command, MeasureStage stage) =>
        AllowedStages.TryGetValue(command, out var stages) && stages.Contains(stage);

    public static IReadOnlyList<string> AllowedFrom(MeasureStage stage) =>
        [.. AllowedStages.Where(kv => kv.Value.Contains(stage)).Select(kv => kv.Key)];

    /// <summary>
    /// How far past today a date of something that happened may lie. Clients send the local date
    /// of Berlin (UTC+1/+2), which is one day ahead of the UTC date late in the evening, and
    /// clocks drift: the day after today is still accepted, the day after that is not.
    /// </summary>
    public const int ClockToleranceDays = 1;

    /// <summary>
    /// decide(state, command, today) → events: validation (400), lifecycle (409), rules (422).
    /// <paramref name="today"/> is the date by the clock that stamps the events (UTC): what
    /// happened cannot be dated after it (plus <see cref="ClockToleranceDays"/>).
    /// </summary>
    public static Decision Decide<TCommand>(MeasureState state, TCommand command, DateOnly today) where TCommand : IMeasureCommand =>
        Decide(state, command, (DateOnly?)today, null);

    /// <summary>
    /// decide(state, command, today) with the codes checked against <paramref name="catalog"/> (the
    /// current catalogue: codes added later are accepted, retired ones refused for this new use, 422).
    /// </summary>
    public static Decision Decide<TCommand>(MeasureState state, TCommand command, DateOnly today, Catalog.CatalogState? catalog) where TCommand : IMeasureCommand =>
        Decide(state, command, (DateOnly?)today, catalog);

    /// <summary>
    /// decide(state, command) without a clock: for replaying a history written elsewhere (demo
    /// data, test scenarios), where dates are not compared with today. Commands from clients go
    /// through the overload with today.
    /// </summary>
    public static Decision Decide<TCommand>(MeasureState state, TCommand command) where TCommand : IMeasureCommand =>
        Decide(state, command, (DateOnly?)null, null);

    private static Decision Decide<TCommand>(MeasureState state, TCommand command, DateOnly? today, Catalog.CatalogState? catalog) where TCommand : IMeasureCommand
    {
        var errors = new FieldErrors(catalog);
        command.Validate(errors);
        if (errors.ToRejection() is { } invalid)
        {
            return invalid;
        }
        if (!IsAllowed(TCommand.Name, state.Stage))
        {
            return Decision.Reject(new TransitionNotAllowed(state.Stage, TCommand.Name, AllowedFrom(state.Stage)));
        }
        if (today is { } now && command is IRecordsWhatHappened { HappenedOn: (var field, { } date) } && date > now.AddDays(ClockToleranceDays))
        {
            return Decision.Violation(field, $"'{field}' ({date:yyyy-MM-dd}) lies in the future: record what happened once it has happened.");
        }
        return command.Decide(state);
    }

    /// <summary>decide(nothing, propose) → the stream's first event.</summary>
    /// <param name="measureId">The new measure's id.</param>
    /// <param name="command">The proposal.</param>
    /// <param name="catalog">The catalogue its codes are checked against (null: the shipped one).</param>
    public static Decision Propose(Guid measureId, ProposeMeasure command, Catalog.CatalogState? catalog = null)
    {
        var errors = new FieldErrors(catalog);
        command.Validate(errors);
        return errors.ToRejection() ?? command.Decide(measureId);
    }
}
