using System.Security.Cryptography;
using System.Text;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Seed;

/// <summary>A demo measure: its proposal and the steps that follow, each a day offset from the start.</summary>
public sealed record DemoMeasure(Guid Id, ProposeMeasure Proposal, DateTimeOffset Start, IReadOnlyList<(int Offset, Func<MeasureState, Decision> Step)> Steps);

/// <summary>How far a demo measure has come.</summary>
public enum DemoEnd
{
    Idea, ProblemUnderstood, GoalsDefined, Mandated, Pilot, Evaluation, Evaluated,
    Scaled, Permanent, Iterated, IteratedPilot, IteratedThenScaled, Stopped, Withdrawn, ScaledArchived, StoppedArchived,
}

/// <summary>
/// Demo data: the strategy's real measures (facts from public sources, descriptions in our words)
/// and fictional ones marked "(fiktiv)", spread over all stages, administrations and perspectives.
/// </summary>
public static class DemoMeasures
{
    private sealed record Spec(
        string Title, string Problem, string Type, string Lead, string[] Team, string[] Perspectives,
        DateOnly Start, DemoEnd End, string IndicatorCode, string IndicatorName, string Unit, decimal Baseline, decimal Target,
        string Source = "verwaltung", bool Fictional = false, string? Description = null, string? Programme = null);

    /// <summary>The demo programme: the Smart City model project whose sub-projects are demo measures themselves.</summary>
    public const string SmartCityProgramme = "Modellprojekt Smart City Berlin";

