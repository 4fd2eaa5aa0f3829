using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Catalog;

/// <summary>
/// The strategy office's commands on the catalogue: add, relabel, retire, replace. Each appends one
/// event to the catalogue's one stream through the command pipeline (If-Match with the catalogue's
/// version, Idempotency-Key, X-Reason) and so makes one new version.
/// </summary>
public static class CatalogCommandEndpoints
{
    [WolverinePost(CatalogEndpoint.Route + "/add-entry", OperationId = "addCatalogEntry")]
    [EndpointSummary("Add a catalogue entry")]
    [EndpointDescription("A new code in one list (list: guidingPrinciples, futurePerspectives, measureTypes, stakeholderGroups, underHeardGroups, ideaSources, participationFormats, administrations, plans) "
        + "with its German label and optionally English and Leichte Sprache labels and a group. 422 when the list has or had the code. Strategy office only.")]
    [ProducesResponseType<CatalogCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Add(AddCatalogEntry? command, CommandPipeline pipeline, CatalogReader reader, HttpContext http, CancellationToken ct) =>
        RunAsync(command, AddCatalogEntry.CommandName, (c, s) => c.Decide(s), pipeline, reader, http, ct);

    [WolverinePost(CatalogEndpoint.Route + "/relabel-entry", OperationId = "relabelCatalogEntry")]
    [EndpointSummary("Relabel a catalogue entry")]
    [EndpointDescription("New German, English and/or Leichte Sprache labels of an entry (the labels sent change, the others stay). The code stays. Strategy office only.")]
    [ProducesResponseType<CatalogCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Relabel(RelabelCatalogEntry? command, CommandPipeline pipeline, CatalogReader reader, HttpContext http, CancellationToken ct) =>
        RunAsync(command, RelabelCatalogEntry.CommandName, (c, s) => c.Decide(s), pipeline, reader, http, ct);

    [WolverinePost(CatalogEndpoint.Route + "/retire-entry", OperationId = "retireCatalogEntry")]
    [EndpointSummary("Retire a catalogue entry")]
    [EndpointDescription("New uses of the code are refused from now on (422 catalog-code-retired); measures that use it keep it and read as before. Strategy office only.")]
    [ProducesResponseType<CatalogCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Retire(RetireCatalogEntry? command, CommandPipeline pipeline, CatalogReader reader, HttpContext http, CancellationToken ct) =>
        RunAsync(command, RetireCatalogEntry.CommandName, (c, s) => c.Decide(s), pipeline, reader, http, ct);

    [WolverinePost(CatalogEndpoint.Route + "/replace-entry", OperationId = "replaceCatalogEntry")]
    [EndpointSummary("Replace a catalogue entry by another")]
    [EndpointDescription("Retires the entry and points it to an active entry of the same list (replacedBy) that new uses take instead. Strategy office only.")]
    [ProducesResponseType<CatalogCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Replace(ReplaceCatalogEntry? command, CommandPipeline pipeline, CatalogReader reader, HttpContext http, CancellationToken ct) =>
        RunAsync(command, ReplaceCatalogEntry.CommandName, (c, s) => c.Decide(s), pipeline, reader, http, ct);

    private static async Task<IResult> RunAsync<TCommand>(TCommand? command, string name, Func<TCommand, CatalogState, CatalogDecision> decide,
        CommandPipeline pipeline, CatalogReader reader, HttpContext http, CancellationToken ct) where TCommand : class
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        await reader.EnsureSeededAsync(ct);
        return await pipeline.ChangeAsync(CatalogStream.Kind, CatalogState.StreamId, name,
            (state, _, _) => ValueTask.FromResult<IDecision<ICatalogEvent>>(decide(command, state)), http, ct);
    }
}
