using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// What the <see cref="CommandPipeline"/> needs to know of one kind of event stream (measures,
/// revision phases, …): its name in problems, who may act on one, and what an accepted command
/// answers. Everything else (loading, If-Match, deciding, appending, idempotency, retries) is the
/// same for every kind.
/// </summary>
public abstract class StreamKind<TState, TEvent> where TState : class, IStreamState where TEvent : class
{
    /// <summary>The stream's name in problem texts ("measure", "revision phase").</summary>
    public abstract string Noun { get; }

    public abstract IResult NotFound(Guid id);

    /// <summary>Where a stream is read: the Location of a 201.</summary>
    public abstract string Location(Guid id);

    /// <summary>The body of the answer: the stream after the command and the events it appended.</summary>
    public abstract object Accepted(Guid id, TState? before, IReadOnlyList<TEvent> events, long version);

    /// <summary>
    /// Object-level authorization of a command on an existing stream; null when the caller may act.
    /// Runs before the not-found check, so a refusal need not tell whether the stream exists.
    /// Endpoint policies (roles) have already run. <paramref name="command"/> is the command's
    /// name, as what a caller may do on a stream can differ by command.
    /// </summary>
    public virtual Task<IResult?> RefuseAsync(HttpContext http, TState? state, string command) => Task.FromResult<IResult?>(null);

    /// <summary>Object-level authorization of a command that starts a stream, given what it would append.</summary>
    public virtual Task<IResult?> RefuseStartAsync(HttpContext http, IReadOnlyList<TEvent> events) => Task.FromResult<IResult?>(null);

    /// <summary>
    /// A command refused by the database for a reason of the domain (a unique index standing for a
    /// rule): the problem to answer, or null when the failure is not one of those.
    /// </summary>
    /// <param name="e">Why saving failed.</param>
    /// <param name="id">The stream.</param>
    /// <param name="before">Its state before the command (null for a start).</param>
    /// <param name="events">What the command would have appended.</param>
    /// <param name="session">A fresh session to look up what the rule refers to.</param>
    /// <param name="ct">Cancellation.</param>
    public virtual Task<IResult?> ExplainRefusedAsync(Exception e, Guid id, TState? before, IReadOnlyList<TEvent> events, IQuerySession session, CancellationToken ct) =>
        Task.FromResult<IResult?>(null);

    /// <summary>The hash-chain link of the state's last event when the state carries it (saves a read per append).</summary>
    public virtual string? HeadHash(TState state) => null;

    /// <summary>Stored names of events, as answers list them.</summary>
    public static IReadOnlyList<string> Names(IEnumerable<TEvent> events) => [.. events.Select(e => EventTypes.NameOf(e.GetType()))];
}

/// <summary>Decides on a stream's current state; may read more (another stream's state, the highest sequence) through the session.</summary>
public delegate ValueTask<IDecision<TEvent>> Decide<in TState, TEvent>(TState state, WriteSession session, CancellationToken ct);

/// <summary>Decides a command that starts a stream with the given id.</summary>
public delegate ValueTask<IDecision<TEvent>> DecideStart<TEvent>(Guid id, IQuerySession session, CancellationToken ct);