    private static readonly Spec[] _specs =
    [
        new(SmartCityProgramme, "Die Teilprojekte der Smart-City-Förderung laufen nebeneinander, ohne gemeinsamen Überblick.", "zentral",
            "skzl", ["citylab", "tsb"], ["zp5", "zp7"], new(2021, 11, 1), DemoEnd.Mandated,
            "teilprojekte", "Teilprojekte mit abgeschlossenem Piloten", "Anzahl", 0, 4,
            Description: "Programm: bündelt die Teilprojekte des Modellprojekts Smart Cities (BMWSB/KfW) und zeigt ihren gemeinsamen Fortschritt."),
        new("Smart Space Hardenbergplatz", "Der Hardenbergplatz ist laut, unübersichtlich und lädt kaum zum Verweilen ein.", "dezentral",
            "ba-charlottenburg-wilmersdorf", ["senmvku", "senwienbe", "sensbw"], ["zp1", "zp2"], new(2022, 3, 1), DemoEnd.Pilot,
            "aufenthalt", "Mittlere Aufenthaltsdauer", "min", 4, 12, Description: "Modellprojekt: Sensorik, Beteiligung und Stadtmöbel für einen Platz für alle.", Programme: SmartCityProgramme),
        new("Data & Smart City Governance am Beispiel Luftgütemanagement", "Luftgütedaten liegen verstreut vor und fließen kaum in Entscheidungen ein.", "netzwerk",
            "hiig", ["kwb", "siemens", "senmvku", "senwienbe"], ["zp4", "zp7"], new(2022, 7, 1), DemoEnd.ScaledArchived,
            "datensaetze", "Gemeinsam genutzte Datensätze", "Anzahl", 0, 8, Source: "netzwerkpartner", Programme: SmartCityProgramme),
        new("Smart Water – Wasser und Stadtgrün klimagerecht gestalten", "Stadtgrün leidet unter Trockenheit, Regenwasser fließt ungenutzt ab.", "netzwerk",
            "kwb", ["tsb", "bwb", "senmvku", "sensbw"], ["zp1", "zp4"], new(2022, 7, 1), DemoEnd.Evaluation,
            "versickerung", "Versickerte Regenwassermenge", "m³", 0, 5000, Source: "netzwerkpartner", Programme: SmartCityProgramme),
        new("Kiezbox 2.0 – Daten in Alltag und Krise", "Im Krisenfall fehlen im Kiez Kommunikationswege und lokale Daten.", "zentral",
            "tsb", ["skzl", "ba-tempelhof-schoeneberg"], ["zp1", "zp5"], new(2023, 2, 1), DemoEnd.Evaluated,
            "kiezboxen", "Betriebene Kiezboxen", "Anzahl", 0, 20, Description: "Pilotgebiet Schöneberg.", Programme: SmartCityProgramme),
        new("Smarte Partizipation – von der Kiezkasse bis zum Bürger:innenhaushalt", "Beteiligung an Bezirksfinanzen erreicht nur wenige.", "dezentral",
            "ba-treptow-koepenick", [], ["zp5", "zp2"], new(2023, 6, 1), DemoEnd.IteratedPilot,
            "beteiligte", "Beteiligte Personen je Verfahren", "Personen", 150, 600),
        new("Mobiles CityLAB / Kiezlabor", "Digitale Beteiligung erreicht Menschen nicht dort, wo sie leben.", "netzwerk",
            "citylab", ["skzl"], ["zp5", "zp6"], new(2022, 1, 15), DemoEnd.StoppedArchived,
            "standorte", "Besuchte Standorte", "Anzahl", 0, 24, Source: "netzwerkpartner"),
        new("Transparenz und Offenheit bei der Umsetzung von Digitalvorhaben", "Der Stand der Digitalvorhaben ist von außen kaum nachvollziehbar.", "zentral",
            "skzl", ["itdz"], ["zp7", "zp5"], new(2023, 1, 10), DemoEnd.Mandated,
            "vorhaben", "Vorhaben mit öffentlichen Kennzahlen", "%", 0, 80, Description: "Ein Dashboard aller Maßnahmen mit Kennzahlen."),
        new("Formulare von der Verwaltung gut verstehen", "Verwaltungsformulare sind für viele Menschen schwer verständlich.", "arena-der-ideen",
            "seninnsport", [], ["zp6", "zp7"], new(2022, 9, 1), DemoEnd.GoalsDefined,
            "verstaendlich", "Als verständlich bewertete Formulare", "%", 30, 70, Source: "arena-der-ideen"),
        new("Arena der Ideen", "Ideen der Stadtgesellschaft finden keinen Weg in die Strategie.", "zentral",
            "skzl", ["citylab"], ["zp5"], new(2022, 3, 1), DemoEnd.Permanent,
            "profile", "Ausgearbeitete Maßnahmenprofile", "Anzahl", 0, 70, Description: "Über 400 Vorschläge wurden zu rund 70 Profilen."),
        new("Gieß-App für Straßenbäume (fiktiv)", "Straßenbäume vertrocknen, Freiwillige wissen nicht, wo Wasser fehlt.", "netzwerk",
            "tsb", ["senmvku", "ba-mitte"], ["zp1", "zp4"], new(2023, 4, 1), DemoEnd.Scaled,
            "baeume", "Regelmäßig gegossene Bäume", "Anzahl", 500, 5000, Source: "arena-der-ideen", Fictional: true),
        new("Schul-WLAN in allen Bezirken (fiktiv)", "Viele Schulen haben kein verlässliches WLAN im Unterricht.", "dezentral",
            "senbjf", ["ba-neukoelln", "ba-spandau", "itdz"], ["zp6"], new(2023, 9, 1), DemoEnd.Pilot,
            "schulen", "Schulen mit flächendeckendem WLAN", "%", 35, 95, Fictional: true),
        new("Parksensoren im Wirtschaftsverkehr (fiktiv)", "Lieferverkehr parkt in zweiter Reihe, Ladezonen sind belegt.", "dezentral",
            "ba-friedrichshain-kreuzberg", ["senmvku"], ["zp4", "zp1"], new(2023, 3, 1), DemoEnd.Stopped,
            "zweite-reihe", "Halten in zweiter Reihe je Stunde", "Vorgänge", 14, 5, Fictional: true),
        new("Urbane Datenplattform (fiktiv)", "Daten der Verwaltung liegen in Silos und sind schwer nutzbar.", "zentral",
            "skzl", ["itdz", "senwienbe", "ba-lichtenberg"], ["zp7", "zp3"], new(2022, 11, 1), DemoEnd.IteratedThenScaled,
            "datensaetze", "Offene Datensätze auf der Plattform", "Anzahl", 40, 400, Fictional: true),
        new("Datenkompetenzzentrum der Verwaltung (fiktiv)", "Beschäftigten fehlt Unterstützung im Umgang mit Daten.", "zentral",
            "skzl", ["senfin", "ba-pankow"], ["zp7", "zp6"], new(2024, 1, 15), DemoEnd.Pilot,
            "beratungen", "Beratene Dienststellen", "Anzahl", 0, 60, Fictional: true),
        new("Barrierefreie öffentliche Räume (fiktiv)", "Menschen mit Behinderung finden kaum Informationen über barrierefreie Wege.", "dezentral",
            "ba-marzahn-hellersdorf", ["senasgiva", "ba-lichtenberg"], ["zp2", "zp1"], new(2024, 2, 1), DemoEnd.ProblemUnderstood,
            "wege", "Kartierte barrierefreie Wege", "km", 0, 120, Fictional: true),
        new("Digitale Terminbuchung in Bürgerämtern (fiktiv)", "Termine in Bürgerämtern sind knapp und schwer zu bekommen.", "dezentral",
            "ba-reinickendorf", ["seninnsport", "ba-steglitz-zehlendorf"], ["zp7"], new(2023, 5, 1), DemoEnd.Evaluated,
            "wartezeit", "Mittlere Wartezeit auf einen Termin", "Tage", 21, 7, Fictional: true),
        new("Kiezlabor Klimaanpassung (fiktiv)", "Hitzeinseln im Kiez sind bekannt, aber nicht gemeinsam bearbeitet.", "netzwerk",
            "hochschulen", ["ba-neukoelln", "zivilgesellschaft-org"], ["zp1", "zp4"], new(2024, 4, 1), DemoEnd.Idea,
            "hitzeorte", "Entschärfte Hitzeorte", "Anzahl", 0, 10, Source: "netzwerkpartner", Fictional: true),
        new("Offene Vergabeplattform (fiktiv)", "Vergaben sind für kleine Unternehmen schwer zugänglich.", "zentral",
            "senwienbe", ["senfin"], ["zp4", "zp7"], new(2023, 10, 1), DemoEnd.Withdrawn,
            "bieter", "Bietende KMU je Vergabe", "Anzahl", 2, 5, Fictional: true),
        new("Jugendbeteiligung digital (fiktiv)", "Kinder und Jugendliche werden bei Planungen selten gehört.", "dezentral",
            "ba-pankow", ["senbjf"], ["zp5", "zp6"], new(2023, 2, 15), DemoEnd.Evaluation,
            "jugendliche", "Beteiligte Jugendliche", "Personen", 50, 400, Fictional: true),
        new("Smarte Straßenbeleuchtung (fiktiv)", "Straßenlaternen verbrauchen viel Energie, auch wenn niemand unterwegs ist.", "dezentral",
            "ba-spandau", ["senmvku"], ["zp4"], new(2022, 10, 1), DemoEnd.ScaledArchived,
            "energie", "Energieverbrauch je Laterne", "kWh/Jahr", 420, 250, Fictional: true),
        new("Ehrenamtsbörse für Geflüchtete (fiktiv)", "Geflüchtete finden schwer Zugang zu Ehrenamt und Nachbarschaft.", "netzwerk",
            "zivilgesellschaft-org", ["senasgiva", "ba-mitte"], ["zp6", "zp2"], new(2023, 7, 1), DemoEnd.Mandated,
            "vermittlungen", "Vermittlungen ins Ehrenamt", "Anzahl", 0, 300, Source: "stadtgremium", Fictional: true),
        new("Open-Data-Kiezatlas (fiktiv)", "Kiezdaten sind nicht in einer Karte zusammengeführt.", "arena-der-ideen",
            "ba-steglitz-zehlendorf", ["tsb"], ["zp1", "zp5"], new(2024, 3, 1), DemoEnd.Idea,
            "layer", "Veröffentlichte Kartenebenen", "Anzahl", 0, 25, Source: "arena-der-ideen", Fictional: true),
        new("Regionale Mobilitätsdaten Berlin-Brandenburg (fiktiv)", "Pendlerströme über die Landesgrenze sind kaum erfasst.", "netzwerk",
            "senmvku", ["hochschulen", "itdz"], ["zp3", "zp4"], new(2023, 8, 1), DemoEnd.Iterated,
            "pendler", "Erfasste Pendlerrelationen", "Anzahl", 10, 120, Source: "netzwerkpartner", Fictional: true),
        new("KI-Assistenz im Bürgerservice (fiktiv)", "Anfragen an den Bürgerservice bleiben lange liegen.", "zentral",
            "itdz", ["skzl", "ba-tempelhof-schoeneberg"], ["zp7"], new(2024, 5, 1), DemoEnd.StoppedArchived,
            "antwortzeit", "Mittlere Antwortzeit", "Stunden", 72, 24, Fictional: true),
        new("Digitale Kulturorte (fiktiv)", "Kulturangebote erreichen viele Menschen im Bezirk nicht.", "dezentral",
            "senkultgz", ["ba-charlottenburg-wilmersdorf"], ["zp6", "zp5"], new(2024, 6, 1), DemoEnd.GoalsDefined,
            "besuche", "Digitale Besuche je Monat", "Anzahl", 1000, 5000, Fictional: true),
        new("Gesundheitskiosk digital (fiktiv)", "Gesundheitsangebote im Kiez sind schwer zu finden.", "dezentral",
            "senwgp", ["ba-neukoelln"], ["zp1", "zp6"], new(2024, 7, 1), DemoEnd.Withdrawn,
            "nutzende", "Nutzende je Monat", "Personen", 0, 800, Fictional: true),
    ];

