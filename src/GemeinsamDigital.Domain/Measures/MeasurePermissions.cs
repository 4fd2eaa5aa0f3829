namespace GemeinsamDigital.Domain.Measures;

/// <summary>Where a caller's administration stands in a measure's project team.</summary>
public enum TeamPosition
{
    /// <summary>Not on the team (or the measure is unknown).</summary>
    None,

    /// <summary>A participating administration.</summary>
    Participating,

    /// <summary>The lead administration.</summary>
    Lead,
}

/// <summary>
/// Who may run which command on a measure: role × position in the project team × command. One
/// table, nothing else decides it; the API enforces it in the command pipeline's authorization.
/// It follows the strategy's governance: the mandate and the roll-out commit budget and
/// resources, so they come from the Lenkungskreis through the strategy office; the lead
/// administration steers its measure; participating administrations share the project team's
/// running work (problem understanding, milestones, participation, measurements, risks) but do not
/// steer a measure another administration leads.
/// </summary>
public static class MeasurePermissions
{
    /// <summary>The Senatskanzlei's strategy office: every command on every measure.</summary>
    public const string StrategyOffice = "strategy-office";

    /// <summary>An editor of an administration: commands by the administration's position in the team.</summary>
    public const string Editor = "editor";

    /// <summary>Reads everything, writes nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>Reads projections only, writes nothing.</summary>
    public const string DashboardReader = "dashboard-reader";

    public static readonly IReadOnlyList<string> Roles = [Editor, StrategyOffice, Auditor, DashboardReader];

    private static readonly TeamPosition[] _team = [TeamPosition.Lead, TeamPosition.Participating];
    private static readonly TeamPosition[] _lead = [TeamPosition.Lead];
    private static readonly TeamPosition[] _strategyOfficeOnly = [];

    /// <summary>
    /// The positions from which an editor may run each command (empty: the strategy office only).
    /// A proposal counts the proposer as lead when it names the proposer's own administration.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<TeamPosition>> EditorPositions =
        new Dictionary<string, IReadOnlyList<TeamPosition>>(StringComparer.Ordinal)
        {
            [ProposeMeasure.Name] = _lead,
            [UnderstandProblem.Name] = _team,
            [DefineGoals.Name] = _lead,
            // The mandate commits budget and resources: given by the Lenkungskreis through the strategy office.
            [MandateMeasure.Name] = _strategyOfficeOnly,
            [StartPilot.Name] = _lead,
            [ReachMilestone.Name] = _team,
            [MissMilestone.Name] = _team,
            [RescheduleMilestone.Name] = _team,
            [RecordParticipation.Name] = _team,
            [RecordMeasurement.Name] = _team,
            [RecordRisk.Name] = _team,
            [ResolveRisk.Name] = _team,
            [StartEvaluation.Name] = _lead,
            [CompleteEvaluation.Name] = _lead,
            // Rolling out or making permanent commits resources again, like the mandate.
            [ScaleMeasure.Name] = _strategyOfficeOnly,
            [IterateMeasure.Name] = _lead,
            [StopMeasure.Name] = _lead,
            [WithdrawMeasure.Name] = _lead,
            [ArchiveMeasure.Name] = _lead,
            [AmendDetails.Name] = _lead,
            // Who is on the team is the lead's (and the strategy office's) to say, not a participant's.
            [ChangeTeam.Name] = _lead,
            // The key is the lead administration's own (unique per lead).
            [AssignExternalId.Name] = _lead,
            // The strategy's structure (which programme a measure is part of) is the strategy office's to say.
            [AttachToProgramme.Name] = _strategyOfficeOnly,
            [DetachFromProgramme.Name] = _strategyOfficeOnly,
            // A status report speaks for the whole measure (its health), so the lead administration gives it.
            [ReportStatus.Name] = _lead,
            // Which plans a measure serves is part of what the lead says the measure is (like its details).
            [LinkPlan.Name] = _lead,
            [UnlinkPlan.Name] = _lead,
        };

    /// <summary>Every command the table speaks about: the proposal and every command on an existing measure.</summary>
    public static IReadOnlyList<string> Commands => [.. EditorPositions.Keys];

    /// <summary>May a caller in this role, from this position, run this command?</summary>
    public static bool May(string role, TeamPosition position, string command) => role switch
    {
        StrategyOffice => EditorPositions.ContainsKey(command),
        Editor => EditorPositions.TryGetValue(command, out var positions) && positions.Contains(position),
        _ => false,
    };

    /// <summary>May a caller holding these roles run this command from this position (any role suffices)?</summary>
    public static bool May(IEnumerable<string> roles, TeamPosition position, string command) =>
        roles.Any(role => May(role, position, command));

    /// <summary>The positions from which an editor may run the command; empty when only the strategy office may.</summary>
    public static IReadOnlyList<TeamPosition> AllowedPositions(string command) =>
        EditorPositions.TryGetValue(command, out var positions) ? positions : [];

    /// <summary>The administration's position in a team led by <paramref name="lead"/>.</summary>
    public static TeamPosition PositionOf(string? administration, string lead, IEnumerable<string> team) =>
        string.IsNullOrEmpty(administration) ? TeamPosition.None
        : administration == lead ? TeamPosition.Lead
        : team.Contains(administration) ? TeamPosition.Participating
        : TeamPosition.None;

    /// <summary>The administration's position in the measure's team; an unknown measure has no team.</summary>
    public static TeamPosition PositionOf(string? administration, MeasureState? measure) =>
        measure is null ? TeamPosition.None : PositionOf(administration, measure.Lead, measure.Team);

    /// <summary>The position's name as the API shows it ("lead", "participating").</summary>
    public static string Label(this TeamPosition position) => position switch
    {
        TeamPosition.Lead => "lead",
        TeamPosition.Participating => "participating",
        _ => "none",
    };
}
