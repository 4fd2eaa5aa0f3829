using System.Security.Claims;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;

namespace GemeinsamDigital.Api.Security;

/// <summary>The resource of the resource-based check: the administrations that form a measure's project team.</summary>
public sealed record MeasureTeam(IReadOnlyCollection<string> Administrations)
{
    /// <summary>No team: what an unknown measure looks like, so a refusal cannot tell it from a foreign one.</summary>
    public static readonly MeasureTeam None = new([]);

    public static MeasureTeam Of(MeasureState measure) => new([.. measure.Team]);
}

public sealed class ActOnMeasureRequirement : IAuthorizationRequirement;

/// <summary>
/// Who may act on a measure: the strategy office on every measure; an editor where the editor's
/// administration is lead or participating. Nobody else (auditors and dashboard readers write nothing).
/// </summary>
public sealed class ActOnMeasureHandler : AuthorizationHandler<ActOnMeasureRequirement, MeasureTeam>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActOnMeasureRequirement requirement, MeasureTeam team)
    {
        if (MayActOn(context.User, team))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    public static bool MayActOn(ClaimsPrincipal user, MeasureTeam team) =>
        user.IsInRole(Roles.StrategyOffice)
        || (user.IsInRole(Roles.Editor)
            && user.FindFirstValue(CommandMetadata.AdministrationClaim) is { Length: > 0 } administration
            && team.Administrations.Contains(administration));
}

/// <summary>The resource-based check of the command path: null when the caller may act, else the refusal.</summary>
public static class MeasureAccess
{
    /// <summary>
    /// A command on a measure. An unknown measure has no team: a caller who may not act on every
    /// measure gets the same 403 for it as for a measure of another administration, so a refusal
    /// never tells whether a measure exists; only the strategy office goes on to learn 404.
    /// </summary>
    public static async Task<IResult?> RefuseAsync(HttpContext http, MeasureState? measure)
    {
        var team = measure is null ? MeasureTeam.None : MeasureTeam.Of(measure);
        return await AllowedAsync(http, team) ? null : Problems.MeasureForbidden();
    }

    /// <summary>A proposal: editors propose for their own administration as lead; the strategy office for any.</summary>
    public static async Task<IResult?> RefuseProposalAsync(HttpContext http, string lead) =>
        await AllowedAsync(http, new MeasureTeam([lead])) ? null : Problems.ProposalForbidden();

    private static async Task<bool> AllowedAsync(HttpContext http, MeasureTeam team)
    {
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(http.User, team, Policies.ActOnMeasure)).Succeeded;
    }
}