    public static IReadOnlyList<DemoMeasure> All() => [.. _specs.Select(s => WithControlling(Located(InProgramme(Build(s), s.Programme), s.Title)))];

    /// <summary>The measure's plan links and quarterly status reports (<see cref="DemoControlling"/>) among its steps, in time order.</summary>
    private static DemoMeasure WithControlling(DemoMeasure measure)
    {
        var title = measure.Proposal.Title!;
        return measure with
        {
            Steps = [.. measure.Steps.Concat(DemoControlling.Plans(title)).Concat(DemoControlling.Reports(title, measure.Start)).OrderBy(s => s.Offset)],
        };
    }

    private static GeoShape Box(double west, double south, double east, double north) =>
        // Counter-clockwise, as RFC 7946 and the service's check store it.
        GeoShape.Polygon([[new(west, south), new(east, south), new(east, north), new(west, north), new(west, south)]]);

    /// <summary>Where demo measures take place: real places in Berlin (outlines simplified to boxes), with the districts they lie in.</summary>
    public static readonly IReadOnlyDictionary<string, MeasureLocation> Places = new Dictionary<string, MeasureLocation>
    {
        ["Smart Space Hardenbergplatz"] = new(Box(13.3315, 52.5062, 13.3340, 52.5075), ["ba-charlottenburg-wilmersdorf"]),
        ["Kiezbox 2.0 – Daten in Alltag und Krise"] = new(GeoShape.Point(new(13.3443, 52.4849)), ["ba-tempelhof-schoeneberg"]), // Rathaus Schöneberg
        ["Gieß-App für Straßenbäume (fiktiv)"] = new(Box(13.3650, 52.5150, 13.4200, 52.5400), ["ba-mitte"]), // Mitte between Tiergarten and Alexanderplatz
        ["Kiezlabor Klimaanpassung (fiktiv)"] = new(Box(13.3900, 52.4680, 13.4180, 52.4810), // Tempelhofer Feld
            ["ba-friedrichshain-kreuzberg", "ba-tempelhof-schoeneberg", "ba-neukoelln"]),
        ["Barrierefreie öffentliche Räume (fiktiv)"] = new(Box(13.5400, 52.5400, 13.5600, 52.5500), ["ba-marzahn-hellersdorf"]), // Marzahner Promenade
        ["Parksensoren im Wirtschaftsverkehr (fiktiv)"] = new(GeoShape.Point(new(13.3925, 52.4890)), ["ba-friedrichshain-kreuzberg"]), // Bergmannstraße
        ["Smarte Straßenbeleuchtung (fiktiv)"] = new(GeoShape.Point(new(13.2010, 52.5360)), ["ba-spandau"]), // Altstadt Spandau
        ["Open-Data-Kiezatlas (fiktiv)"] = new(GeoShape.Point(new(13.3206, 52.4566)), ["ba-steglitz-zehlendorf"]), // Rathaus Steglitz
        ["Digitale Terminbuchung in Bürgerämtern (fiktiv)"] = new(GeoShape.Point(new(13.3040, 52.5830)), ["ba-reinickendorf"]), // Rathaus Reinickendorf
    };

