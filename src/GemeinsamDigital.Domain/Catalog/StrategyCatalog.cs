namespace GemeinsamDigital.Domain.Catalog;

/// <summary>
/// One catalogue entry: a stable code used in commands and events, and the German label users see;
/// for the lists the strategy office keeps (<see cref="CatalogLists"/>) also its Leichte Sprache label,
/// whether it is active or retired, and the code that replaced it.
/// </summary>
public sealed record CatalogEntry(string Code, string Label, string? Group = null, string? EnglishLabel = null,
    string? EasyLabel = null, string? Status = null, string? ReplacedBy = null);

/// <summary>
/// The strategy's catalogue (Leitgedanken, Zukunftsperspektiven, measure types, stakeholder groups,
/// administrations). Codes are a public contract: never rename one, add a new code instead.
/// </summary>
public static class StrategyCatalog
{
    public static readonly IReadOnlyList<CatalogEntry> GuidingPrinciples =
    [
        new("nachhaltig", "Nachhaltig", EnglishLabel: "Sustainable"),
        new("gemeinwohlorientiert", "Gemeinwohlorientiert", EnglishLabel: "Common good"),
        new("resilient", "Resilient", EnglishLabel: "Resilient"),
        new("kooperativ", "Kooperativ", EnglishLabel: "Cooperative"),
    ];

    public static readonly IReadOnlyList<CatalogEntry> FuturePerspectives =
    [
        new("zp1", "Gesunde, vielfältige Kieze", "räumlich", "Healthy, diverse neighbourhoods"),
        new("zp2", "Inklusiver Stadtraum", "räumlich", "Inclusive urban space"),
        new("zp3", "Regionale Vernetzung", "räumlich", "Regional connection (Berlin-Brandenburg)"),
        new("zp4", "Regeneratives Wirtschaften", "räumlich", "Regenerative economy"),
        new("zp5", "Gemeinsame Gestaltung", "Fähigkeit", "Shaping together"),
        new("zp6", "Zukunftschancen für alle", "Fähigkeit", "Future opportunities for all"),
        new("zp7", "Ermöglichende Verwaltung", "Fähigkeit", "Enabling administration"),
    ];

    public static readonly IReadOnlyList<CatalogEntry> MeasureTypes =
    [
        new("zentral", "Zentrale Maßnahme", EnglishLabel: "Central measure (Chief Digital Officer)"),
        new("dezentral", "Dezentrale Maßnahme", EnglishLabel: "Decentral measure (departments, districts)"),
        new("netzwerk", "Netzwerkmaßnahme", EnglishLabel: "Network measure (partners outside the administration)"),
        new("arena-der-ideen", "Arena der Ideen", EnglishLabel: "Idea arena (ideas from anyone)"),
    ];

    /// <summary>The Fünffach-Helix.</summary>
    public static readonly IReadOnlyList<CatalogEntry> StakeholderGroups =
    [
        new("staat", "Staat/Verwaltung", EnglishLabel: "State/administration"),
        new("wirtschaft", "Wirtschaft", EnglishLabel: "Economy"),
        new("wissenschaft", "Wissenschaft", EnglishLabel: "Science"),
        new("zivilgesellschaft", "Zivilgesellschaft", EnglishLabel: "Civil society"),
        new("stille-gruppen", "Stille Gruppen & alle Berliner:innen", EnglishLabel: "Under-heard groups and all Berliners"),
    ];

    /// <summary>Stille Gruppen: people rarely heard in participation.</summary>
    public static readonly IReadOnlyList<CatalogEntry> UnderHeardGroups =
    [
        new("menschen-mit-behinderung", "Menschen mit Behinderung", EnglishLabel: "People with disabilities"),
        new("fluchterfahrung", "Menschen mit Fluchterfahrung", EnglishLabel: "People with refugee experience"),
        new("diskriminierungserfahrung", "Menschen mit Diskriminierungserfahrung", EnglishLabel: "People with experience of discrimination"),
        new("kinder-jugendliche", "Kinder und Jugendliche", EnglishLabel: "Children and young people"),
        new("wohnungslose", "Menschen ohne Obdach", EnglishLabel: "People without shelter"),
    ];

