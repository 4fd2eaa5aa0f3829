using GemeinsamDigital.Domain.Revisions;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// The one set of sample commands: the request examples of the OpenAPI document
/// (<see cref="ByRequestType"/>) and the valid commands the tests build on. Together they walk one
/// measure (Smart Space Hardenbergplatz) along its life, so ids and dates match each other:
/// milestone "m1"/"m2", indicator "aufenthalt" (baseline 5, target 15), risk "r1". It lives in the
/// domain, next to the commands, so that the service and both test projects share it without the
/// domain tests depending on the service. Tests assert some of these values: change one only
/// together with them.
/// </summary>
public static class SampleCommands
{
    public const string Lead = "ba-charlottenburg-wilmersdorf";
    public const string Title = "Smart Space Hardenbergplatz";

    public static readonly DateOnly PilotStart = new(2024, 3, 1);
    public static readonly DateOnly PilotEnd = new(2025, 2, 28);

    public static ProposeMeasure Propose(string lead = Lead, string title = Title) => new(
        title,
        "Der Platz ist laut und unübersichtlich und lädt kaum zum Verweilen ein.",
        "Sensorik, Stadtmöbel und Beteiligung für einen Platz für alle.",
        "dezentral",
        lead,
        ["zp1", "zp2"],
        new IdeaSourceInput("verwaltung", lead, null));

    public static UnderstandProblem UnderstandProblem() => new(
        [
            new AffectedGroupInput("Anwohnende und Gewerbe", "zivilgesellschaft", null),
            new AffectedGroupInput("Menschen mit Behinderung", "stille-gruppen", "menschen-mit-behinderung"),
        ],
        "Begehungen, Verkehrszählungen und Gespräche vor Ort 2022.");

    public static DefineGoals DefineGoals() => new(
        [
            new ContributionInput("nachhaltig", 2, "Weniger Durchgangsverkehr, mehr Grün."),
            new ContributionInput("gemeinwohlorientiert", 3, "Ein Platz, den alle nutzen können."),
            new ContributionInput("resilient", 1, "Messdaten für Hitzetage."),
            new ContributionInput("kooperativ", 3, "Bezirk und Senatsverwaltungen als ein Team."),
        ],
        ["zp1", "zp2"],
        [new IndicatorInput("aufenthalt", "Aufenthaltsdauer", "min", 5, 15)]);

    /// <summary>The lead is the only responsibility, so the sample stays valid for any team.</summary>
    public static MandateMeasure Mandate(string lead = Lead, params string[] participating) => new(
        lead,
        participating.Length > 0 ? participating : ["senmvku", "sensbw"],
        new BudgetInput(250_000m, "EUR"),
        "Modellprojekte Smart Cities (BMWSB/KfW)",
        [new ResponsibilityInput(lead, "Projektleitung")]);

    public static StartPilot StartPilot() => new(
        "Sensoren und Stadtmöbel aufstellen, vor Ort beteiligen, Aufenthalt messen.",
        PilotStart,
        PilotEnd,
        [new MilestoneInput("m1", "Sensoren installiert", new DateOnly(2024, 5, 1)), new MilestoneInput("m2", "Erste Auswertung", new DateOnly(2024, 10, 1))]);

    public static ReachMilestone ReachMilestone() => new("m1", new DateOnly(2024, 4, 28));

    public static MissMilestone MissMilestone() => new("m2", "Lieferverzug der Sensoren.");

    public static RescheduleMilestone RescheduleMilestone() => new("m2", new DateOnly(2024, 12, 1));

    public static RecordParticipation RecordParticipation() => new(
        "vor-ort", new DateOnly(2024, 6, 15), ["zivilgesellschaft", "stille-gruppen"], ["kinder-jugendliche"], 42, "Platzfest mit Kiezlabor.");

    public static RecordMeasurement RecordMeasurement() => new("aufenthalt", 9.5m, new DateOnly(2024, 9, 1), "Sensorzählung");

    public static RecordRisk RecordRisk() => new("r1", "conflict", "Lieferverkehr gegen Aufenthalt.");

    public static ResolveRisk ResolveRisk() => new("r1", "Lieferzonen zeitlich begrenzt.");

    public static StartEvaluation StartEvaluation() => new("Pilot abgeschlossen, Wirkungsmessung beginnt.");

    public static CompleteEvaluation CompleteEvaluation() => new(
        [new IndicatorFindingInput("aufenthalt", "Aufenthaltsdauer verdreifacht.", true)],
        [
            new PrincipleFindingInput("nachhaltig", "Weniger Durchgangsverkehr."),
            new PrincipleFindingInput("gemeinwohlorientiert", "Mehr und vielfältigere Nutzung."),
            new PrincipleFindingInput("resilient", "Hitzedaten im Betrieb genutzt."),
            new PrincipleFindingInput("kooperativ", "Gute Zusammenarbeit über Ressortgrenzen."),
        ],
        ["Früh beteiligen."]);

    public static ScaleMeasure Scale() => new("scaled", ["ba-mitte", "ba-pankow"], "Übertragung auf zwei Plätze.");

    public static IterateMeasure Iterate() => new("Zweiter Zyklus mit mehr Sitzgelegenheiten.");

    public static StopMeasure Stop() => new("Kein Nutzen messbar.", ["Ziele früher schärfen."]);

    public static WithdrawMeasure Withdraw() => new("Doppelt zu einer anderen Maßnahme.");

    public static ArchiveMeasure Archive() => new("Abgeschlossen und dokumentiert.");

    public static AmendDetails AmendDetails() => new(Title + " (neu)", null, null);

    public static ChangeTeam ChangeTeam() => new(["senmvku", "senwienbe"], null);

