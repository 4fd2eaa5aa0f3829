using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class StartPilotEndpoint
{
    [WolverinePost("/api/measures/{id}/start-pilot", OperationId = "startPilot")]
    [EndpointSummary("Start a pilot.")]
    [EndpointDescription("Plan, period and milestones; after an iteration this starts the next numbered cycle. Mandated/Iterated → Pilot.")]
    public static Task<IResult> Post(Guid id, StartPilot? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
