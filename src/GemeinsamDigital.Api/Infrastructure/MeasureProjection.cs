using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Infrastructure;

/// <summary>
/// Inline projection of a measure's state: the domain's own evolve, fed with the store's version
/// and timestamp, so what clients read is exactly what decisions are made against.
/// </summary>
public partial class MeasureProjection : SingleStreamProjection<MeasureState, Guid>
{
    public override MeasureState? Evolve(MeasureState? snapshot, Guid id, IEvent e) =>
        e.Data is IMeasureEvent data
            ? MeasureEvolution.Evolve(snapshot, data, new EventInfo(e.Version, AsStored(e.Timestamp)))
            : snapshot;

    /// <summary>
    /// The timestamp as PostgreSQL keeps it (whole microseconds). Inline, the event still carries
    /// the clock's 100 ns ticks; without this a rebuild from the stored events would differ.
    /// </summary>
    public static DateTimeOffset AsStored(DateTimeOffset timestamp) => timestamp.AddTicks(-(timestamp.Ticks % 10));
}
