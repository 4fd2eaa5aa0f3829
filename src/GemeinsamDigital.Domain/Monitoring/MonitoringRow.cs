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

    /// <summary>
    /// This row reduced to what the dashboards' math reads (DashboardMath, HealthMath, PlanMath,
    /// ReportingDue, ProgrammeRollup): what a node keeps per measure for live dashboards. Free texts
    /// no dashboard shows (problem, description, evidence, rationales, summaries, narratives), risks,
    /// evaluations, responsibilities, the outcome and a location's geometry are dropped (the
    /// location keeps its districts, the geometry becomes one shared placeholder); catalogue codes
    /// become the catalogue's own strings, so 100,000 rows share a few dozen instead of holding
    /// their own. Every figure computed from these rows equals the one from the full rows (tested).
    /// </summary>
    public MonitoringRow ForDashboards()
    {
        var m = Measure;
        return this with
        {
            Measure = m with
            {
                LastEventHash = null,
                ProblemStatement = "",
                Description = null,
                Evidence = null,
                FundingSource = null,
                ExternalId = null,
                Source = null,
                AffectedGroups = [],
                Responsibilities = [],
                Risks = [],
                Evaluations = [],
                Outcome = null,
                Lead = StrategyCatalog.Shared(m.Lead),
                Type = StrategyCatalog.Shared(m.Type),
                Participating = Shared(m.Participating),
                Perspectives = Shared(m.Perspectives),
                Contributions = [.. m.Contributions.Select(c => new PrincipleContribution(StrategyCatalog.Shared(c.Principle), c.Weight, ""))],
                Indicators = [.. m.Indicators],
                Milestones = [.. m.Milestones.Select(x => x.PreviousDues.Count == 0 ? x : x with { PreviousDues = [] })],
                Participations = [.. m.Participations.Select(p => p with
                {
                    Format = StrategyCatalog.Shared(p.Format),
                    StakeholderGroups = Shared(p.StakeholderGroups),
                    UnderHeardGroups = Shared(p.UnderHeardGroups),
                    Summary = null,
                })],
                Measurements = SharedTexts(m.Measurements),
                StageHistory = [.. m.StageHistory],
                LatestStatusReport = m.LatestStatusReport is { } r ? r with { Narrative = "", Blockers = [], NextSteps = [] } : null,
                HealthHistory = [.. m.HealthHistory],
                Plans = [.. m.Plans.Select(p => new PlanLink(StrategyCatalog.Shared(p.Plan), null, p.LinkedAt, p.Version))],
                Location = m.Location is { } l ? new MeasureLocation(NoGeometry, Shared(l.Districts)) : null,
            },
        };
    }

    // A measure's series repeats its indicator codes and sources: one string each instead of one per measurement.
    private static Measurement[] SharedTexts(IReadOnlyList<Measurement> measurements)
    {
        if (measurements.Count == 0)
        {
            return [];
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        string Share(string text) => texts.TryGetValue(text, out var kept) ? kept : texts[text] = text;
        var shared = new Measurement[measurements.Count];
        for (var i = 0; i < shared.Length; i++)
        {
            var x = measurements[i];
            shared[i] = x with { Indicator = Share(x.Indicator), Source = Share(x.Source) };
        }
        return shared;
    }

    // Stands for a geometry the dashboards never read (they count a location's districts).
    private static readonly GeoShape NoGeometry = GeoShape.Point(new GeoPosition(0, 0));

    // Arrays of exactly the right length: lists deserialized from JSON keep their grown capacity.
    private static string[] Shared(IReadOnlyList<string> codes) => codes.Count == 0 ? [] : [.. codes.Select(StrategyCatalog.Shared)];

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
