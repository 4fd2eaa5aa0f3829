using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Catalog;

/// <summary>
/// The English label of a code that answers carry with a label beside it (stages and outcomes, then
/// the catalogue's entries as the dashboards list them). Proper names (partners, many
/// administrations) have no English label: they keep their own.
/// </summary>
public static class EnglishLabels
{
    private static readonly Dictionary<string, string> _byCode = Build();

    /// <summary>The English label of <paramref name="code"/>, or null when there is none.</summary>
    public static string? Of(string? code) => code is not null && _byCode.TryGetValue(code, out var label) ? label : null;

    private static Dictionary<string, string> Build()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        // Outcomes share their codes with the stages they lead to (scaled, stopped, …).
        foreach (var stage in Enum.GetValues<MeasureStage>())
        {
            labels.TryAdd(stage.Code(), stage.EnglishLabel());
        }
        foreach (var entry in new[]
        {
            StrategyCatalog.MeasureTypes, StrategyCatalog.FuturePerspectives, StrategyCatalog.GuidingPrinciples, StrategyCatalog.StakeholderGroups,
            StrategyCatalog.UnderHeardGroups, StrategyCatalog.ParticipationFormats, StrategyCatalog.Administrations, StrategyCatalog.Plans,
        }.SelectMany(list => list).Where(e => e.EnglishLabel is not null))
        {
            labels.TryAdd(entry.Code, entry.EnglishLabel!);
        }
        foreach (var health in Controlling.StatusHealth.Codes)
        {
            labels.TryAdd(health, Controlling.StatusHealth.EnglishLabel(health));
        }
        return labels;
    }
}
