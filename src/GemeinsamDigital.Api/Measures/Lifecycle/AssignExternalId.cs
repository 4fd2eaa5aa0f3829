using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class AssignExternalIdEndpoint
{
    [WolverinePost("/api/measures/{id}/assign-external-id", OperationId = "assignExternalId")]
    [EndpointSummary("Set, replace or remove the lead administration's external id.")]
    [EndpointDescription("The key the lead administration's own systems use for the measure (unique per lead; null removes it). At any stage but Archived. A key another measure of the same lead carries: 409 external-id-taken, naming that measure.")]
    public static Task<IResult> Post(Guid id, AssignExternalId? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
