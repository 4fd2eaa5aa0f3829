using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Seed;

/// <summary>
/// Demo controlling: the strategy office asks for quarterly reports from July 2024 (due 15 days
/// after each quarter), and every running demo measure reports each quarter from 2024-Q3 to
/// 2026-Q3, a few days after it ends. Two measures stand out: the school Wi-Fi slips from on track
/// to off track and stays there; the volunteering exchange misses its 2025-Q2 report, and the
/// transparency dashboard pauses in 2025-Q1 and has not yet sent its 2026-Q3 report (overdue).
/// </summary>
public static class DemoControlling
{
    public static readonly Guid CadenceId = DemoMeasures.IdFor("Berichtsrhythmus der Strategie");

    public static readonly DateTimeOffset CadenceSetAt = new(2024, 7, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly SetReportingCadence Cadence = new(null, ReportingFrequency.Quarterly, 15);

    public const string Slipping = "Schul-WLAN in allen Bezirken (fiktiv)";
    public const string MissingOne = "Ehrenamtsbörse für Geflüchtete (fiktiv)";
    public const string Paused = "Transparenz und Offenheit bei der Umsetzung von Digitalvorhaben";

    private static readonly string[] _quarters = ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"];

    /// <summary>Plans of the Land demo measures serve (linked two days after the proposal).</summary>
    private static readonly Dictionary<string, (string Plan, string? Contribution)[]> _plans = new()
    {
        ["Gieß-App für Straßenbäume (fiktiv)"] = [("bek-2030", "Stadtgrün erhalten: Bäume als Kühlung und CO₂-Speicher."), ("step-klima-2", null)],
        ["Smart Water – Wasser und Stadtgrün klimagerecht gestalten"] = [("step-klima-2", "Regenwasser vor Ort versickern (Schwammstadt)."), ("bek-2030", null)],
        ["Smarte Straßenbeleuchtung (fiktiv)"] = [("bek-2030", "Weniger Stromverbrauch der Beleuchtung.")],
        ["Regionale Mobilitätsdaten Berlin-Brandenburg (fiktiv)"] = [("nahverkehrsplan", "Pendlerdaten für die Angebotsplanung."), ("mobilitaetsgesetz", null)],
        ["Parksensoren im Wirtschaftsverkehr (fiktiv)"] = [("mobilitaetsgesetz", "Ladezonen für den Wirtschaftsverkehr freihalten.")],
        ["Digitale Terminbuchung in Bürgerämtern (fiktiv)"] = [("egovg-bln", "Verwaltungsleistungen digital zugänglich machen."), ("digitalisierungsprogramm", null)],
        ["Datenkompetenzzentrum der Verwaltung (fiktiv)"] = [("digitalisierungsprogramm", "Datenkompetenz der Beschäftigten stärken.")],
        ["Urbane Datenplattform (fiktiv)"] = [("digitalisierungsprogramm", null), ("smart-city-strategie-2015", "Setzt das Datenziel der Strategie von 2015 fort.")],
        ["Smart Space Hardenbergplatz"] = [("step-klima-2", "Hitzedaten für einen kühleren Platz.")],
    };

    /// <summary>The measure's plan links as steps, two days after its start.</summary>
    public static IEnumerable<(int Offset, Func<MeasureState, Decision> Step)> Plans(string title) =>
        _plans.TryGetValue(title, out var plans)
            ? plans.Select(p => (2, (Func<MeasureState, Decision>)(st => MeasureLifecycle.Decide(st, new LinkPlan(p.Plan, p.Contribution)))))
            : [];

    /// <summary>The measure's quarterly reports as steps (day offsets from its start); a quarter in which it cannot report (not yet mandated, already ended) is skipped.</summary>
    public static IEnumerable<(int Offset, Func<MeasureState, Decision> Step)> Reports(string title, DateTimeOffset start)
    {
        var seed = title.Sum(c => (int)c);
        for (var i = 0; i < _quarters.Length; i++)
        {
            var code = _quarters[i];
            if ((title == MissingOne && code == "2025-Q2") || (title == Paused && code == "2026-Q3"))
            {
                continue;
            }
            ReportingPeriod.TryParse(code, out var period);
            var recorded = new DateTimeOffset(period.End.AddDays(4 + (seed + i) % 8).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
            var health = HealthOf(title, i, seed);
            var report = new ReportStatus(code, health, Narrative(health), health is StatusHealth.OnTrack ? [] : ["Personalengpass im Projektteam"],
                ["Nächste Meilensteine abstimmen"], health == StatusHealth.OffTrack ? 20 + i : Math.Min(100, 15 + 10 * i), period.End);
            yield return ((recorded - start).Days, st => MeasureLifecycle.IsAllowed(ReportStatus.Name, st.Stage) ? MeasureLifecycle.Decide(st, report) : Decision.Accept());
        }
    }

    private static string HealthOf(string title, int quarter, int seed) => title switch
    {
        Slipping => quarter switch { < 2 => StatusHealth.OnTrack, < 4 => StatusHealth.AtRisk, _ => StatusHealth.OffTrack },
        Paused when quarter == 2 => StatusHealth.Paused,
        // Most quarters on track; now and then at risk, so the health history is not flat.
        _ => (seed + quarter) % 5 == 0 ? StatusHealth.AtRisk : StatusHealth.OnTrack,
    };

    private static string Narrative(string health) => health switch
    {
        StatusHealth.OnTrack => "Arbeiten laufen nach Plan; die Meilensteine des Quartals sind erreicht.",
        StatusHealth.AtRisk => "Verzögerungen bei Beschaffung und Abstimmung gefährden den nächsten Meilenstein.",
        StatusHealth.OffTrack => "Der Zeitplan ist nicht mehr zu halten; die Lenkungsgruppe berät über eine Neuplanung.",
        _ => "Pausiert, bis die Finanzierung für das Folgejahr geklärt ist.",
    };
}
