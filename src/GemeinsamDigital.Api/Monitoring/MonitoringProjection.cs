using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>
/// Async projection (run by the async daemon) of one monitoring row per measure: the domain's
/// own evolve, fed with the stored version and timestamp, tagged with the global sequence of the
/// last event folded. The dashboards read these rows; asOf figures fold the same events the same way.
/// As the stored measure, a row leaves out the measurement series, which the reader puts back.
/// </summary>
public partial class MonitoringProjection : SingleStreamProjection<MonitoringRow, Guid>
{
    public const string ProjectionName = "monitoring";

    public MonitoringProjection()
    {
        Name = ProjectionName;
    }

    public override MonitoringRow? Evolve(MonitoringRow? snapshot, Guid id, IEvent e) =>
        e.Data is IMeasureEvent data
            ? MonitoringRow.Of(MeasureProjection.Stored(MeasureEvolution.Evolve(snapshot?.Measure, data, new EventInfo(e.Version, e.Timestamp))), e.Sequence)
            : snapshot;
}
