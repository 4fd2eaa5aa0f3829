using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;

namespace GemeinsamDigital.Domain.Controlling;

/// <summary>The measures serving one plan: how many, in which stages, with which health.</summary>
/// <param name="Measures">Measures (of the filter) serving the plan.</param>
/// <param name="Stages">Those measures per stage, every stage listed.</param>
/// <param name="Health">Those measures per health of their latest status report, every health listed.</param>
/// <param name="Unreported">Those measures without any status report.</param>
public sealed record PlanFigure(string Code, string Label, int Measures, IReadOnlyList<StageFigure> Stages, IReadOnlyList<CountFigure> Health, int Unreported);

/// <param name="Measures">Measures the filter selects.</param>
/// <param name="MeasuresServingPlans">Of those, the measures serving at least one plan.</param>
/// <param name="Plans">Every plan of the catalogue in its order, then codes measures still hold that the catalogue no longer lists (labelled by their code).</param>
public sealed record PlanFiguresResult(int Measures, int MeasuresServingPlans, IReadOnlyList<PlanFigure> Plans);

/// <summary>The plans dashboard's math. Pure. A measure serving two plans counts once under each.</summary>
public static class PlanMath
{
    public static PlanFiguresResult Figures(IEnumerable<MonitoringRow> rows, DashboardFilter filter)
    {
        var measures = filter.Select(rows);
        var byPlan = measures
            .SelectMany(r => r.Measure.Plans.Select(p => (p.Plan, r.Measure)))
            .ToLookup(x => x.Plan, x => x.Measure);
        var catalogue = StrategyCatalog.Plans.Select(p => (p.Code, p.Label));
        var others = byPlan.Select(g => g.Key).Where(code => !StrategyCatalog.IsPlan(code)).Order(StringComparer.Ordinal).Select(code => (Code: code, Label: code));
        return new PlanFiguresResult(
            measures.Count,
            measures.Count(r => r.Measure.Plans.Count > 0),
            [.. catalogue.Concat(others).Select(plan => Figure(plan.Code, plan.Label, [.. byPlan[plan.Code]]))]);
    }

    private static PlanFigure Figure(string code, string label, IReadOnlyList<MeasureState> serving) => new(
        code,
        label,
        serving.Count,
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageFigure(s, s.Label(), serving.Count(m => m.Stage == s)))],
        [.. StatusHealth.Codes.Select(h => new CountFigure(h, StatusHealth.Label(h), serving.Count(m => m.LatestStatusReport?.Health == h)))],
        serving.Count(m => m.LatestStatusReport is null));
}
