using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class WithdrawMeasureEndpoint
{
    [WolverinePost("/api/measures/{id}/withdraw", OperationId = "withdraw")]
    [EndpointSummary("Withdraw the measure.")]
    [EndpointDescription("Only before the mandate.")]
    public static Task<IResult> Post(Guid id, WithdrawMeasure? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
