using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Measures;

/// <summary>
/// Inline projection of a measure's state: the domain's own evolve, fed with the store's version
/// and timestamp, so what clients read is exactly what decisions are made against. The stored
/// state leaves out the measurement series (<see cref="Stored"/>), which reads put back.
/// </summary>
public partial class MeasureProjection : SingleStreamProjection<MeasureState, Guid>
{
    /// <summary>
    /// The fold's revision: time travel ignores stored snapshots of any other (Audit/MeasureSnapshots).
    /// Bump it whenever what a fold yields changes: MeasureState, the domain's evolve, this Evolve,
    /// an upcaster or an event's stored shape; otherwise time travel answers with the old fold.
    /// </summary>
    public const int FoldRevision = 3;

    // Only measure events: a session that saves other streams (revision phases) does not load measures.
    public MeasureProjection()
    {
        foreach (var type in EventTypes.OfKind<IMeasureEvent>())
        {
            IncludeType(type);
        }
    }

    public override MeasureState? Evolve(MeasureState? snapshot, Guid id, IEvent e) =>
        e.Data is IMeasureEvent ? Stored(Fold(snapshot, e)!) : snapshot;

    /// <summary>The whole fold, the measurement series included: what a read answers (time travel folds this way).</summary>
    public static MeasureState? Fold(MeasureState? state, IEvent e) =>
        e.Data is IMeasureEvent data
            ? MeasureEvolution.Evolve(state, data, new EventInfo(e.Version, AsStored(e.Timestamp))) with
            {
                LastEventHash = EventLedger.Header(e, EventLedger.HashHeader),
            }
            : state;

    /// <summary>
    /// The state as stored: without the measurement series. Every command rewrites the stored
    /// state whole, and no decision reads the series, so a long pilot's series would cost each
    /// command its whole length (measured: ~120 kB of WAL per command at 10,000 measurements);
    /// reads take the series from the events (<see cref="MeasurementSeries"/>).
    /// </summary>
    public static MeasureState Stored(MeasureState state) => state.Measurements.Count == 0 ? state : state with { Measurements = [] };

    /// <summary>
    /// PostgreSQL keeps timestamps to the microsecond, but an inline projection sees the event's
    /// .NET timestamp before it is stored. Truncating here makes the state's times equal to the
    /// stored events' times, and to what a rebuild of the projection would produce.
    /// </summary>
    public static DateTimeOffset AsStored(DateTimeOffset timestamp) => GemeinsamDigital.Audit.EventHash.Truncate(timestamp);
}
