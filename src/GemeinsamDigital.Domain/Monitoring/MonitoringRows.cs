using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>One stored event of a measure's stream, with what the store knows about it.</summary>
/// <param name="MeasureId">The stream (measure) id.</param>
/// <param name="Version">Position in the measure's stream, from 1.</param>
/// <param name="Sequence">Global position in the event store.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Event">The event.</param>
public sealed record RecordedMeasureEvent(Guid MeasureId, long Version, long Sequence, DateTimeOffset At, IMeasureEvent Event);

/// <summary>
/// Monitoring rows folded from stored events: the one fold behind every figure that is not read
/// from the live projection (dashboards as of a moment, revision snapshots as of a sequence).
/// </summary>
public static class MonitoringRows
{
    /// <summary>
    /// Each measure folded by the domain's evolve, its events in version order from version 1 up
    /// to the first gap (a gap means a later event of the stream is not among <paramref name="events"/>).
    /// Measures whose first event is missing are left out.
    /// </summary>
    public static IReadOnlyList<MonitoringRow> Fold(IEnumerable<RecordedMeasureEvent> events) =>
        [.. events.GroupBy(e => e.MeasureId).Select(FoldStream).OfType<MonitoringRow>()];

    private static MonitoringRow? FoldStream(IEnumerable<RecordedMeasureEvent> stream)
    {
        MeasureState? state = null;
        long sequence = 0;
        foreach (var e in stream.OrderBy(e => e.Version))
        {
            if (e.Version != (state?.Version ?? 0) + 1)
            {
                break;
            }
            state = MeasureEvolution.Evolve(state, e.Event, new EventInfo(e.Version, e.At));
            sequence = e.Sequence;
        }
        return state is null ? null : MonitoringRow.Of(state, sequence);
    }
}
