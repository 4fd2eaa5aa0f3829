using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// One valid request body per command, shown as its OpenAPI example. Together they walk one
/// measure (Smart Space Hardenbergplatz) along its life, so ids and dates match each other:
/// milestone "m1"/"m2", indicator "aufenthalt", risk "r1". A test keeps them valid.
/// </summary>
public static class CommandExamples
{
    private static readonly DateOnly _pilotStart = new(2024, 3, 1);

    public static readonly IReadOnlyDictionary<Type, object> ByRequestType = new Dictionary<Type, object>
    {
        [typeof(ProposeMeasure)] = new ProposeMeasure(
            "Smart Space Hardenbergplatz",
            "Der Platz ist laut und unübersichtlich und lädt kaum zum Verweilen ein.",
            "Sensorik, Stadtmöbel und Beteiligung für einen Platz für alle.",
            "dezentral",
            "ba-charlottenburg-wilmersdorf",
            ["zp1", "zp2"],
            new IdeaSourceInput("verwaltung", "ba-charlottenburg-wilmersdorf", null)),
        [typeof(UnderstandProblem)] = new UnderstandProblem(
            [
                new AffectedGroupInput("Anwohnende und Gewerbe", "zivilgesellschaft", null),
                new AffectedGroupInput("Menschen mit Behinderung", "stille-gruppen", "menschen-mit-behinderung"),
            ],
            "Begehungen, Verkehrszählungen und Gespräche vor Ort 2022."),
        [typeof(DefineGoals)] = new DefineGoals(
            [
                new ContributionInput("nachhaltig", 2, "Weniger Durchgangsverkehr, mehr Grün."),
                new ContributionInput("gemeinwohlorientiert", 3, "Ein Platz, den alle nutzen können."),
                new ContributionInput("resilient", 1, "Messdaten für Hitzetage."),
                new ContributionInput("kooperativ", 3, "Bezirk und Senatsverwaltungen als ein Team."),
            ],
            ["zp1", "zp2"],
            [new IndicatorInput("aufenthalt", "Mittlere Aufenthaltsdauer", "min", 4, 12)]),
        [typeof(MandateMeasure)] = new MandateMeasure(
            "ba-charlottenburg-wilmersdorf",
            ["senmvku", "sensbw"],
            new BudgetInput(250_000m, "EUR"),
            "Modellprojekte Smart Cities (BMWSB/KfW)",
            [new ResponsibilityInput("ba-charlottenburg-wilmersdorf", "Projektleitung"), new ResponsibilityInput("senmvku", "Verkehrsplanung")]),
        [typeof(StartPilot)] = new StartPilot(
            "Sensoren und Stadtmöbel aufstellen, vor Ort beteiligen, Aufenthalt messen.",
            _pilotStart,
            new DateOnly(2025, 2, 28),
            [new MilestoneInput("m1", "Sensoren installiert", new DateOnly(2024, 5, 1)), new MilestoneInput("m2", "Erste Auswertung", new DateOnly(2024, 10, 1))]),
        [typeof(ReachMilestone)] = new ReachMilestone("m1", new DateOnly(2024, 4, 28)),
        [typeof(MissMilestone)] = new MissMilestone("m2", "Lieferverzug der Sensoren."),
        [typeof(RescheduleMilestone)] = new RescheduleMilestone("m2", new DateOnly(2024, 12, 1)),
        [typeof(RecordParticipation)] = new RecordParticipation(
            "vor-ort", new DateOnly(2024, 6, 15), ["zivilgesellschaft", "stille-gruppen"], ["kinder-jugendliche"], 42, "Platzfest mit Kiezlabor."),
        [typeof(RecordMeasurement)] = new RecordMeasurement("aufenthalt", 9.5m, new DateOnly(2024, 9, 1), "Sensorzählung"),
        [typeof(RecordRisk)] = new RecordRisk("r1", "conflict", "Lieferverkehr und Aufenthalt konkurrieren um die Fläche."),
        [typeof(ResolveRisk)] = new ResolveRisk("r1", "Lieferzonen zeitlich begrenzt."),
        [typeof(StartEvaluation)] = new StartEvaluation("Pilot abgeschlossen, Wirkungsmessung beginnt."),
        [typeof(CompleteEvaluation)] = new CompleteEvaluation(
            [new IndicatorFindingInput("aufenthalt", "Aufenthaltsdauer verdreifacht.", true)],
            [
                new PrincipleFindingInput("nachhaltig", "Weniger Durchgangsverkehr."),
                new PrincipleFindingInput("gemeinwohlorientiert", "Mehr und vielfältigere Nutzung."),
                new PrincipleFindingInput("resilient", "Hitzedaten im Betrieb genutzt."),
                new PrincipleFindingInput("kooperativ", "Gute Zusammenarbeit über Ressortgrenzen."),
            ],
            ["Früh und vor Ort beteiligen.", "Lieferverkehr von Beginn an mitplanen."]),
        [typeof(ScaleMeasure)] = new ScaleMeasure("scaled", ["ba-mitte", "ba-pankow"], "Übertragung auf zwei weitere Plätze 2026."),
        [typeof(IterateMeasure)] = new IterateMeasure("Zweiter Zyklus mit mehr Sitzgelegenheiten und Verschattung."),
        [typeof(StopMeasure)] = new StopMeasure("Keine Wirkung auf die Aufenthaltsdauer messbar.", ["Ziele und Messung früher schärfen."]),
        [typeof(WithdrawMeasure)] = new WithdrawMeasure("Das Ziel wird in einer anderen Maßnahme verfolgt."),
        [typeof(ArchiveMeasure)] = new ArchiveMeasure("Abgeschlossen und dokumentiert."),
        [typeof(AmendDetails)] = new AmendDetails(null, null, "Sensorik, Stadtmöbel und Beteiligung für einen Platz für alle; mit Kiezlabor."),
        [typeof(ChangeTeam)] = new ChangeTeam(["senmvku", "sensbw", "senwienbe"], null),
    };
}