    /// <summary>A demo measure with a place gets its location two days after its proposal.</summary>
    private static DemoMeasure Located(DemoMeasure measure, string title)
    {
        if (!Places.TryGetValue(title, out var place))
        {
            return measure;
        }
        var set = new SetLocation(System.Text.Json.JsonSerializer.SerializeToElement(place.Geometry), place.Districts) { Checked = GeometryCheck.Valid(place.Geometry) };
        return measure with
        {
            Steps = [.. measure.Steps.Where(s => s.Offset <= 2), (2, st => MeasureLifecycle.Decide(st, set)), .. measure.Steps.Where(s => s.Offset > 2)],
        };
    }

    /// <summary>A sub-project is attached to its programme the day after its proposal (the programme is older).</summary>
    private static DemoMeasure InProgramme(DemoMeasure measure, string? programme)
    {
        if (programme is null)
        {
            return measure;
        }
        var id = IdFor(programme);
        return measure with
        {
            Steps = [(1, st => MeasureLifecycle.Decide(st, new AttachToProgramme(id) { Tree = new ProgrammeTree(true, false, [id], 0) })), .. measure.Steps],
        };
    }

    public static Guid IdFor(string title) => new(MD5.HashData(Encoding.UTF8.GetBytes("gemeinsamdigital-demo:" + title)));

