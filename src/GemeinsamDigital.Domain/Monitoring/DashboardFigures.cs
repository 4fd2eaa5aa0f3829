using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

// The figures of each dashboard. Plain data; computed only by DashboardMath from monitoring rows.
// One naming across dashboards: a row of a figure list is keyed by its code ("code", with "label"
// beside); a stage is typed MeasureStage, so the wire writes its kebab-case code while a revision
// snapshot's canonical JSON (and so its hash) keeps the stored name.

public sealed record CountFigure(string Code, string Label, int Measures);

/// <summary>Measures in one stage.</summary>
public sealed record StageFigure(MeasureStage Code, string Label, int Measures);

/// <param name="Measures">Measures declaring a contribution above 0 to this Leitgedanke.</param>
/// <param name="WeightSum">Sum of the declared weights (0..3 each).</param>
/// <param name="Weighted">WeightSum / 3: measures counted by how strongly they contribute (a weight of 3 counts as one whole measure).</param>
/// <param name="Share">WeightSum / (3 × measures with goals): how much of the possible contribution is declared.</param>
public sealed record PrincipleFigure(string Code, string Label, int Measures, int WeightSum, decimal Weighted, decimal? Share);

/// <param name="Measures">Measures the district is in (as lead or participating administration).</param>
public sealed record DistrictFigure(string Code, string Label, int Measures, int Led, int Participating);

/// <param name="Places">Where the measures take place (the portfolio dashboard's; a revision snapshot has none, so its content stays as it was).</param>
public sealed record PortfolioFigures(
    int Measures,
    int MeasuresWithGoals,
    IReadOnlyList<StageFigure> Stages,
    IReadOnlyList<CountFigure> Types,
    IReadOnlyList<CountFigure> Perspectives,
    IReadOnlyList<PrincipleFigure> Principles,
    IReadOnlyList<CountFigure> Leads,
    IReadOnlyList<DistrictFigure> Districts,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] PlaceFigures? Places = null);

/// <summary>
/// Measures by where they take place. A measure counts once in every district its location lies
/// in (so the districts may add up to more than <paramref name="Located"/>); one without a location
/// counts in <paramref name="Unlocated"/> and in no district.
/// </summary>
/// <param name="Located">Measures with a location.</param>
/// <param name="Unlocated">Measures without one.</param>
/// <param name="Districts">Every district (catalogue order): measures located in it.</param>
public sealed record PlaceFigures(int Located, int Unlocated, IReadOnlyList<CountFigure> Districts);

/// <param name="Reached">Measures that ever entered the stage.</param>
/// <param name="From">The stage the conversion is measured from; null when there is none.</param>
/// <param name="Conversion">Reached / reached of <paramref name="From"/>, 4 decimals; null when that is 0.</param>
public sealed record FunnelStage(MeasureStage Code, string Label, int Reached, MeasureStage? From, decimal? Conversion);

public sealed record FunnelFigures(int Measures, IReadOnlyList<FunnelStage> Stages);

/// <param name="Count">Completed stays (stage entered and left) in the figures.</param>
/// <param name="Ongoing">Measures in this stage right now (not part of the durations).</param>
public sealed record StageCycleTime(MeasureStage Code, string Label, int Count, decimal? MedianDays, decimal? P90Days, int Ongoing);

/// <param name="Count">Times the outcome was reached.</param>
public sealed record OutcomeCycleTime(string Code, string Label, int Count, decimal? MedianDays, decimal? P90Days);

public sealed record CycleTimeFigures(IReadOnlyList<StageCycleTime> Stages, IReadOnlyList<OutcomeCycleTime> Outcomes);

public sealed record OverdueMilestone(
    Guid MeasureId, string Title, string Lead, int Cycle, string MilestoneId, string Milestone, DateOnly Due, string Status, int DaysOverdue);

public sealed record InactiveMeasure(Guid MeasureId, string Title, string Lead, MeasureStage Stage, DateTimeOffset LastActivityAt, int DaysInactive);

public sealed record OverdueFigures(DateOnly Today, int InactiveDays, IReadOnlyList<OverdueMilestone> Milestones, IReadOnlyList<InactiveMeasure> Inactive);

/// <param name="Measures">Measures whose project team holds both administrations.</param>
public sealed record CollaborationEdge(string A, string ALabel, string B, string BLabel, int Measures);

/// <param name="Measures">Measures whose project team holds the administration.</param>
/// <param name="Partners">Distinct administrations it works with on those measures.</param>
public sealed record CollaborationNode(string Code, string Label, string Level, int Measures, int Partners);

/// <param name="CrossAdministration">Measures whose team has two or more administrations.</param>
/// <param name="AcrossLevels">Measures whose team spans two or more levels (Senatskanzlei, Senatsverwaltung, Bezirk, Partner).</param>
public sealed record CollaborationFigures(
    int Measures,
    int CrossAdministration,
    decimal? CrossAdministrationShare,
    int AcrossLevels,
    IReadOnlyList<CollaborationNode> Administrations,
    IReadOnlyList<CollaborationEdge> Edges);

/// <param name="Measures">Measures with at least one participation that reached the group.</param>
/// <param name="Share">Measures / measures that ever had a pilot (participation is recorded in pilots), 4 decimals.</param>
/// <param name="Events">Participations that reached the group.</param>
/// <param name="Participants">Participants of those participations.</param>
public sealed record HelixGroupFigure(string Code, string Label, int Measures, decimal? Share, int Events, long Participants);

public sealed record UnderHeardFigure(string Code, string Label, int Measures, int Events);

public sealed record StilleGruppenMeasure(Guid MeasureId, string Title, string Lead, IReadOnlyList<string> UnderHeardGroups, int Events, long Participants);

public sealed record FormatFigure(string Code, string Label, int Events, long Participants);

public sealed record ParticipationFigures(
    int MeasuresWithPilot,
    int MeasuresWithParticipation,
    int Events,
    long Participants,
    IReadOnlyList<HelixGroupFigure> Groups,
    int StilleGruppenMeasures,
    decimal? StilleGruppenShare,
    IReadOnlyList<UnderHeardFigure> UnderHeardGroups,
    IReadOnlyList<StilleGruppenMeasure> StilleGruppen,
    IReadOnlyList<FormatFigure> Formats);

public sealed record IndicatorPoint(DateOnly On, decimal Value, string Source);

/// <param name="Progress">(latest − baseline) / (target − baseline), 4 decimals: 0 at the baseline, 1 at the target.</param>
/// <param name="Expected">Share of the current pilot period elapsed on the latest measurement's date, 0..1, 4 decimals.</param>
/// <param name="Status">achieved, on-track, behind or no-data (see IndicatorStatus).</param>
public sealed record IndicatorSeries(
    Guid MeasureId,
    string Title,
    string Lead,
    string Indicator,
    string Name,
    string Unit,
    decimal Baseline,
    decimal Target,
    IReadOnlyList<IndicatorPoint> Points,
    decimal? Latest,
    decimal? Progress,
    decimal? Expected,
    string Status);

/// <param name="ShareOnTrack">(achieved + on-track) / measured, 4 decimals; null when nothing is measured.</param>
public sealed record IndicatorSummary(int Indicators, int Measured, int Achieved, int OnTrack, int Behind, int NoData, decimal? ShareOnTrack);

public sealed record IndicatorFigures(IndicatorSummary Summary, IReadOnlyList<IndicatorSeries> Series);

public static class IndicatorStatus
{
    public const string Achieved = "achieved";
    public const string OnTrack = "on-track";
    public const string Behind = "behind";
    public const string NoData = "no-data";
}
