using GemeinsamDigital.Api.Audit;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Api.Infrastructure.Idempotency;
using GemeinsamDigital.Api.Infrastructure.Security;
using GemeinsamDigital.Domain.Measures;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace GemeinsamDigital.Api.Measures;

/// <summary>What a command endpoint answers on success.</summary>
/// <param name="MeasureId">The measure's id.</param>
/// <param name="Version">The stream version after the command; also the new ETag.</param>
/// <param name="Stage">The measure's stage after the command.</param>
/// <param name="Events">Stored names of the events the command appended.</param>
public sealed record CommandAccepted(Guid MeasureId, long Version, MeasureStage Stage, IReadOnlyList<string> Events);

/// <summary>
/// The one path every command on an existing measure takes: read the stream, check that the caller
/// may act on this measure, honour If-Match, decide with the pure domain function, append, save
/// (with the answer for an Idempotency-Key in the same transaction). Endpoints add nothing but their route.
/// </summary>
public sealed class MeasureCommandHandler(IDocumentStore store, EventLedger ledger)
{
    // Without If-Match the caller asked for "the latest state": a concurrent writer is no reason
    // to fail, so decide again against the new state a few times before giving up.
    private const int Attempts = 3;

    public async Task<IResult> Handle<TCommand>(Guid id, TCommand? command, HttpContext http, CancellationToken ct)
        where TCommand : class, IMeasureCommand
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        var (expected, ifMatchError) = ETags.ParseIfMatch(http.Request);
        if (ifMatchError is not null)
        {
            return Problems.Validation(CommandMetadata.IfMatchErrorKey, ifMatchError);
        }
        var metadata = CommandMetadata.From(http);
        if (metadata.Reason?.Length > CommandMetadata.MaxReason)
        {
            return Problems.Validation(CommandMetadata.ReasonErrorKey, $"The reason must be at most {CommandMetadata.MaxReason} characters long.");
        }
        var idempotency = IdempotencyRequest.Of(http);

        for (var attempt = 1; ; attempt++)
        {
            // A fresh session per attempt: the identity map holds the state the last attempt decided
            // on (and its projected result), and a retry must decide on the stored state.
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<MeasureState>(id, ct);
            if (await MeasureAccess.RefuseAsync(http, stream.Aggregate) is { } refused)
            {
                return refused;
            }
            if (stream.Aggregate is null)
            {
                return Problems.MeasureNotFound(id);
            }
            // FetchForWriting reads the inline state and the stream version in two statements: a
            // commit in between gives an older state with the newer version. Never decide on that.
            if (stream.Aggregate.Version != stream.CurrentVersion)
            {
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite();
            }
            if (expected is { } v && v != stream.CurrentVersion)
            {
                return await AnsweredMeanwhileAsync(idempotency, session, ct) ?? Problems.StaleVersion(v, stream.CurrentVersion ?? 0);
            }

            var decision = MeasureLifecycle.Decide(stream.Aggregate, command);
            if (decision.Rejection is { } rejection)
            {
                return await AnsweredMeanwhileAsync(idempotency, session, ct) ?? Problems.From(rejection);
            }

            await ledger.AppendAsync(session, stream, decision.Events, metadata, ct);
            var version = stream.Aggregate.Version + decision.Events.Count;
            var stage = decision.Events.Aggregate(stream.Aggregate, (s, e) => MeasureEvolution.Evolve(s, e, new EventInfo(s.Version + 1, DateTimeOffset.UtcNow))).Stage;
            var accepted = new CommandAccepted(id, version, stage, [.. decision.Events.Select(e => EventTypes.NameOf(e.GetType()))]);
            idempotency?.Remember(session, StatusCodes.Status200OK, accepted, version, location: null);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IsConcurrencyConflict(e) || IdempotencyRequest.IsDuplicate(e))
            {
                session.EjectAllPendingChanges();
                // A concurrent request with the same Idempotency-Key won: answer what it answered.
                if (await AnsweredMeanwhileAsync(idempotency, session, ct) is { } committed)
                {
                    return committed;
                }
                if (expected is { } pinned)
                {
                    var current = await session.Events.FetchStreamStateAsync(id, ct);
                    return Problems.StaleVersion(pinned, current?.Version ?? 0);
                }
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite();
            }

            ETags.Set(http.Response, version);
            return Results.Ok(accepted);
        }
    }

    // The same request (same Idempotency-Key) may have committed between the middleware's check
    // and this decision, which then sees its events: the caller gets that first answer, not a refusal.
    private static async Task<IResult?> AnsweredMeanwhileAsync(IdempotencyRequest? idempotency, IQuerySession session, CancellationToken ct) =>
        idempotency is null ? null : await idempotency.CommittedAnswerAsync(session, ct);

    private static IResult ConcurrentWrite() =>
        Problems.Problem(StatusCodes.Status409Conflict, "concurrent-write", "The measure is being changed by others right now.",
            "Other commands kept changing the measure while this one was decided. Retry, or send If-Match.");

    public static bool IsConcurrencyConflict(Exception e) => e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
        || e.InnerException is ConcurrencyException or EventStreamUnexpectedMaxEventIdException;
}
