using GemeinsamDigital.Domain.Measures;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// The one path every command takes, whatever its stream: load the stream for writing, check that
/// the caller may act on it, honour If-Match, call the pure decision, append through the ledger
/// (timestamps, metadata, hash chain), store the answer for an Idempotency-Key in the same
/// transaction as the events, and decide again on a concurrent write. What differs between kinds of
/// streams is a <see cref="StreamKind{TState,TEvent}"/>; what differs between commands is the decision.
/// </summary>
public sealed class CommandPipeline(IDocumentStore store, EventLedger ledger)
{
    // Without If-Match the caller asked for "the latest state": a concurrent writer is no reason
    // to fail, so decide again against the new state a few times before giving up.
    private const int Attempts = 3;

    /// <summary>
    /// Today's date (UTC) by the ledger's clock, the one that stamps the events: what decisions
    /// compare dates with, so they stay pure and a test clock moves both.
    /// </summary>
    public DateOnly Today => DateOnly.FromDateTime(ledger.UtcNow.UtcDateTime);

    /// <summary>A command on an existing stream.</summary>
    /// <param name="kind">The kind of stream.</param>
    /// <param name="id">The stream.</param>
    /// <param name="command">The command's name (what the caller must be allowed to do on the stream).</param>
    /// <param name="decide">The decision on the stream's current state.</param>
    /// <param name="http">The request (caller, headers) and its response (ETag).</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="exclusive">Decide and append while holding every other writer off the events table (see <see cref="WriteSession"/>).</param>
    public Task<IResult> ChangeAsync<TState, TEvent>(StreamKind<TState, TEvent> kind, Guid id, string command, Decide<TState, TEvent> decide,
        HttpContext http, CancellationToken ct, bool exclusive = false)
        where TState : class, IStreamState where TEvent : class =>
        MeasuredAsync(kind.Noun, command, () => ChangeCoreAsync(kind, id, command, decide, http, ct, exclusive));

