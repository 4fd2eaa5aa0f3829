using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Revisions;

/// <summary>
/// The state of the strategy frozen when a revision phase closes: every measure in the phase's
/// scope as of one global event sequence, the portfolio figures and indicator summary of the read
/// side (computed by DashboardMath, unfiltered, over the measures in scope), and the phase's lessons.
/// Its content hash is <see cref="SnapshotHash.Compute"/>. A pure function of the events up to
/// <see cref="AsOfSequence"/>: anyone can recompute it from them.
/// </summary>
/// <param name="Format">Version of this content definition; a change to what a snapshot contains is a new format.</param>
/// <param name="CatalogVersion">The catalogue version the snapshot was taken against: the last catalogue event up to
/// <see cref="AsOfSequence"/> (format 2 on; format 1 and format-2 snapshots closed before it was recorded have none).</param>
public sealed record RevisionSnapshot(
    int Format,
    Guid PhaseId,
    string Name,
    DateOnly From,
    DateOnly To,
    RevisionScope Scope,
    Guid? PreviousPhaseId,
    long SinceSequence,
    long AsOfSequence,
    IReadOnlyList<SnapshotMeasure> Measures,
    PortfolioFigures Portfolio,
    IndicatorSummary Indicators,
    IReadOnlyList<RevisionLesson> Lessons,
    long? CatalogVersion = null);

/// <summary>One measure as of the snapshot's sequence: its stage and key facts.</summary>
/// <param name="Version">Version of the measure's stream (its last event up to the snapshot).</param>
/// <param name="Sequence">Global sequence of that event.</param>
/// <param name="Outcome">scaled, iterated, stopped or withdrawn once decided; null otherwise.</param>
/// <param name="LatestReport">Its latest status report up to the snapshot (format 2 on); null when it has none.</param>
public sealed record SnapshotMeasure(
    Guid Id,
    long Version,
    long Sequence,
    string Title,
    string Type,
    string Lead,
    IReadOnlyList<string> Participating,
    IReadOnlyList<string> Perspectives,
    MeasureStage Stage,
    DateTimeOffset StageEnteredAt,
    int PilotCycle,
    string? Outcome,
    IReadOnlyList<SnapshotContribution> Contributions,
    IReadOnlyList<SnapshotIndicator> Indicators,
    IReadOnlyList<StageEntry> StageHistory,
    SnapshotStatusReport? LatestReport = null);

/// <summary>
/// A measure's latest status report as a snapshot keeps it: the period it covers, its health and
/// narrative. <paramref name="Revision"/> counts the reports of that period (a later one supersedes).
/// </summary>
public sealed record SnapshotStatusReport(
    string Period,
    string Health,
    DateOnly On,
    int? Progress,
    string Narrative,
    IReadOnlyList<string> Blockers,
    IReadOnlyList<string> NextSteps,
    int Revision,
    DateTimeOffset ReportedAt);

/// <summary>A declared contribution to a Leitgedanke (weight 0..3).</summary>
public sealed record SnapshotContribution(string Principle, int Weight);

/// <summary>An indicator's latest value against baseline and target, as the indicators dashboard computes it.</summary>
/// <param name="Progress">(latest − baseline) / (target − baseline), 4 decimals.</param>
/// <param name="Status">achieved, on-track, behind or no-data.</param>
public sealed record SnapshotIndicator(
    string Code,
    string Name,
    string Unit,
    decimal Baseline,
    decimal Target,
    decimal? Latest,
    DateOnly? LatestOn,
    decimal? Progress,
    string Status);

public static class RevisionSnapshots
{
    /// <summary>The format new snapshots are taken in. 2 added each measure's latest status report.</summary>
    public const int Format = 2;

    /// <summary>The formats this code can recompute (a closed snapshot is recomputed in its own format).</summary>
    public static bool IsKnownFormat(int format) => format is 1 or 2;

