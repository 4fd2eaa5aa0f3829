using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ProposeMeasureEndpoint
{
    /// <summary>Propose a measure (Maßnahme): the idea, the problem as first seen, its lead and Zukunftsperspektiven.</summary>
    /// <remarks>Starts the measure's event stream in stage Idea. Answers 201 with Location and the ETag of version 1.
    /// Editors propose for their own administration as lead (else 403); the strategy office for any.</remarks>
    [WolverinePost("/api/measures", OperationId = "proposeMeasure")]
    [EndpointSummary("Propose a measure")]
    public static Task<IResult> Post(ProposeMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.ProposeAsync(command, http, ct);
}
