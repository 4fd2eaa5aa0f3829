using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Controlling;

/// <summary>What a cadence command answers on success.</summary>
/// <param name="CadenceId">The cadence stream's id.</param>
/// <param name="Version">The stream's version after the command; also the new ETag.</param>
/// <param name="Events">Stored names of the events the command appended.</param>
public sealed record CadenceCommandAccepted(Guid CadenceId, long Version, IReadOnlyList<string> Events);

/// <summary>The reporting cadence's stream as the command pipeline sees it. Only the strategy office sends its commands (endpoint policy).</summary>
public sealed class CadenceStream : StreamKind<ReportingCadenceState, ICadenceEvent>
{
    public static readonly CadenceStream Kind = new();

    public override string Noun => "reporting cadence";

    public override IResult NotFound(Guid id) => Problems.CadenceNotFound(id);

    public override string Location(Guid id) => ControllingEndpoints.CadenceRoute;

    public override object Accepted(Guid id, ReportingCadenceState? before, IReadOnlyList<ICadenceEvent> events, long version) =>
        new CadenceCommandAccepted(id, version, Names(events));

    /// <summary>The cadence: its one stream's state, or null before it is first set.</summary>
    public static Task<ReportingCadenceState?> CurrentAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<ReportingCadenceState>().FirstOrDefaultAsync(ct);

    private static readonly Type[] _eventTypes = [.. EventTypes.OfKind<ICadenceEvent>()];

    /// <summary>
    /// The cadence's events with their times (a short stream: one event per setting), in one query by
    /// event type: the dashboards read them on every request, before their cache.
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> EventsAsync(IQuerySession session, CancellationToken ct) =>
        await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(_eventTypes)).OrderBy(e => e.Sequence).ToListAsync(ct);

    /// <summary>The cadence as it was at a moment: its events recorded up to then, folded.</summary>
    public static ReportingCadenceState? At(IReadOnlyList<IEvent> events, DateTimeOffset moment) =>
        events.Where(e => e.Timestamp <= moment && e.Data is ICadenceEvent)
            .Aggregate((ReportingCadenceState?)null, (s, e) => ReportingCadenceState.Evolve(s, (ICadenceEvent)e.Data, Info(e), e.StreamId));

    internal static EventInfo Info(IEvent e) => new(e.Version, MeasureProjection.AsStored(e.Timestamp));
}

/// <summary>Inline projection of the cadence: the domain's own evolve.</summary>
public partial class CadenceProjection : SingleStreamProjection<ReportingCadenceState, Guid>
{
    public CadenceProjection()
    {
        foreach (var type in EventTypes.OfKind<ICadenceEvent>())
        {
            IncludeType(type);
        }
    }

    public override ReportingCadenceState? Evolve(ReportingCadenceState? snapshot, Guid id, IEvent e) =>
        e.Data is ICadenceEvent data ? ReportingCadenceState.Evolve(snapshot, data, CadenceStream.Info(e), id) : snapshot;
}

public static class ControllingSetup
{
    /// <summary>Controlling: the reporting cadence's stream (state inline); its command goes through the command pipeline.</summary>
    public static IServiceCollection AddControlling(this IServiceCollection services)
    {
        services.ConfigureMarten(opts => opts.Projections.Add<CadenceProjection>(ProjectionLifecycle.Inline));
        return services;
    }
}