    public static readonly IReadOnlyList<CatalogEntry> IdeaSources =
    [
        new("verwaltung", "Verwaltung", EnglishLabel: "Administration"),
        new("netzwerkpartner", "Netzwerkpartner", EnglishLabel: "Network partner"),
        new("arena-der-ideen", "Arena der Ideen", EnglishLabel: "Idea arena"),
        new("stadtgremium", "Stadtgremium Digitales Berlin", EnglishLabel: "City board"),
    ];

    public static readonly IReadOnlyList<CatalogEntry> ParticipationFormats =
    [
        new("stadtgremium", "Stadtgremium Digitales Berlin", EnglishLabel: "Digital Berlin city board"),
        new("verwaltungsforum", "Verwaltungsforum Smart City", EnglishLabel: "Smart City administration forum"),
        new("fachworkshop", "Fachworkshop", EnglishLabel: "Expert workshop"),
        new("online-umfrage", "Online-Umfrage", EnglishLabel: "Online survey"),
        new("kommentierungsphase", "Kommentierungsphase auf mein.berlin.de", EnglishLabel: "Commenting phase"),
        new("vor-ort", "Vor-Ort-Beteiligung", EnglishLabel: "On-site participation"),
        new("kiezlabor", "Kiezlabor / mobiles CityLAB", EnglishLabel: "Mobile participation lab"),
    ];

    /// <summary>The Land's own plans and departmental strategies a measure may serve (the strategy enables them).</summary>
    public static readonly IReadOnlyList<CatalogEntry> Plans =
    [
        new("bek-2030", "Berliner Energie- und Klimaschutzprogramm (BEK 2030)", "fachplan", "Berlin Energy and Climate Protection Programme (BEK 2030)"),
        new("step-klima-2", "Stadtentwicklungsplan Klima 2.0 (StEP Klima 2.0)", "fachplan", "Urban Development Plan Climate 2.0"),
        new("nahverkehrsplan", "Nahverkehrsplan Berlin", "fachplan", "Berlin Public Transport Plan"),
        new("mobilitaetsgesetz", "Berliner Mobilitätsgesetz", "gesetz", "Berlin Mobility Act"),
        new("egovg-bln", "E-Government-Gesetz Berlin (EGovG Bln)", "gesetz", "Berlin E-Government Act"),
        new("digitalisierungsprogramm", "Digitalisierungsprogramm der Berliner Verwaltung", "programm", "Berlin administration digitalisation programme"),
        new("smart-city-strategie-2015", "Smart City Strategie Berlin (2015)", "strategie", "Smart City Strategy Berlin (2015)"),
    ];

    public const string SenateChancellery = "skzl";