    /// <summary>
    /// The snapshot of <paramref name="phase"/> (folded from its own events up to
    /// <paramref name="asOfSequence"/>) over the measure events up to that sequence, in
    /// <paramref name="format"/>; later events among <paramref name="events"/> are ignored.
    /// </summary>
    public static RevisionSnapshot Build(RevisionPhaseState phase, IEnumerable<RecordedMeasureEvent> events, long asOfSequence, int format = Format,
        long? catalogVersion = null)
    {
        if (!IsKnownFormat(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown snapshot format.");
        }
        var upTo = events.Where(e => e.Sequence <= asOfSequence).ToList();
        var rows = phase.Scope.ToFilter().Select(MonitoringRows.Fold(upTo));
        var indicators = DashboardMath.Indicators(rows, DashboardFilter.None);
        var series = indicators.Series.ToLookup(s => s.MeasureId);
        var inScope = rows.Select(r => r.Id).ToHashSet();
        return new RevisionSnapshot(
            format,
            phase.Id,
            phase.Name,
            phase.From,
            phase.To,
            phase.Scope,
            phase.PreviousPhaseId,
            phase.SinceSequence,
            asOfSequence,
            [.. rows.Select(r => Measure(r, series[r.Id], format))],
            DashboardMath.Portfolio(rows, DashboardFilter.None),
            indicators.Summary,
            [.. phase.OfficeLessons().Select(l => l with { RecordedAt = l.RecordedAt.ToUniversalTime() }),
             .. LinkedLessons(upTo.Where(e => inScope.Contains(e.MeasureId)), phase.SinceSequence, asOfSequence)],
            format >= 2 ? catalogVersion : null);
    }

    /// <summary>
    /// Lessons of measures evaluated, iterated or stopped in (<paramref name="since"/>, <paramref name="upTo"/>]:
    /// each lesson of an EvaluationCompleted or MeasureStopped, and the changes of a MeasureIterated,
    /// in event sequence order.
    /// </summary>
    public static IReadOnlyList<RevisionLesson> LinkedLessons(IEnumerable<RecordedMeasureEvent> events, long since, long upTo) =>
    [
        .. events
            .Where(e => e.Sequence > since && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence)
            .SelectMany(e => (e.Event switch
            {
                EvaluationCompleted c => c.Lessons.Select(text => (LessonSource.Evaluation, text)),
                MeasureIterated i => [(LessonSource.Iteration, i.Changes)],
                MeasureStopped s => s.Lessons.Select(text => (LessonSource.Stop, text)),
                _ => [],
            }).Select(l => new RevisionLesson(l.Item1, l.Item2, e.At.ToUniversalTime(), null, e.MeasureId, e.Version, e.Sequence, [], []))),
    ];

    private static SnapshotMeasure Measure(MonitoringRow row, IEnumerable<IndicatorSeries> series, int format)
    {
        var m = row.Measure;
        var byCode = series.ToDictionary(s => s.Indicator);
        return new SnapshotMeasure(
            m.Id,
            m.Version,
            row.Sequence,
            m.Title,
            m.Type,
            m.Lead,
            m.Participating,
            m.Perspectives,
            m.Stage,
            m.StageEnteredAt.ToUniversalTime(),
            m.PilotCycle,
            m.Outcome?.Kind,
            [.. m.Contributions.Select(c => new SnapshotContribution(c.Principle, c.Weight))],
            [.. m.Indicators.Select(i =>
            {
                var s = byCode[i.Code];
                return new SnapshotIndicator(i.Code, i.Name, i.Unit, i.Baseline, i.Target, s.Latest, s.Points.Count > 0 ? s.Points[^1].On : null, s.Progress, s.Status);
            })],
            [.. m.StageHistory.Select(h => h with { EnteredAt = h.EnteredAt.ToUniversalTime() })],
            format >= 2 && m.LatestStatusReport is { } r
                ? new SnapshotStatusReport(r.Period, r.Health, r.On, r.Progress, r.Narrative, r.Blockers, r.NextSteps, r.Revision, r.ReportedAt.ToUniversalTime())
                : null);
    }
}
