using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>One part of a programme as its roll-up shows it.</summary>
/// <param name="Progress">The part's progress (see <see cref="ProgrammeRollup.Progress(MeasureState)"/>); null for a withdrawn part.</param>
public sealed record RollupPart(Guid MeasureId, string Title, string Lead, MeasureStage Stage, decimal? Progress);

/// <summary>Milestones of the parts, every pilot cycle.</summary>
public sealed record MilestoneCounts(int Reached, int Missed, int Open);

/// <summary>Budgets of the mandated parts in one currency.</summary>
public sealed record BudgetSum(string Currency, decimal Amount, int Measures);

/// <summary>A programme's direct parts, summed.</summary>
/// <param name="Parts">How many measures are directly part of the programme.</param>
/// <param name="Title">The programme's title; null when it did not exist yet at the moment asked for.</param>
/// <param name="Stage">The programme's own stage; null when it did not exist yet.</param>
/// <param name="Progress">Mean of the parts' progress (withdrawn parts left out), 4 decimals; null without a part that counts.</param>
public sealed record RollupFigures(
    Guid ProgrammeId,
    string? Title,
    MeasureStage? Stage,
    int Parts,
    IReadOnlyList<StageFigure> Stages,
    MilestoneCounts Milestones,
    IndicatorSummary Indicators,
    IReadOnlyList<BudgetSum> Budgets,
    decimal? Progress,
    IReadOnlyList<RollupPart> Measures);

/// <summary>
/// The roll-up of a programme: a pure function of monitoring rows, like every dashboard, so the
/// live figures (rows of the async projection) and the figures as of a moment (rows folded from
/// the events up to then) are computed the same way. A programme's parts are the measures whose
/// state names it as their programme at that moment; the roll-up sums the direct parts (a
/// sub-programme counts as one part with its own stage).
/// </summary>
public static class ProgrammeRollup
{
    /// <summary>
    /// Progress of a measure by its stage, 0 to 1: Idea 0, ProblemUnderstood 0.1, GoalsDefined 0.2,
    /// Mandated 0.3, Iterated 0.3 (ready for its next pilot), Pilot 0.3 + 0.4 × reached / planned
    /// milestones of the current cycle, Evaluation 0.8, Evaluated 0.9, Scaled, Stopped and Archived 1
    /// (decided: a stopped measure is a result). Withdrawn: null, left out of the programme's mean.
    /// </summary>
    public static decimal? Progress(MeasureState m) => m.Stage switch
    {
        MeasureStage.Idea => 0m,
        MeasureStage.ProblemUnderstood => 0.1m,
        MeasureStage.GoalsDefined => 0.2m,
        MeasureStage.Mandated or MeasureStage.Iterated => 0.3m,
        MeasureStage.Pilot => 0.3m + 0.4m * MilestoneShare(m),
        MeasureStage.Evaluation => 0.8m,
        MeasureStage.Evaluated => 0.9m,
        MeasureStage.Scaled or MeasureStage.Stopped or MeasureStage.Archived => 1m,
        _ => null,
    };

    private static decimal MilestoneShare(MeasureState m)
    {
        var current = m.Milestones.Where(x => x.Cycle == m.PilotCycle).ToList();
        return current.Count == 0 ? 0m : (decimal)current.Count(x => x.Status == MilestoneStatus.Reached) / current.Count;
    }

    /// <summary>The roll-up of <paramref name="programme"/> over <paramref name="rows"/> (no title or stage when the programme is not among them).</summary>
    public static RollupFigures Of(Guid programme, IEnumerable<MonitoringRow> rows)
    {
        var all = rows as IReadOnlyCollection<MonitoringRow> ?? [.. rows];
        var parent = all.FirstOrDefault(r => r.Id == programme)?.Measure;
        var parts = all.Where(r => r.Measure.ProgrammeId == programme).OrderBy(r => r.Measure.Title, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
        var measures = parts.Select(r => r.Measure).ToList();
        var stages = Enum.GetValues<MeasureStage>().Select(s => new StageFigure(s, s.Label(), measures.Count(m => m.Stage == s))).ToList();
        var milestones = measures.SelectMany(m => m.Milestones).ToList();
        var budgets = measures.Where(m => m.Budget is not null).GroupBy(m => m.Budget!.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BudgetSum(g.Key, g.Sum(m => m.Budget!.Amount), g.Count()))
            .ToList();
        var progress = measures.Select(Progress).OfType<decimal>().ToList();
        return new RollupFigures(
            programme,
            parent?.Title,
            parent?.Stage,
            parts.Count,
            stages,
            new MilestoneCounts(
                milestones.Count(m => m.Status == MilestoneStatus.Reached),
                milestones.Count(m => m.Status == MilestoneStatus.Missed),
                milestones.Count(m => m.Status == MilestoneStatus.Open)),
            DashboardMath.Indicators(parts, DashboardFilter.None).Summary,
            budgets,
            progress.Count == 0 ? null : DashboardMath.Round(progress.Average(), 4),
            [.. measures.Select(m => new RollupPart(m.Id, m.Title, m.Lead, m.Stage, Progress(m) is { } p ? DashboardMath.Round(p, 4) : null))]);
    }
}
