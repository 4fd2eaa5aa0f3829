using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Security;

/// <summary>
/// The roles a caller may hold (API key roles, or the roles claim of a token). Their names are the
/// domain's, because the permission table (<see cref="MeasurePermissions"/>) is written in them.
/// </summary>
public static class Roles
{
    /// <summary>Runs commands on measures by its administration's position in the project team (<see cref="MeasurePermissions"/>).</summary>
    public const string Editor = MeasurePermissions.Editor;

    /// <summary>The Senatskanzlei's strategy office: may act on every measure and manages API keys.</summary>
    public const string StrategyOffice = MeasurePermissions.StrategyOffice;

    /// <summary>Reads everything, including the full history with its metadata; writes nothing.</summary>
    public const string Auditor = MeasurePermissions.Auditor;

    /// <summary>Reads projections (measure state, dashboards) only.</summary>
    public const string DashboardReader = MeasurePermissions.DashboardReader;

    public static readonly IReadOnlyList<string> All = [Editor, StrategyOffice, Auditor, DashboardReader];

    /// <summary>Who may read event histories and who acted (actor ids are personal data): <see cref="Policies.ReadHistory"/>, and the change feed's actor.</summary>
    public static readonly string[] HistoryReaders = [Auditor, StrategyOffice, Editor];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}

/// <summary>
/// Named authorization policies, one per audience. An endpoint opts in with
/// <c>[Authorize(Policy = Policies.X)]</c> or, when its data is public, <c>[AllowAnonymous]</c>;
/// an endpoint that says nothing falls to the fallback policy (SecuritySetup): the strategy
/// office, and auditors for GET and HEAD. Command endpoints get their policy by convention
/// (<see cref="CommandConventions"/>); which stream a caller may change is decided per stream in
/// the command pipeline (for measures <see cref="MeasureAccess"/>).
/// </summary>
public static class Policies
{
    /// <summary>Commands on measures: editors and the strategy office.</summary>
    public const string WriteMeasures = "write-measures";

    /// <summary>Event history and metadata (actor ids are personal data): auditors, the strategy office, editors.</summary>
    public const string ReadHistory = "read-history";

    /// <summary>Strategy office only: API keys, revision phases, projection operations.</summary>
    public const string StrategyOffice = "strategy-office";

    /// <summary>Webhook subscriptions: any caller of an administration (each sees its own; the strategy office every one).</summary>
    public const string Subscribe = "subscribe";

    /// <summary>Resource-based: may the caller run this command on this measure (<see cref="MeasureAction"/>)?</summary>
    public const string ActOnMeasure = "act-on-measure";
}