    private static DemoMeasure Build(Spec s)
    {
        var description = s.Fictional ? $"{s.Description ?? "Demo-Maßnahme."} (fiktiv)" : s.Description;
        var proposal = new ProposeMeasure(s.Title, s.Problem, description, s.Type, s.Lead, s.Perspectives,
            new IdeaSourceInput(s.Source, s.Source == "verwaltung" ? s.Lead : null, null));
        var start = new DateTimeOffset(s.Start.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        var steps = new List<(int, Func<MeasureState, Decision>)>();
        var day = 0;
        // Stays vary per measure (up to half as long again), so cycle times have a spread.
        var seed = s.Title.Sum(c => (int)c);
        void Step(int after, Func<MeasureState, Decision> step) => steps.Add((day += after + seed * (steps.Count + 3) % (after / 2 + 1), step));

        var pilotStart = s.Start.AddDays(120);
        var pilotEnd = pilotStart.AddDays(365);
        var underHeard = UnderHeardGroupsFor(s);
        var reachedStille = underHeard.Count > 0;

        if (s.End is DemoEnd.Idea)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        Step(21, st => MeasureLifecycle.Decide(st, new UnderstandProblem(
            [
                new AffectedGroupInput("Anwohnende und Nutzende", "zivilgesellschaft", null),
                new AffectedGroupInput("Beschäftigte der Verwaltung", "staat", null),
                .. underHeard.Take(1).Select(u => new AffectedGroupInput(StrategyCatalog.UnderHeardGroups.Single(g => g.Code == u).Label, "stille-gruppen", u)),
            ],
            "Bestandsaufnahme, Gespräche und vorhandene Daten.")));
        if (s.End is DemoEnd.ProblemUnderstood)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        if (s.End is DemoEnd.Withdrawn)
        {
            Step(30, st => MeasureLifecycle.Decide(st, new WithdrawMeasure("Ziel wird in einer anderen Maßnahme verfolgt.")));
            return new(IdFor(s.Title), proposal, start, steps);
        }
        Step(30, st => MeasureLifecycle.Decide(st, new DefineGoals(
            [
                new ContributionInput("nachhaltig", s.Perspectives.Contains("zp4") ? 3 : s.Perspectives.Contains("zp1") ? 2 : s.Perspectives.Contains("zp7") ? 0 : 1, "Ressourcen schonen."),
                new ContributionInput("gemeinwohlorientiert", reachedStille ? 3 : 2, "Nutzen für alle Berliner:innen."),
                new ContributionInput("resilient", s.Perspectives.Contains("zp3") ? 3 : s.Perspectives.Contains("zp1") ? 2 : 1, "Robust in Krisen."),
                new ContributionInput("kooperativ", Math.Min(s.Team.Length + 1, DefineGoals.MaxWeight), "Gemeinsam mit Partnern."),
            ],
            s.Perspectives,
            [new IndicatorInput(s.IndicatorCode, s.IndicatorName, s.Unit, s.Baseline, s.Target)])));
        if (s.End is DemoEnd.GoalsDefined)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        Step(45, st => MeasureLifecycle.Decide(st, new MandateMeasure(s.Lead, s.Team, new BudgetInput(50_000m * (s.Team.Length + 1), "EUR"),
            s.Type == "netzwerk" ? "Modellprojekte Smart Cities (BMWSB/KfW)" : "Landeshaushalt",
            [new ResponsibilityInput(s.Lead, "Projektleitung"), .. s.Team.Take(2).Select(t => new ResponsibilityInput(t, "Fachliche Mitwirkung"))])));
        if (s.End is DemoEnd.Mandated)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        AddPilot(Step, s, pilotStart, pilotEnd, first: true, underHeard, running: s.End is DemoEnd.Pilot);
        if (s.End is DemoEnd.Pilot)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        Step(10, st => MeasureLifecycle.Decide(st, new StartEvaluation("Pilot abgeschlossen.")));
        var met = s.End is not (DemoEnd.Stopped or DemoEnd.StoppedArchived);
        Step(20, st => MeasureLifecycle.Decide(st, new RecordMeasurement(s.IndicatorCode,
            met ? s.Target : Progress(s, 0.5m), pilotEnd.AddDays(25), "Abschlussmessung")));
        if (s.End is DemoEnd.Evaluation)
        {
            return new(IdFor(s.Title), proposal, start, steps);
        }
        AddEvaluation(Step, s, met);
        switch (s.End)
        {
            case DemoEnd.Scaled or DemoEnd.ScaledArchived:
                Step(30, st => MeasureLifecycle.Decide(st, new ScaleMeasure("scaled", ["ba-mitte", "ba-pankow", "ba-lichtenberg"], "Übertragung in weitere Bezirke.")));
                break;
            case DemoEnd.Permanent:
                Step(30, st => MeasureLifecycle.Decide(st, new ScaleMeasure("permanent", [], "Wird dauerhaft fortgeführt.")));
                break;
            case DemoEnd.Stopped or DemoEnd.StoppedArchived:
                Step(30, st => MeasureLifecycle.Decide(st, new StopMeasure("Die Wirkung blieb hinter dem Ziel zurück.", ["Problemverständnis früher mit Betroffenen prüfen."])));
                break;
            case DemoEnd.Iterated or DemoEnd.IteratedPilot or DemoEnd.IteratedThenScaled:
                Step(30, st => MeasureLifecycle.Decide(st, new IterateMeasure("Zweiter Zyklus mit geschärftem Konzept.")));
                if (s.End is not DemoEnd.Iterated)
                {
                    AddPilot(Step, s, pilotEnd.AddDays(90), pilotEnd.AddDays(90 + 270), first: false, underHeard, running: s.End is DemoEnd.IteratedPilot);
                }
                if (s.End is DemoEnd.IteratedThenScaled)
                {
                    Step(10, st => MeasureLifecycle.Decide(st, new StartEvaluation(null)));
                    AddEvaluation(Step, s, met: true);
                    Step(30, st => MeasureLifecycle.Decide(st, new ScaleMeasure("scaled", ["ba-spandau", "ba-reinickendorf"], "Ausweitung nach zweitem Zyklus.")));
                }
                break;
        }
        if (s.End is DemoEnd.ScaledArchived or DemoEnd.StoppedArchived)
        {
            Step(60, st => MeasureLifecycle.Decide(st, new ArchiveMeasure("Abgeschlossen und dokumentiert.")));
        }
        return new(IdFor(s.Title), proposal, start, steps);
    }

    /// <summary>A measured value that share of the way from baseline to target, to one decimal.</summary>
    private static decimal Progress(Spec s, decimal share) => Math.Round(s.Baseline + (s.Target - s.Baseline) * share, 1) / 1.000000000000000000000000000000000m;

    /// <summary>Stille Gruppen a measure's participation reaches, by the Zukunftsperspektiven it serves.</summary>
    private static List<string> UnderHeardGroupsFor(Spec s) =>
    [
        .. s.Perspectives.Contains("zp2") ? ["menschen-mit-behinderung"] : Array.Empty<string>(),
        .. s.Perspectives.Contains("zp6") ? ["kinder-jugendliche"] : Array.Empty<string>(),
        .. s.Perspectives.Contains("zp5") && s.Type == "dezentral" ? ["diskriminierungserfahrung"] : Array.Empty<string>(),
        .. s.Title.Contains("Geflüchtete", StringComparison.Ordinal) ? ["fluchterfahrung"] : Array.Empty<string>(),
        .. s.Perspectives.Contains("zp1") && s.Type == "dezentral" ? ["wohnungslose"] : Array.Empty<string>(),
    ];

    private static string FormatFor(Spec s, bool first) => !first ? "online-umfrage" : s.Type switch
    {
        "netzwerk" => "fachworkshop",
        "zentral" => "kommentierungsphase",
        "arena-der-ideen" => "stadtgremium",
        _ => s.Perspectives.Contains("zp5") ? "kiezlabor" : "vor-ort",
    };

    /// <summary>A pilot cycle; a running one ("running") has its second milestone missed, rescheduled and still open.</summary>
    private static void AddPilot(Action<int, Func<MeasureState, Decision>> step, Spec s, DateOnly from, DateOnly to, bool first, IReadOnlyList<string> underHeard, bool running)
    {
        var reachedStille = underHeard.Count > 0;
        string[] helix = s.Type switch
        {
            "netzwerk" => ["zivilgesellschaft", "wirtschaft", "wissenschaft"],
            "zentral" => ["staat", "wissenschaft"],
            _ => ["zivilgesellschaft", "staat"],
        };
        var m1 = first ? "m1" : "z2-m1";
        var m2 = first ? "m2" : "z2-m2";
        var risk = first ? "r1" : "z2-r1";
        step(30, st => MeasureLifecycle.Decide(st, new StartPilot($"Pilot {(first ? 1 : 2)}: erproben, messen, beteiligen.", from, to,
            [new MilestoneInput(m1, "Aufbau abgeschlossen", from.AddDays(60)), new MilestoneInput(m2, "Zwischenauswertung", from.AddDays(200))])));
        step(60, st => MeasureLifecycle.Decide(st, new ReachMilestone(m1, from.AddDays(58))));
        step(20, st => MeasureLifecycle.Decide(st, new RecordParticipation(FormatFor(s, first), from.AddDays(80),
            reachedStille ? [.. helix, "stille-gruppen"] : helix, underHeard, 30 + s.Title.Length * (first ? 2 : 1), "Rückmeldungen zum Pilot.")));
        step(30, st => MeasureLifecycle.Decide(st, new RecordMeasurement(s.IndicatorCode, Progress(s, 1m / 3), from.AddDays(110), "Zwischenmessung")));
        step(20, st => MeasureLifecycle.Decide(st, new RecordRisk(risk, "risk", "Verzögerung bei der Beschaffung.")));
        step(40, st => MeasureLifecycle.Decide(st, new MissMilestone(m2, "Beschaffung verzögert.")));
        step(5, st => MeasureLifecycle.Decide(st, new RescheduleMilestone(m2, from.AddDays(260))));
        step(40, st => MeasureLifecycle.Decide(st, new ResolveRisk(risk, "Alternative Lieferung gefunden.")));
        if (running)
        {
            step(45, st => MeasureLifecycle.Decide(st, new RecordMeasurement(s.IndicatorCode, Progress(s, 0.75m), from.AddDays(250), "Messung vor Ort")));
            return;
        }
        step(40, st => MeasureLifecycle.Decide(st, new ReachMilestone(m2, from.AddDays(255))));
        step(45, st => MeasureLifecycle.Decide(st, new RecordMeasurement(s.IndicatorCode, Progress(s, 2m / 3), from.AddDays(300), "Messung vor Ort")));
    }

    private static void AddEvaluation(Action<int, Func<MeasureState, Decision>> step, Spec s, bool met) =>
        step(40, st => MeasureLifecycle.Decide(st, new CompleteEvaluation(
            [new IndicatorFindingInput(s.IndicatorCode, met ? "Ziel erreicht." : "Ziel verfehlt.", met)],
            [
                new PrincipleFindingInput("nachhaltig", "Beitrag belegt."),
                new PrincipleFindingInput("gemeinwohlorientiert", "Breiter Nutzen."),
                new PrincipleFindingInput("resilient", "Robuster Betrieb."),
                new PrincipleFindingInput("kooperativ", "Zusammenarbeit über Verwaltungsgrenzen."),
            ],
            [met ? "Früh mit allen Beteiligten planen." : "Ziele realistischer setzen."])));
}
