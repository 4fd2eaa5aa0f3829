using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class RecordMeasurementEndpoint
{
    [WolverinePost("/api/measures/{id}/record-measurement", OperationId = "recordMeasurement")]
    [EndpointSummary("Record an indicator measurement.")]
    [EndpointDescription("Value, date and source for an indicator defined with the goals. During pilot or evaluation.")]
    public static Task<IResult> Post(Guid id, RecordMeasurement? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
