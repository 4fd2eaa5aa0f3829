using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using static GemeinsamDigital.Domain.Tests.Revisions.RevisionSpec;

namespace GemeinsamDigital.Domain.Tests.Revisions;

/// <summary>The one fold from stored events to monitoring rows (dashboards as of a moment, snapshots as of a sequence).</summary>
public class MonitoringRowsSpecs
{
    [Fact]
    public void Each_stream_is_folded_in_version_order_up_to_its_first_gap()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var log = new EventLog().Record(Measure(a, MeasureStage.Mandated)).Record(Measure(b, MeasureStage.GoalsDefined));
        var shuffled = log.Events.Reverse().ToList();

        var rows = MonitoringRows.Fold(shuffled).ToDictionary(r => r.Id);
        rows[a].Measure.Stage.ShouldBe(MeasureStage.Mandated);
        rows[a].Sequence.ShouldBe(log.Events.Where(e => e.MeasureId == a).Max(e => e.Sequence));
        rows[b].Measure.Stage.ShouldBe(MeasureStage.GoalsDefined);

        // Without b's version 2, b stops at its idea; without a's first event, a is left out.
        var gappy = shuffled.Where(e => !(e.MeasureId == b && e.Version == 2) && !(e.MeasureId == a && e.Version == 1));
        var partial = MonitoringRows.Fold(gappy);
        partial.ShouldHaveSingleItem().Measure.Stage.ShouldBe(MeasureStage.Idea);
        partial[0].Id.ShouldBe(b);
    }
}
