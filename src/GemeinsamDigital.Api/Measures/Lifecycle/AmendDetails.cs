using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class AmendDetailsEndpoint
{
    [WolverinePost("/api/measures/{id}/amend-details", OperationId = "amendDetails")]
    [EndpointSummary("Amend title, problem statement or description.")]
    [EndpointDescription("At any stage but Archived.")]
    public static Task<IResult> Post(Guid id, AmendDetails? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
