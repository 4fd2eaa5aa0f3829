using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Testing;

/// <summary>Valid commands for every lifecycle step, matching each other (milestone, indicator and risk ids).</summary>
public static class Samples
{
    public static readonly DateOnly PilotStart = new(2024, 3, 1);
    public static readonly DateOnly PilotEnd = new(2025, 2, 28);

    public static ProposeMeasure Propose(string lead = "ba-charlottenburg-wilmersdorf", string title = "Smart Space Hardenbergplatz") => new(
        title,
        "Der Platz ist unübersichtlich und für viele Menschen schwer nutzbar.",
        "Sensorik und Beteiligung für einen lebenswerten Platz.",
        "dezentral",
        lead,
        ["zp1", "zp2"],
        new IdeaSourceInput("verwaltung", lead, null));

    public static UnderstandProblem UnderstandProblem() => new(
        [
            new AffectedGroupInput("Anwohnende", "zivilgesellschaft", null),
            new AffectedGroupInput("Menschen mit Behinderung", "stille-gruppen", "menschen-mit-behinderung"),
        ],
        "Begehungen und Zählungen 2022.");

    public static DefineGoals DefineGoals() => new(
        [
            new ContributionInput("nachhaltig", 2, "Weniger Verkehr."),
            new ContributionInput("gemeinwohlorientiert", 3, "Platz für alle."),
            new ContributionInput("resilient", 1, "Daten für Hitzetage."),
            new ContributionInput("kooperativ", 3, "Bezirk und Senat gemeinsam."),
        ],
        ["zp1", "zp2"],
        [new IndicatorInput("aufenthalt", "Aufenthaltsdauer", "min", 5, 15)]);

    public static MandateMeasure Mandate(string lead = "ba-charlottenburg-wilmersdorf", params string[] participating) => new(
        lead,
        participating.Length > 0 ? participating : ["senmvku", "sensbw"],
        new BudgetInput(250_000m, "EUR"),
        "Modellprojekte Smart Cities (BMWSB/KfW)",
        [new ResponsibilityInput(lead, "Projektleitung")]);

    public static StartPilot StartPilot() => new(
        "Sensoren, Stadtmöbel, Beteiligung vor Ort.",
        PilotStart,
        PilotEnd,
        [new MilestoneInput("m1", "Sensoren installiert", new DateOnly(2024, 5, 1)), new MilestoneInput("m2", "Erste Auswertung", new DateOnly(2024, 10, 1))]);

    public static ReachMilestone ReachMilestone() => new("m1", new DateOnly(2024, 4, 28));
    public static MissMilestone MissMilestone() => new("m2", "Lieferverzug der Sensoren.");
    public static RescheduleMilestone RescheduleMilestone() => new("m2", new DateOnly(2024, 12, 1));
    public static RecordParticipation RecordParticipation() => new(
        "vor-ort", new DateOnly(2024, 6, 15), ["zivilgesellschaft", "stille-gruppen"], ["kinder-jugendliche"], 42, "Platzfest");
    public static RecordMeasurement RecordMeasurement() => new("aufenthalt", 9.5m, new DateOnly(2024, 9, 1), "Zählung");
    public static RecordRisk RecordRisk() => new("r1", "conflict", "Lieferverkehr gegen Aufenthalt.");
    public static ResolveRisk ResolveRisk() => new("r1", "Lieferzonen zeitlich begrenzt.");
    public static StartEvaluation StartEvaluation() => new(null);
    public static CompleteEvaluation CompleteEvaluation() => new(
        [new IndicatorFindingInput("aufenthalt", "Verdoppelt.", true)],
        [
            new PrincipleFindingInput("nachhaltig", "Weniger Durchgangsverkehr."),
            new PrincipleFindingInput("gemeinwohlorientiert", "Mehr Nutzung."),
            new PrincipleFindingInput("resilient", "Hitzedaten nutzbar."),
            new PrincipleFindingInput("kooperativ", "Gute Zusammenarbeit."),
        ],
        ["Früh beteiligen."]);
    public static ScaleMeasure Scale() => new("scaled", ["ba-mitte", "ba-pankow"], "Übertragung auf zwei Plätze.");
    public static IterateMeasure Iterate() => new("Zweiter Zyklus mit mehr Sitzgelegenheiten.");
    public static StopMeasure Stop() => new("Kein Nutzen messbar.", ["Ziele früher schärfen."]);
    public static WithdrawMeasure Withdraw() => new("Doppelt zu einer anderen Maßnahme.");
    public static ArchiveMeasure Archive() => new("Abgeschlossen.");
    public static AmendDetails AmendDetails() => new("Smart Space Hardenbergplatz (neu)", null, null);
    public static ChangeTeam ChangeTeam() => new(["senmvku", "senwienbe"], null);
}
