using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Measures;

/// <summary>What a command endpoint answers on success.</summary>
/// <param name="MeasureId">The measure's id.</param>
/// <param name="Version">The stream version after the command; also the new ETag.</param>
/// <param name="Stage">The measure's stage after the command.</param>
/// <param name="Events">Stored names of the events the command appended.</param>
public sealed record CommandAccepted(Guid MeasureId, long Version, MeasureStage Stage, IReadOnlyList<string> Events);

/// <summary>A measure's stream as the command pipeline sees it.</summary>
public sealed class MeasureStream : StreamKind<MeasureState, IMeasureEvent>
{
    public static readonly MeasureStream Kind = new();

    public override string Noun => "measure";

    public override IResult NotFound(Guid id) => Problems.MeasureNotFound(id);

    public override string Location(Guid id) => $"/api/measures/{id}";

    public override object Accepted(Guid id, MeasureState? before, IReadOnlyList<IMeasureEvent> events, long version)
    {
        var after = events.Aggregate(before, (s, e) => MeasureEvolution.Evolve(s, e, new EventInfo((s?.Version ?? 0) + 1, DateTimeOffset.UtcNow)));
        return new CommandAccepted(id, version, after?.Stage ?? MeasureStage.Idea, Names(events));
    }

    public override Task<IResult?> RefuseAsync(HttpContext http, MeasureState? state, string command) => MeasureAccess.RefuseAsync(http, state, command);

    public override Task<IResult?> RefuseStartAsync(HttpContext http, IReadOnlyList<IMeasureEvent> events) =>
        MeasureAccess.RefuseProposalAsync(http, events.OfType<MeasureProposed>().Single().Lead);

    // Another measure of the same lead carries the external id (a proposal, a new key, or a mandate
    // that moves the lead): the unique index refused the state; name the measure that holds the key.
    public override async Task<IResult?> ExplainRefusedAsync(Exception e, Guid id, MeasureState? before, IReadOnlyList<IMeasureEvent> events, IQuerySession session, CancellationToken ct)
    {
        if (!CommandPipeline.Causes(e).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName == MeasuresSetup.ExternalIdIndex))
        {
            return null;
        }
        var after = events.Aggregate(before, (s, x) => MeasureEvolution.Evolve(s, x, new EventInfo((s?.Version ?? 0) + 1, DateTimeOffset.UtcNow)))!;
        var holder = await FindByExternalIdAsync(session, after.Lead, after.ExternalId!, ct);
        return Problems.From(new ExternalIdTaken(after.ExternalId!, after.Lead, holder?.Id ?? Guid.Empty));
    }

    /// <summary>The measure of this lead administration that carries the external id, if any.</summary>
    public static Task<MeasureState?> FindByExternalIdAsync(IQuerySession session, string lead, string externalId, CancellationToken ct) =>
        session.Query<MeasureState>().Where(m => m.Lead == lead && m.ExternalId == externalId).FirstOrDefaultAsync(ct);

    // The inline state carries its last event's hash: no lookup when it is at the stream's version.
    public override string? HeadHash(MeasureState state) => state.LastEventHash;
}

/// <summary>How endpoints hand measure commands to the pipeline.</summary>
public static class MeasureCommands
{
    /// <summary>A lifecycle command on an existing measure, decided by <see cref="MeasureLifecycle.Decide{TCommand}(MeasureState, TCommand, DateOnly)"/> on today by the ledger's clock.</summary>
    public static Task<IResult> RunAsync<TCommand>(this CommandPipeline pipeline, Guid id, TCommand? command, HttpContext http, CancellationToken ct)
        where TCommand : class, IMeasureCommand =>
        command is null
            ? Task.FromResult(Problems.MissingBody())
            : command is AttachToProgramme attach
                // The tree is read in the writing session, holding other writers off: two attaches
                // at once cannot each pass the cycle check and together make a cycle.
                ? pipeline.ChangeAsync(MeasureStream.Kind, id, TCommand.Name,
                    async (state, write, token) => MeasureLifecycle.Decide(state,
                        attach with { Tree = await ProgrammeTrees.ReadAsync(write.Session, attach.ProgrammeId, state.Id, token) }, pipeline.Today),
                    http, ct, exclusive: true)
                // Codes are checked against the current catalogue (added codes accepted, retired ones refused).
                : pipeline.ChangeAsync(MeasureStream.Kind, id, TCommand.Name,
                    async (state, write, token) => MeasureLifecycle.Decide(state, Checked(command), pipeline.Today, await Catalogue(http).CurrentAsync(write.Session, token)), http, ct);

    /// <summary>A location's geometry is checked here (NetTopologySuite), outside the pure decision, which gets the result.</summary>
    private static TCommand Checked<TCommand>(TCommand command) where TCommand : class, IMeasureCommand =>
        command is SetLocation { Clears: false, Checked: null } set
            ? (TCommand)(object)(set with { Checked = GeometryValidation.Check(set.Geometry!.Value) })
            : command;

    /// <summary>A proposal: starts a measure's stream.</summary>
    public static Task<IResult> ProposeAsync(this CommandPipeline pipeline, ProposeMeasure? command, HttpContext http, CancellationToken ct) =>
        command is null
            ? Task.FromResult(Problems.MissingBody())
            : pipeline.StartAsync(MeasureStream.Kind, ProposeMeasure.Name,
                async (id, session, token) => MeasureLifecycle.Propose(id, command, await Catalogue(http).CurrentAsync(session, token)), http, ct);

    private static CatalogReader Catalogue(HttpContext http) => http.RequestServices.GetRequiredService<CatalogReader>();
}