    public static readonly IReadOnlyList<CatalogEntry> Administrations =
    [
        new(SenateChancellery, "Senatskanzlei", "senatskanzlei", "Senate Chancellery"),
        new("senfin", "Senatsverwaltung für Finanzen", "senatsverwaltung"),
        new("seninnsport", "Senatsverwaltung für Inneres und Sport", "senatsverwaltung"),
        new("senjustv", "Senatsverwaltung für Justiz und Verbraucherschutz", "senatsverwaltung"),
        new("senbjf", "Senatsverwaltung für Bildung, Jugend und Familie", "senatsverwaltung"),
        new("senwgp", "Senatsverwaltung für Wissenschaft, Gesundheit und Pflege", "senatsverwaltung"),
        new("sensbw", "Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen", "senatsverwaltung"),
        new("senmvku", "Senatsverwaltung für Mobilität, Verkehr, Klimaschutz und Umwelt", "senatsverwaltung"),
        new("senwienbe", "Senatsverwaltung für Wirtschaft, Energie und Betriebe", "senatsverwaltung"),
        new("senasgiva", "Senatsverwaltung für Arbeit, Soziales, Gleichstellung, Integration, Vielfalt und Antidiskriminierung", "senatsverwaltung"),
        new("senkultgz", "Senatsverwaltung für Kultur und Gesellschaftlichen Zusammenhalt", "senatsverwaltung"),
        new("ba-mitte", "Bezirksamt Mitte", "bezirk"),
        new("ba-friedrichshain-kreuzberg", "Bezirksamt Friedrichshain-Kreuzberg", "bezirk"),
        new("ba-pankow", "Bezirksamt Pankow", "bezirk"),
        new("ba-charlottenburg-wilmersdorf", "Bezirksamt Charlottenburg-Wilmersdorf", "bezirk"),
        new("ba-spandau", "Bezirksamt Spandau", "bezirk"),
        new("ba-steglitz-zehlendorf", "Bezirksamt Steglitz-Zehlendorf", "bezirk"),
        new("ba-tempelhof-schoeneberg", "Bezirksamt Tempelhof-Schöneberg", "bezirk"),
        new("ba-neukoelln", "Bezirksamt Neukölln", "bezirk"),
        new("ba-treptow-koepenick", "Bezirksamt Treptow-Köpenick", "bezirk"),
        new("ba-marzahn-hellersdorf", "Bezirksamt Marzahn-Hellersdorf", "bezirk"),
        new("ba-lichtenberg", "Bezirksamt Lichtenberg", "bezirk"),
        new("ba-reinickendorf", "Bezirksamt Reinickendorf", "bezirk"),
        new("citylab", "CityLAB Berlin", "partner"),
        new("tsb", "Technologiestiftung Berlin", "partner"),
        new("itdz", "ITDZ Berlin", "partner"),
        new("hiig", "Alexander von Humboldt Institut für Internet und Gesellschaft", "partner"),
        new("kwb", "Kompetenzzentrum Wasser Berlin", "partner"),
        new("bwb", "Berliner Wasserbetriebe", "partner"),
        new("siemens", "Siemens", "partner"),
        new("hochschulen", "Berliner Hochschulen", "partner"),
        new("zivilgesellschaft-org", "Zivilgesellschaftliche Organisationen", "partner"),
    ];

    private static readonly Dictionary<string, IReadOnlySet<string>> _codesByList = new()
    {
        [nameof(GuidingPrinciples)] = Codes(GuidingPrinciples),
        [nameof(FuturePerspectives)] = Codes(FuturePerspectives),
        [nameof(MeasureTypes)] = Codes(MeasureTypes),
        [nameof(StakeholderGroups)] = Codes(StakeholderGroups),
        [nameof(UnderHeardGroups)] = Codes(UnderHeardGroups),
        [nameof(IdeaSources)] = Codes(IdeaSources),
        [nameof(ParticipationFormats)] = Codes(ParticipationFormats),
        [nameof(Administrations)] = Codes(Administrations),
        [nameof(Plans)] = Codes(Plans),
    };

    public static bool IsGuidingPrinciple(string? code) => Has(nameof(GuidingPrinciples), code);
    public static bool IsFuturePerspective(string? code) => Has(nameof(FuturePerspectives), code);
    public static bool IsMeasureType(string? code) => Has(nameof(MeasureTypes), code);
    public static bool IsStakeholderGroup(string? code) => Has(nameof(StakeholderGroups), code);
    public static bool IsUnderHeardGroup(string? code) => Has(nameof(UnderHeardGroups), code);
    public static bool IsIdeaSource(string? code) => Has(nameof(IdeaSources), code);
    public static bool IsParticipationFormat(string? code) => Has(nameof(ParticipationFormats), code);
    public static bool IsAdministration(string? code) => Has(nameof(Administrations), code);
    public static bool IsPlan(string? code) => Has(nameof(Plans), code);

    /// <summary>The districts' administrations (Bezirksämter).</summary>
    public static IReadOnlyList<CatalogEntry> Districts => [.. Administrations.Where(a => a.Group == "bezirk")];

    public static bool IsDistrict(string? code) =>
        code is not null && Administrations.Any(a => a.Code == code && a.Group == "bezirk");

    private static readonly Dictionary<string, string> _shared =
        _codesByList.Values.SelectMany(codes => codes).Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => c, StringComparer.Ordinal);

    /// <summary>The catalogue's own instance of a code it lists (else the code itself): rows kept in memory share it.</summary>
    public static string Shared(string code) => _shared.GetValueOrDefault(code) ?? code;

    private static bool Has(string list, string? code) => code is not null && _codesByList[list].Contains(code);

    private static HashSet<string> Codes(IReadOnlyList<CatalogEntry> entries) =>
        entries.Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
}
