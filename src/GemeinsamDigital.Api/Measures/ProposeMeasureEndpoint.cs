using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ProposeMeasureEndpoint
{
    /// <summary>Propose a measure (Maßnahme): the idea, the problem as first seen, its lead and Zukunftsperspektiven.</summary>
    /// <remarks>Starts the measure's event stream in stage Idea. Answers 201 with Location and the ETag of version 1.</remarks>
    [WolverinePost("/api/measures", OperationId = "proposeMeasure")]
    [Tags("Measures")]
    [EndpointSummary("Propose a measure")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Post(ProposeMeasure? command, IDocumentSession session, EventLedger ledger, HttpContext http, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        var metadata = CommandMetadata.From(http);
        if (metadata.Reason?.Length > CommandMetadata.MaxReason)
        {
            return Problems.Validation(CommandMetadata.ReasonErrorKey, $"The reason must be at most {CommandMetadata.MaxReason} characters long.");
        }
        var id = Guid.CreateVersion7();
        var decision = MeasureLifecycle.Propose(id, command);
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }
        ledger.StartStream(session, id, decision.Events, metadata);
        await session.SaveChangesAsync(ct);

        var version = decision.Events.Count;
        ETags.Set(http.Response, version);
        return Results.Created($"/api/measures/{id}",
            new CommandAccepted(id, version, MeasureStage.Idea, [.. decision.Events.Select(e => EventTypes.NameOf(e.GetType()))]));
    }
}