    public static AssignExternalId AssignExternalId() => new("BA-CW-2024-017");

    /// <summary>The programme of the samples' attach command (the service looks it up; the sample's tree says it is a root programme).</summary>
    public static readonly Guid Programme = Guid.Parse("0193a000-0000-7000-8000-0000000000b1");

    public static AttachToProgramme AttachToProgramme(Guid? programme = null) =>
        new(programme ?? Programme) { Tree = new ProgrammeTree(true, false, [programme ?? Programme], 0) };

    public static DetachFromProgramme DetachFromProgramme() => new(Programme);

    /// <summary>Hardenbergplatz in Charlottenburg (longitude, latitude).</summary>
    public static readonly GeoPosition Hardenbergplatz = new(13.3326, 52.5068);

    /// <summary>A point at Hardenbergplatz, checked as the service checks it (the domain cannot: the check is NetTopologySuite's).</summary>
    public static SetLocation SetLocation() =>
        new(System.Text.Json.JsonSerializer.SerializeToElement(GeoShape.Point(Hardenbergplatz)), ["ba-charlottenburg-wilmersdorf"])
        {
            Checked = GeometryCheck.Valid(GeoShape.Point(Hardenbergplatz)),
        };
    public static ReportStatus ReportStatus() => new(
        "2024-Q2", "at-risk", "Sensoren installiert; die erste Auswertung verzögert sich wegen Lieferverzugs.",
        ["Lieferverzug der Sensoren"], ["Auswertung bis Dezember nachholen"], 40, new DateOnly(2024, 6, 28));

    public static LinkPlan LinkPlan() => new("bek-2030", "Sensordaten zu Hitze und Aufenthalt fließen in das Monitoring der Klimaanpassung.");

    public static UnlinkPlan UnlinkPlan() => new("bek-2030", "Die Klimadaten liefert nun ein eigenes Projekt.");

    public static Controlling.SetReportingCadence SetReportingCadence() => new(null, "quarterly", 15);

    public static OpenRevisionPhase OpenRevisionPhase() => new(
        "Fortschreibung 2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), new RevisionScopeInput(null, null, null, "zp1"));

    public static RecordRevisionLesson RecordRevisionLesson() => new(
        "Beteiligung früh planen: Formate vor Ort erreichen Stille Gruppen besser.", null, ["gemeinwohlorientiert"], ["zp1"]);

    public static Catalog.AddCatalogEntry AddCatalogEntry() => new(
        Catalog.CatalogLists.UnderHeardGroups, "aeltere-menschen", "Ältere Menschen", "Older people", "Alte Menschen", null);

    public static Catalog.RelabelCatalogEntry RelabelCatalogEntry() => new(
        Catalog.CatalogLists.FuturePerspectives, "zp2", null, null, "Eine Stadt, in der alle Menschen gut leben können");

    public static Catalog.RetireCatalogEntry RetireCatalogEntry() => new(Catalog.CatalogLists.ParticipationFormats, "kiezlabor");

    public static Catalog.ReplaceCatalogEntry ReplaceCatalogEntry() => new(Catalog.CatalogLists.ParticipationFormats, "kiezlabor", "vor-ort");

    /// <summary>One sample per request type: the request examples of the OpenAPI document.</summary>
    public static readonly IReadOnlyDictionary<Type, object> ByRequestType = new Dictionary<Type, object>
    {
        [typeof(ProposeMeasure)] = Propose(),
        [typeof(UnderstandProblem)] = UnderstandProblem(),
        [typeof(DefineGoals)] = DefineGoals(),
        [typeof(MandateMeasure)] = Mandate(),
        [typeof(StartPilot)] = StartPilot(),
        [typeof(ReachMilestone)] = ReachMilestone(),
        [typeof(MissMilestone)] = MissMilestone(),
        [typeof(RescheduleMilestone)] = RescheduleMilestone(),
        [typeof(RecordParticipation)] = RecordParticipation(),
        [typeof(RecordMeasurement)] = RecordMeasurement(),
        [typeof(RecordRisk)] = RecordRisk(),
        [typeof(ResolveRisk)] = ResolveRisk(),
        [typeof(StartEvaluation)] = StartEvaluation(),
        [typeof(CompleteEvaluation)] = CompleteEvaluation(),
        [typeof(ScaleMeasure)] = Scale(),
        [typeof(IterateMeasure)] = Iterate(),
        [typeof(StopMeasure)] = Stop(),
        [typeof(WithdrawMeasure)] = Withdraw(),
        [typeof(ArchiveMeasure)] = Archive(),
        [typeof(AmendDetails)] = AmendDetails(),
        [typeof(ChangeTeam)] = ChangeTeam(),
        [typeof(AssignExternalId)] = AssignExternalId(),
        [typeof(AttachToProgramme)] = AttachToProgramme(),
        [typeof(DetachFromProgramme)] = DetachFromProgramme(),
        [typeof(SetLocation)] = SetLocation(),
        [typeof(ReportStatus)] = ReportStatus(),
        [typeof(LinkPlan)] = LinkPlan(),
        [typeof(UnlinkPlan)] = UnlinkPlan(),
        [typeof(Controlling.SetReportingCadence)] = SetReportingCadence(),
        [typeof(OpenRevisionPhase)] = OpenRevisionPhase(),
        [typeof(RecordRevisionLesson)] = RecordRevisionLesson(),
        [typeof(Catalog.AddCatalogEntry)] = AddCatalogEntry(),
        [typeof(Catalog.RelabelCatalogEntry)] = RelabelCatalogEntry(),
        [typeof(Catalog.RetireCatalogEntry)] = RetireCatalogEntry(),
        [typeof(Catalog.ReplaceCatalogEntry)] = ReplaceCatalogEntry(),
    };
}