    private async Task<IResult> ChangeCoreAsync<TState, TEvent>(StreamKind<TState, TEvent> kind, Guid id, string command, Decide<TState, TEvent> decide,
        HttpContext http, CancellationToken ct, bool exclusive)
        where TState : class, IStreamState where TEvent : class
    {
        var (expected, ifMatchError) = ETags.ParseIfMatch(http.Request);
        if (ifMatchError is not null)
        {
            return Problems.Validation(CommandMetadata.IfMatchErrorKey, ifMatchError);
        }
        if (Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        var idempotency = IdempotencyRequest.Of(http);

        for (var attempt = 1; ; attempt++)
        {
            // A fresh session per attempt: the identity map holds the state the last attempt decided
            // on (and its projected result), and a retry must decide on the stored state.
            await using var write = exclusive ? await WriteSession.OpenExclusiveAsync(store, ct) : WriteSession.Open(store);
            var stream = await write.Session.Events.FetchForWriting<TState>(id, ct);
            if (await kind.RefuseAsync(http, stream.Aggregate, command) is { } refused)
            {
                return refused;
            }
            if (stream.Aggregate is not { } state)
            {
                return kind.NotFound(id);
            }
            // FetchForWriting reads the inline state and the stream version in two statements: a
            // commit in between gives an older state with the newer version. Appending behind that
            // version would decide on a state that is not the stream's. Never decide on that.
            if (state.Version != stream.CurrentVersion)
            {
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite(kind.Noun);
            }

            if (expected is { } v && v != stream.CurrentVersion)
            {
                return await AnsweredMeanwhileAsync(idempotency, ct) ?? Problems.StaleVersion(v, stream.CurrentVersion ?? 0, kind.Noun);
            }

            var decision = await decide(state, write, ct);
            if (decision.Rejection is { } rejection)
            {
                return await AnsweredMeanwhileAsync(idempotency, ct) ?? Problems.From(rejection);
            }
            await EventLedger.AppendAsync(write.Session, stream, ledger.Now(decision.Events), metadata, ct, kind.HeadHash(state));
            var version = state.Version + decision.Events.Count;
            var accepted = kind.Accepted(id, state, decision.Events, version);
            idempotency?.Remember(write.Session, StatusCodes.Status200OK, accepted, version, location: null);
            try
            {
                await write.CommitAsync(ct);
            }
            catch (Exception e) when (IsConcurrencyConflict(e) || IdempotencyRequest.IsDuplicate(e))
            {
                // A unique index that stands for a rule of the domain refused the new state.
                await using (var explaining = store.QuerySession())
                {
                    if (await kind.ExplainRefusedAsync(e, id, state, decision.Events, explaining, ct) is { } explained)
                    {
                        return explained;
                    }
                }
                // A concurrent request with the same Idempotency-Key won: answer what it answered.
                if (await AnsweredMeanwhileAsync(idempotency, ct) is { } committed)
                {
                    return committed;
                }
                if (expected is { } pinned)
                {
                    await using var fresh = store.QuerySession();
                    var current = await fresh.Events.FetchStreamStateAsync(id, ct);
                    return Problems.StaleVersion(pinned, current?.Version ?? 0, kind.Noun);
                }
                if (attempt < Attempts)
                {
                    continue;
                }
                return ConcurrentWrite(kind.Noun);
            }

            ETags.Set(http.Response, version);
            return Results.Ok(accepted);
        }
    }

    /// <summary>A command that starts a new stream (<paramref name="command"/>: its name, for the metrics): answers 201 with its Location.</summary>
    public Task<IResult> StartAsync<TState, TEvent>(StreamKind<TState, TEvent> kind, string command, DecideStart<TEvent> decide, HttpContext http, CancellationToken ct)
        where TState : class, IStreamState where TEvent : class =>
        MeasuredAsync(kind.Noun, command, () => StartCoreAsync(kind, decide, http, ct));

    /// <summary>Counts the command by its outcome (the answer's status class) and records its latency (Operations/Telemetry).</summary>
    private static async Task<IResult> MeasuredAsync(string noun, string command, Func<Task<IResult>> run)
    {
        var name = noun.Replace(' ', '-') + "/" + command;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var result = await run();
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            Telemetry.Command(name, Telemetry.Outcome(status), System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch
        {
            Telemetry.Command(name, "failed", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<IResult> StartCoreAsync<TState, TEvent>(StreamKind<TState, TEvent> kind, DecideStart<TEvent> decide, HttpContext http, CancellationToken ct)
        where TState : class, IStreamState where TEvent : class
    {
        if (Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        var idempotency = IdempotencyRequest.Of(http);
        await using var session = store.LightweightSession();
        var id = Guid.CreateVersion7();
        var decision = await decide(id, session, ct);
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }
        if (await kind.RefuseStartAsync(http, decision.Events) is { } refused)
        {
            return refused;
        }
        EventLedger.StartStream<TState>(session, id, ledger.Now(decision.Events), metadata);

        var version = decision.Events.Count;
        var location = kind.Location(id);
        var accepted = kind.Accepted(id, null, decision.Events, version);
        idempotency?.Remember(session, StatusCodes.Status201Created, accepted, version, location);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A concurrent request with the same Idempotency-Key won: answer what it answered.
            if (IdempotencyRequest.IsDuplicate(e) && await AnsweredMeanwhileAsync(idempotency, ct) is { } committed)
            {
                return committed;
            }
            await using var fresh = store.QuerySession();
            if (await kind.ExplainRefusedAsync(e, id, null, decision.Events, fresh, ct) is { } explained)
            {
                return explained;
            }
            throw;
        }
        ETags.Set(http.Response, version);
        return Results.Created(location, accepted);
    }

    public static bool IsConcurrencyConflict(Exception e) =>
        Causes(e).Any(x => x is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
            || x is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected });

    public static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>The request's command metadata; a problem when its X-Reason is too long or holds a character text may not hold.</summary>
    internal static IResult? Metadata(HttpContext http, out CommandMetadata metadata)
    {
        metadata = CommandMetadata.From(http);
        if (metadata.Reason is not { } reason)
        {
            return null;
        }
        if (reason.Length > CommandMetadata.MaxReason)
        {
            return Problems.Validation(CommandMetadata.ReasonErrorKey, $"The reason must be at most {CommandMetadata.MaxReason} characters long.");
        }
        return FieldErrors.ForbiddenCharacter(reason) is { } problem
            ? Problems.Validation(CommandMetadata.ReasonErrorKey, $"The reason {problem}")
            : null;
    }

    // The same request (same Idempotency-Key) may have committed between the middleware's check
    // and this decision, which then sees its events: the caller gets that first answer, not a refusal.
    private async Task<IResult?> AnsweredMeanwhileAsync(IdempotencyRequest? idempotency, CancellationToken ct)
    {
        if (idempotency is null)
        {
            return null;
        }
        await using var session = store.QuerySession();
        return await idempotency.CommittedAnswerAsync(session, ct);
    }

    private static IResult ConcurrentWrite(string noun) =>
        Problems.Problem(StatusCodes.Status409Conflict, "concurrent-write", $"The {noun} is being changed by others right now.",
            $"Other commands kept changing the {noun} while this one was decided. Retry, or send If-Match.");
}
