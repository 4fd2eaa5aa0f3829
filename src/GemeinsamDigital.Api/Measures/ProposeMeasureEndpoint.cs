using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Api.Infrastructure.Idempotency;
using GemeinsamDigital.Api.Infrastructure.Security;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ProposeMeasureEndpoint
{
    /// <summary>Propose a measure (Maßnahme): the idea, the problem as first seen, its lead and Zukunftsperspektiven.</summary>
    /// <remarks>Starts the measure's event stream in stage Idea. Answers 201 with Location and the ETag of version 1.
    /// Editors propose for their own administration as lead (else 403); the strategy office for any.</remarks>
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
        if (await MeasureAccess.RefuseProposalAsync(http, command.Lead!) is { } refused)
        {
            return refused;
        }
        ledger.StartStream(session, id, decision.Events, metadata);

        var version = decision.Events.Count;
        var location = $"/api/measures/{id}";
        var accepted = new CommandAccepted(id, version, MeasureStage.Idea, [.. decision.Events.Select(e => EventTypes.NameOf(e.GetType()))]);
        var idempotency = IdempotencyRequest.Of(http);
        idempotency?.Remember(session, StatusCodes.Status201Created, accepted, version, location);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (idempotency is not null && IdempotencyRequest.IsDuplicate(e))
        {
            // A concurrent request with the same Idempotency-Key won: answer what it answered.
            session.EjectAllPendingChanges();
            var committed = await idempotency.CommittedAnswerAsync(session, ct);
            if (committed is null)
            {
                throw;
            }
            return committed;
        }
        ETags.Set(http.Response, version);
        return Results.Created(location, accepted);
    }
}
