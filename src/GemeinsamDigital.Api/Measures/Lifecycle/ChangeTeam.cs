using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ChangeTeamEndpoint
{
    [WolverinePost("/api/measures/{id}/change-team", OperationId = "changeTeam")]
    [EndpointSummary("Change the project team.")]
    [EndpointDescription("Participating administrations and responsibilities; at any stage but Archived.")]
    public static Task<IResult> Post(Guid id, ChangeTeam? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
