using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>
/// One measure as the monitoring read side sees it: the fold of its events up to global event
/// <see cref="Sequence"/>, plus the facts dashboards group by. Every dashboard is a pure function
/// of a list of these rows, whether the rows come from the async projection (live figures) or
/// from folding the events up to a point in time (asOf figures).
/// </summary>
public sealed record MonitoringRow
{
    public Guid Id { get; init; }

    /// <summary>Global sequence of the last event folded into this row.</summary>
    public long Sequence { get; init; }

    public MeasureState Measure { get; init; } = new();

    /// <summary>Lead plus participating administrations.</summary>
    public IReadOnlyList<string> Team => [.. Measure.Team];

    /// <summary>The districts (Bezirke) the measure is in: as lead or as participating administration.</summary>
    public IReadOnlyList<string> Districts => [.. Measure.Team.Where(StrategyCatalog.IsDistrict)];

    /// <summary>When the measure reached its current final stage (scaled, stopped, withdrawn, archived); null while it is open.</summary>
    public DateTimeOffset? ClosedAt => ClosedAtOf(Measure);

    public static MonitoringRow Of(MeasureState measure, long sequence) => new() { Id = measure.Id, Sequence = sequence, Measure = measure };

    /// <summary>A stage after which the measure's tracked life is over (it may still be archived).</summary>
    public static bool IsFinal(MeasureStage stage) =>
        stage is MeasureStage.Scaled or MeasureStage.Stopped or MeasureStage.Withdrawn or MeasureStage.Archived;

    private static DateTimeOffset? ClosedAtOf(MeasureState measure)
    {
        DateTimeOffset? closed = null;
        for (var i = measure.StageHistory.Count - 1; i >= 0 && IsFinal(measure.StageHistory[i].Stage); i--)
        {
            closed = measure.StageHistory[i].EnteredAt;
        }
        return closed;
    }
}
