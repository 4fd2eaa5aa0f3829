using System.Security.Claims;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;

namespace GemeinsamDigital.Api.Security;

/// <summary>The administrations that form a measure's project team, with its lead.</summary>
public sealed record MeasureTeam(string Lead, IReadOnlyCollection<string> Administrations)
{
    /// <summary>No team: what an unknown measure looks like, so a refusal cannot tell it from a foreign one.</summary>
    public static readonly MeasureTeam None = new("", []);

    public static MeasureTeam Of(MeasureState measure) => new(measure.Lead, [.. measure.Team]);

    /// <summary>Where the administration stands in this team.</summary>
    public TeamPosition PositionOf(string? administration) =>
        this == None ? TeamPosition.None : MeasurePermissions.PositionOf(administration, Lead, Administrations);
}

/// <summary>The resource of the resource-based check: one command on one measure's team.</summary>
public sealed record MeasureAction(MeasureTeam Team, string Command);

public sealed class ActOnMeasureRequirement : IAuthorizationRequirement;

/// <summary>
/// Who may run a command on a measure: decided by the domain's permission table
/// (<see cref="MeasurePermissions"/>) from the caller's roles and its administration's position in
/// the measure's project team. Nothing else grants a command.
/// </summary>
public sealed class ActOnMeasureHandler : AuthorizationHandler<ActOnMeasureRequirement, MeasureAction>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActOnMeasureRequirement requirement, MeasureAction action)
    {
        if (May(context.User, action))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    public static bool May(ClaimsPrincipal user, MeasureAction action) =>
        MeasurePermissions.May(Roles.All.Where(user.IsInRole), action.Team.PositionOf(AdministrationOf(user)), action.Command);

    /// <summary>Whether the caller sees what an administration owns (its imports, its subscriptions): its own, or every one for the strategy office.</summary>
    public static bool SeesOwnedBy(ClaimsPrincipal user, string? administration) =>
        user.IsInRole(Roles.StrategyOffice) || administration == AdministrationOf(user);

    public static string? AdministrationOf(ClaimsPrincipal user) =>
        user.FindFirstValue(CommandMetadata.AdministrationClaim) is { Length: > 0 } administration ? administration : null;
}

/// <summary>The resource-based check of the command path: null when the caller may act, else the refusal.</summary>
public static class MeasureAccess
{
    /// <summary>
    /// A command on a measure. An unknown measure has no team: a caller who may not act on every
    /// measure gets the same 403 for it as for a measure of another administration, so a refusal
    /// never tells whether a measure exists; only the strategy office goes on to learn 404. An
    /// editor on the team whose position does not allow the command learns which positions do:
    /// it knows the measure already, so that tells nothing new.
    /// </summary>
    public static async Task<IResult?> RefuseAsync(HttpContext http, MeasureState? measure, string command)
    {
        var team = measure is null ? MeasureTeam.None : MeasureTeam.Of(measure);
        if (await AllowedAsync(http, new MeasureAction(team, command)))
        {
            return null;
        }
        var position = team.PositionOf(ActOnMeasureHandler.AdministrationOf(http.User));
        return http.User.IsInRole(Roles.Editor) && position != TeamPosition.None
            ? Problems.CommandNotPermitted(command, position, MeasurePermissions.AllowedPositions(command))
            : Problems.MeasureForbidden();
    }

    /// <summary>A proposal: editors propose for their own administration as lead; the strategy office for any.</summary>
    public static async Task<IResult?> RefuseProposalAsync(HttpContext http, string lead) =>
        await AllowedAsync(http, new MeasureAction(new MeasureTeam(lead, [lead]), ProposeMeasure.Name)) ? null : Problems.ProposalForbidden();

    private static async Task<bool> AllowedAsync(HttpContext http, MeasureAction action)
    {
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(http.User, action, Policies.ActOnMeasure)).Succeeded;
    }
}
