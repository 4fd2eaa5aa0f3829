using System.Text.Json;
using GemeinsamDigital.Testing;
using static GemeinsamDigital.Api.Tests.Dashboards.DashboardHttp;
using S = GemeinsamDigital.Testing.MonitoringScenario;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>
/// Every dashboard over the scenario (MonitoringScenario) with "now" = 2025-01-15 12:00 UTC, live
/// from the async projection, in JSON and in CSV. Every expected figure is worked out by hand from
/// the scenario's dates; the comments show the arithmetic.
/// </summary>
public class DashboardFigureTests(MonitoringFixture api) : IClassFixture<MonitoringFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = api.Client;

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Portfolio_counts_stages_types_perspectives_weighted_principles_leads_and_districts()
    {
        var f = await _client.Figures("/api/dashboard/portfolio");
        f.GetProperty("measures").GetInt32().ShouldBe(7);
        f.GetProperty("measuresWithGoals").GetInt32().ShouldBe(5);
        f.GetProperty("stages").Rows("code", "measures").ShouldBe([
            "idea|1", "problem-understood|0", "goals-defined|1", "mandated|0", "pilot|2", "evaluation|0",
            "evaluated|0", "scaled|1", "iterated|0", "stopped|1", "withdrawn|1", "archived|0"]);
        f.GetProperty("types").Rows("code", "measures").ShouldBe(["zentral|1", "dezentral|4", "netzwerk|1", "arena-der-ideen|1"]);
        f.GetProperty("perspectives").Rows("code", "measures").ShouldBe(["zp1|2", "zp2|1", "zp3|1", "zp4|1", "zp5|1", "zp6|2", "zp7|2"]);
        // Weights (nachhaltig, gemeinwohl, resilient, kooperativ): Kiezradar 1,3,0,2 · Ratsdaten 0,2,1,3 ·
        // Sensorbänke 2,3,2,1 · Klimadaten 3,2,2,3 · Schul-WLAN 1,3,1,2. weighted = sum/3, share = sum/(3·5).
        f.GetProperty("principles").Rows("code", "measures", "weightSum", "weighted", "share").ShouldBe([
            "nachhaltig|4|7|2.33|0.4667", "gemeinwohlorientiert|5|13|4.33|0.8667", "resilient|4|6|2|0.4", "kooperativ|5|11|3.67|0.7333"]);
        f.GetProperty("leads").Rows("code", "measures").ShouldBe([
            "ba-mitte|1", "ba-neukoelln|1", "ba-pankow|1", "hiig|1", "senbjf|1", "seninnsport|1", "skzl|1"]);
        // Mitte leads Sensorbänke and is in the teams of Kiezradar and Ratsdaten; Neukölln leads the idea and is in Schul-WLAN.
        f.GetProperty("districts").Rows("code", "measures", "led", "participating").Where(r => !r.EndsWith("|0|0|0")).ShouldBe([
            "ba-mitte|3|1|2", "ba-pankow|1|1|0", "ba-neukoelln|2|1|1"]);
        f.GetProperty("districts").GetArrayLength().ShouldBe(12);
        // No measure of the scenario has a location (places with locations: LocationTests).
        f.GetProperty("places").GetProperty("located").GetInt32().ShouldBe(0);
        f.GetProperty("places").GetProperty("unlocated").GetInt32().ShouldBe(7);
        f.GetProperty("places").GetProperty("districts").GetArrayLength().ShouldBe(12);

        (await _client.Csv("/api/dashboard/portfolio")).ShouldBe(ExpectedCsv("section,code,label,measures,led,participating,weight_sum,weighted,share",
        [
            "summary,measures,,7,,,,,", "summary,measures-with-goals,,5,,,,,",
            "stage,idea,Idee,1,,,,,", "stage,problem-understood,Problem verstanden,0,,,,,", "stage,goals-defined,Ziele definiert,1,,,,,",
            "stage,mandated,Mandatiert,0,,,,,", "stage,pilot,Pilot,2,,,,,", "stage,evaluation,Evaluation,0,,,,,", "stage,evaluated,Evaluiert,0,,,,,",
            "stage,scaled,Skaliert/verstetigt,1,,,,,", "stage,iterated,Iteriert,0,,,,,", "stage,stopped,Gestoppt,1,,,,,",
            "stage,withdrawn,Zurückgezogen,1,,,,,", "stage,archived,Archiviert,0,,,,,",
            "type,zentral,Zentrale Maßnahme,1,,,,,", "type,dezentral,Dezentrale Maßnahme,4,,,,,", "type,netzwerk,Netzwerkmaßnahme,1,,,,,",
            "type,arena-der-ideen,Arena der Ideen,1,,,,,",
            "perspective,zp1,\"Gesunde, vielfältige Kieze\",2,,,,,", "perspective,zp2,Inklusiver Stadtraum,1,,,,,", "perspective,zp3,Regionale Vernetzung,1,,,,,",
            "perspective,zp4,Regeneratives Wirtschaften,1,,,,,", "perspective,zp5,Gemeinsame Gestaltung,1,,,,,",
            "perspective,zp6,Zukunftschancen für alle,2,,,,,", "perspective,zp7,Ermöglichende Verwaltung,2,,,,,",
            "principle,nachhaltig,Nachhaltig,4,,,7,2.33,0.4667", "principle,gemeinwohlorientiert,Gemeinwohlorientiert,5,,,13,4.33,0.8667",
            "principle,resilient,Resilient,4,,,6,2,0.4", "principle,kooperativ,Kooperativ,5,,,11,3.67,0.7333",
            "lead,ba-mitte,Bezirksamt Mitte,1,,,,,", "lead,ba-neukoelln,Bezirksamt Neukölln,1,,,,,", "lead,ba-pankow,Bezirksamt Pankow,1,,,,,",
            "lead,hiig,Alexander von Humboldt Institut für Internet und Gesellschaft,1,,,,,",
            "lead,senbjf,\"Senatsverwaltung für Bildung, Jugend und Familie\",1,,,,,", "lead,seninnsport,Senatsverwaltung für Inneres und Sport,1,,,,,",
            "lead,skzl,Senatskanzlei,1,,,,,",
            "district,ba-mitte,Bezirksamt Mitte,3,1,2,,,", "district,ba-friedrichshain-kreuzberg,Bezirksamt Friedrichshain-Kreuzberg,0,0,0,,,",
            "district,ba-pankow,Bezirksamt Pankow,1,1,0,,,", "district,ba-charlottenburg-wilmersdorf,Bezirksamt Charlottenburg-Wilmersdorf,0,0,0,,,",
            "district,ba-spandau,Bezirksamt Spandau,0,0,0,,,", "district,ba-steglitz-zehlendorf,Bezirksamt Steglitz-Zehlendorf,0,0,0,,,",
            "district,ba-tempelhof-schoeneberg,Bezirksamt Tempelhof-Schöneberg,0,0,0,,,", "district,ba-neukoelln,Bezirksamt Neukölln,2,1,1,,,",
            "district,ba-treptow-koepenick,Bezirksamt Treptow-Köpenick,0,0,0,,,", "district,ba-marzahn-hellersdorf,Bezirksamt Marzahn-Hellersdorf,0,0,0,,,",
            "district,ba-lichtenberg,Bezirksamt Lichtenberg,0,0,0,,,", "district,ba-reinickendorf,Bezirksamt Reinickendorf,0,0,0,,,",
            "places,located,,0,,,,,", "places,unlocated,,7,,,,,",
            .. GemeinsamDigital.Domain.Catalog.StrategyCatalog.Districts.Select(d => $"located-district,{d.Code},{d.Label},0,,,,,"),
        ]));
    }

    [Fact]
    public async Task Funnel_counts_measures_that_ever_reached_each_stage_and_the_conversions()
    {
        var f = await _client.Figures("/api/dashboard/funnel");
        f.GetProperty("measures").GetInt32().ShouldBe(7);
        // Problem understood by all but the idea (6/7); goals by 5 (not the withdrawn one); mandate and pilot by 4;
        // evaluation by Ratsdaten, Sensorbänke and Schul-WLAN (3/4), one outcome each (1/3); withdrawn 1/7.
        f.GetProperty("stages").Rows("code", "reached", "from", "conversion").ShouldBe([
            "idea|7|null|null", "problem-understood|6|idea|0.8571", "goals-defined|5|problem-understood|0.8333", "mandated|4|goals-defined|0.8",
            "pilot|4|mandated|1", "evaluation|3|pilot|0.75", "evaluated|3|evaluation|1", "scaled|1|evaluated|0.3333",
            "iterated|1|evaluated|0.3333", "stopped|1|evaluated|0.3333", "withdrawn|1|idea|0.1429", "archived|0|null|null"]);
        f.GetProperty("stages")[1].GetProperty("fromLabel").GetString().ShouldBe("Idee");

        (await _client.Csv("/api/dashboard/funnel")).ShouldBe(ExpectedCsv("stage,label,reached,from_stage,conversion,from_stage_label",
        [
            "idea,Idee,7,,,", "problem-understood,Problem verstanden,6,idea,0.8571,Idee", "goals-defined,Ziele definiert,5,problem-understood,0.8333,Problem verstanden",
            "mandated,Mandatiert,4,goals-defined,0.8,Ziele definiert", "pilot,Pilot,4,mandated,1,Mandatiert", "evaluation,Evaluation,3,pilot,0.75,Pilot",
            "evaluated,Evaluiert,3,evaluation,1,Evaluation", "scaled,Skaliert/verstetigt,1,evaluated,0.3333,Evaluiert", "iterated,Iteriert,1,evaluated,0.3333,Evaluiert",
            "stopped,Gestoppt,1,evaluated,0.3333,Evaluiert", "withdrawn,Zurückgezogen,1,idea,0.1429,Idee", "archived,Archiviert,0,,,",
        ]));
    }

    [Fact]
    public async Task Cycle_times_give_median_and_p90_days_per_stage_and_per_outcome()
    {
        var f = await _client.Figures("/api/dashboard/cycle-times");
        // Completed stays in days: Idea 10,20,10,14,14,10 → median 12, p90 17 · Problem understood 20,30,20,30,30,30 → 30, 30 ·
        // Goals 30,42,31,30 → 30.5, 38.7 · Mandated 31,30,30,19 → 30, 30.7 · Pilot 187,192,188 → 188, 191.2 ·
        // Evaluation and Evaluated 30 each · Iterated 28. Linear interpolation: h = (n−1)·p.
        f.GetProperty("stages").Rows("code", "count", "medianDays", "p90Days", "ongoing").ShouldBe([
            "idea|6|12|17|1", "problem-understood|6|30|30|0", "goals-defined|4|30.5|38.7|1", "mandated|4|30|30.7|0",
            "pilot|3|188|191.2|2", "evaluation|3|30|30|0", "evaluated|3|30|30|0", "iterated|1|28|28|0"]);
        // From proposal: Ratsdaten 2023-06-01 → scaled 2024-06-04 = 369 · Schul-WLAN 2023-02-01 → iterated 2024-01-04 = 337 ·
        // Sensorbänke 2023-09-01 → stopped 2024-08-09 = 343 · Sprechstunde 2024-03-01 → withdrawn 2024-04-14 = 44.
        f.GetProperty("outcomes").Rows("code", "count", "medianDays", "p90Days").ShouldBe([
            "scaled|1|369|369", "iterated|1|337|337", "stopped|1|343|343", "withdrawn|1|44|44"]);

        (await _client.Csv("/api/dashboard/cycle-times")).ShouldBe(ExpectedCsv("section,code,label,count,median_days,p90_days,ongoing",
        [
            "stage,idea,Idee,6,12,17,1", "stage,problem-understood,Problem verstanden,6,30,30,0", "stage,goals-defined,Ziele definiert,4,30.5,38.7,1",
            "stage,mandated,Mandatiert,4,30,30.7,0", "stage,pilot,Pilot,3,188,191.2,2", "stage,evaluation,Evaluation,3,30,30,0",
            "stage,evaluated,Evaluiert,3,30,30,0", "stage,iterated,Iteriert,1,28,28,0",
            "outcome,scaled,Skaliert/verstetigt,1,369,369,", "outcome,iterated,Iteriert,1,337,337,", "outcome,stopped,Gestoppt,1,343,343,",
            "outcome,withdrawn,Zurückgezogen,1,44,44,",
        ]));
    }

    [Fact]
    public async Task Overdue_lists_milestones_past_due_and_measures_without_activity_for_n_days()
    {
        var f = await _client.Figures("/api/dashboard/overdue");
        f.GetProperty("today").GetString().ShouldBe("2025-01-15");
        f.GetProperty("inactiveDays").GetInt32().ShouldBe(90);
        // Kiezradar's m2 (missed) due 2024-10-01: 106 days; Schul-WLAN's cycle-2 q2 due 2024-12-01: 45 days.
        f.GetProperty("milestones").Rows("measureId", "cycle", "milestoneId", "due", "status", "daysOverdue").ShouldBe([
            $"{S.Kiezradar}|1|m2|2024-10-01|missed|106", $"{S.SchulWlan}|2|q2|2024-12-01|open|45"]);
        // Open measures' last events: Klimadaten 2024-07-15 (184 days), Schul-WLAN 2024-09-01 (136), Kiezradar 2024-11-01 (75), idea 2024-12-20 (26).
        f.GetProperty("inactive").Rows("measureId", "stage", "stageLabel", "daysInactive").ShouldBe(
            [$"{S.Klimadaten}|goals-defined|Ziele definiert|184", $"{S.SchulWlan}|pilot|Pilot|136"]);

        var thirty = await _client.Figures("/api/dashboard/overdue?inactiveDays=30");
        thirty.GetProperty("inactive").Rows("measureId", "daysInactive").ShouldBe([$"{S.Klimadaten}|184", $"{S.SchulWlan}|136", $"{S.Kiezradar}|75"]);

        (await _client.Csv("/api/dashboard/overdue")).ShouldBe(ExpectedCsv(
            "section,measure_id,title,lead,stage,cycle,milestone_id,milestone,due,status,days_overdue,last_activity_at,days_inactive,stage_label",
            [
                $"milestone,{S.Kiezradar},Kiezradar Pankow,ba-pankow,,1,m2,Meilenstein m2,2024-10-01,missed,106,,,",
                $"milestone,{S.SchulWlan},Schul-WLAN,senbjf,,2,q2,Meilenstein q2,2024-12-01,open,45,,,",
                $"inactive,{S.Klimadaten},Klimadaten-Kooperation,hiig,goals-defined,,,,,,,2024-07-15T09:00:00Z,184,Ziele definiert",
                $"inactive,{S.SchulWlan},Schul-WLAN,senbjf,pilot,,,,,,,2024-09-01T09:00:00Z,136,Pilot",
            ]));
    }

    [Fact]
    public async Task Collaboration_gives_the_edge_list_per_administration_and_silo_figures()
    {
        var f = await _client.Figures("/api/dashboard/collaboration");
        // Teams: Kiezradar {ba-pankow, senmvku, ba-mitte} · Ratsdaten {skzl, itdz, ba-mitte, senfin} · Sensorbänke {ba-mitte, senmvku} ·
        // Schul-WLAN {senbjf, ba-neukoelln, itdz}; the other three are one administration each.
        f.GetProperty("measures").GetInt32().ShouldBe(7);
        f.GetProperty("crossAdministration").GetInt32().ShouldBe(4);
        f.GetProperty("crossAdministrationShare").GetDecimal().ShouldBe(0.5714m);
        f.GetProperty("acrossLevels").GetInt32().ShouldBe(4);
        f.GetProperty("administrations").Rows("code", "level", "measures", "partners").ShouldBe([
            "ba-mitte|bezirk|3|5", "ba-neukoelln|bezirk|2|2", "itdz|partner|2|5", "senmvku|senatsverwaltung|2|2", "ba-pankow|bezirk|1|2",
            "hiig|partner|1|0", "senbjf|senatsverwaltung|1|2", "senfin|senatsverwaltung|1|3", "seninnsport|senatsverwaltung|1|0", "skzl|senatskanzlei|1|3"]);
        f.GetProperty("edges").Rows("a", "b", "measures").ShouldBe([
            "ba-mitte|senmvku|2", "ba-mitte|ba-pankow|1", "ba-mitte|itdz|1", "ba-mitte|senfin|1", "ba-mitte|skzl|1", "ba-neukoelln|itdz|1",
            "ba-neukoelln|senbjf|1", "ba-pankow|senmvku|1", "itdz|senbjf|1", "itdz|senfin|1", "itdz|skzl|1", "senfin|skzl|1"]);

        const string mvku = "\"Senatsverwaltung für Mobilität, Verkehr, Klimaschutz und Umwelt\"";
        const string bjf = "\"Senatsverwaltung für Bildung, Jugend und Familie\"";
        (await _client.Csv("/api/dashboard/collaboration")).ShouldBe(ExpectedCsv("section,code,label,partner,partner_label,level,measures,partners,share",
        [
            "summary,measures,,,,,7,,", "summary,cross-administration,,,,,4,,0.5714", "summary,across-levels,,,,,4,,",
            "administration,ba-mitte,Bezirksamt Mitte,,,bezirk,3,5,", "administration,ba-neukoelln,Bezirksamt Neukölln,,,bezirk,2,2,",
            "administration,itdz,ITDZ Berlin,,,partner,2,5,", $"administration,senmvku,{mvku},,,senatsverwaltung,2,2,",
            "administration,ba-pankow,Bezirksamt Pankow,,,bezirk,1,2,",
            "administration,hiig,Alexander von Humboldt Institut für Internet und Gesellschaft,,,partner,1,0,",
            $"administration,senbjf,{bjf},,,senatsverwaltung,1,2,", "administration,senfin,Senatsverwaltung für Finanzen,,,senatsverwaltung,1,3,",
            "administration,seninnsport,Senatsverwaltung für Inneres und Sport,,,senatsverwaltung,1,0,",
            "administration,skzl,Senatskanzlei,,,senatskanzlei,1,3,",
            $"edge,ba-mitte,Bezirksamt Mitte,senmvku,{mvku},,2,,", "edge,ba-mitte,Bezirksamt Mitte,ba-pankow,Bezirksamt Pankow,,1,,",
            "edge,ba-mitte,Bezirksamt Mitte,itdz,ITDZ Berlin,,1,,", "edge,ba-mitte,Bezirksamt Mitte,senfin,Senatsverwaltung für Finanzen,,1,,",
            "edge,ba-mitte,Bezirksamt Mitte,skzl,Senatskanzlei,,1,,", "edge,ba-neukoelln,Bezirksamt Neukölln,itdz,ITDZ Berlin,,1,,",
            $"edge,ba-neukoelln,Bezirksamt Neukölln,senbjf,{bjf},,1,,", $"edge,ba-pankow,Bezirksamt Pankow,senmvku,{mvku},,1,,",
            $"edge,itdz,ITDZ Berlin,senbjf,{bjf},,1,,", "edge,itdz,ITDZ Berlin,senfin,Senatsverwaltung für Finanzen,,1,,",
            "edge,itdz,ITDZ Berlin,skzl,Senatskanzlei,,1,,", "edge,senfin,Senatsverwaltung für Finanzen,skzl,Senatskanzlei,,1,,",
        ]));
    }

    [Fact]
    public async Task Participation_gives_the_share_per_helix_group_stille_gruppen_and_participant_totals()
    {
        var f = await _client.Figures("/api/dashboard/participation");
        // Four measures had a pilot, one participation each: Kiezradar vor-ort 40 (zivil, stille, staat; Kinder),
        // Ratsdaten fachworkshop 25 (staat, wirtschaft, wissenschaft), Sensorbänke online-umfrage 120 (zivil, stille;
        // Behinderung, Obdach), Schul-WLAN kiezlabor 60 (zivil, stille, staat; Kinder, Flucht).
        f.GetProperty("measuresWithPilot").GetInt32().ShouldBe(4);
        f.GetProperty("measuresWithParticipation").GetInt32().ShouldBe(4);
        f.GetProperty("events").GetInt32().ShouldBe(4);
        f.GetProperty("participants").GetInt64().ShouldBe(245);
        f.GetProperty("groups").Rows("code", "measures", "share", "events", "participants").ShouldBe([
            "staat|3|0.75|3|125", "wirtschaft|1|0.25|1|25", "wissenschaft|1|0.25|1|25", "zivilgesellschaft|3|0.75|3|220", "stille-gruppen|3|0.75|3|220"]);
        f.GetProperty("stilleGruppenMeasures").GetInt32().ShouldBe(3);
        f.GetProperty("stilleGruppenShare").GetDecimal().ShouldBe(0.75m);
        f.GetProperty("underHeardGroups").Rows("code", "measures", "events").ShouldBe([
            "menschen-mit-behinderung|1|1", "fluchterfahrung|1|1", "diskriminierungserfahrung|0|0", "kinder-jugendliche|2|2", "wohnungslose|1|1"]);
        f.GetProperty("stilleGruppen").Rows("measureId", "underHeardGroups", "events", "participants").ShouldBe([
            $"{S.Kiezradar}|[kinder-jugendliche]|1|40", $"{S.SchulWlan}|[fluchterfahrung,kinder-jugendliche]|1|60",
            $"{S.Sensorbaenke}|[menschen-mit-behinderung,wohnungslose]|1|120"]);
        f.GetProperty("formats").Rows("code", "events", "participants").ShouldBe([
            "stadtgremium|0|0", "verwaltungsforum|0|0", "fachworkshop|1|25", "online-umfrage|1|120", "kommentierungsphase|0|0", "vor-ort|1|40", "kiezlabor|1|60"]);

        (await _client.Csv("/api/dashboard/participation")).ShouldBe(ExpectedCsv("section,code,label,measures,share,events,participants,under_heard_groups",
        [
            "summary,measures-with-pilot,,4,,,,", "summary,measures-with-participation,,4,,4,245,", "summary,stille-gruppen,,3,0.75,,,",
            "group,staat,Staat/Verwaltung,3,0.75,3,125,", "group,wirtschaft,Wirtschaft,1,0.25,1,25,", "group,wissenschaft,Wissenschaft,1,0.25,1,25,",
            "group,zivilgesellschaft,Zivilgesellschaft,3,0.75,3,220,", "group,stille-gruppen,Stille Gruppen & alle Berliner:innen,3,0.75,3,220,",
            "under-heard-group,menschen-mit-behinderung,Menschen mit Behinderung,1,,1,,", "under-heard-group,fluchterfahrung,Menschen mit Fluchterfahrung,1,,1,,",
            "under-heard-group,diskriminierungserfahrung,Menschen mit Diskriminierungserfahrung,0,,0,,",
            "under-heard-group,kinder-jugendliche,Kinder und Jugendliche,2,,2,,", "under-heard-group,wohnungslose,Menschen ohne Obdach,1,,1,,",
            $"stille-gruppen-measure,{S.Kiezradar},Kiezradar Pankow,,,1,40,kinder-jugendliche",
            $"stille-gruppen-measure,{S.SchulWlan},Schul-WLAN,,,1,60,fluchterfahrung;kinder-jugendliche",
            $"stille-gruppen-measure,{S.Sensorbaenke},Sensorbänke am Leopoldplatz,,,1,120,menschen-mit-behinderung;wohnungslose",
            "format,stadtgremium,Stadtgremium Digitales Berlin,,,0,0,", "format,verwaltungsforum,Verwaltungsforum Smart City,,,0,0,",
            "format,fachworkshop,Fachworkshop,,,1,25,", "format,online-umfrage,Online-Umfrage,,,1,120,",
            "format,kommentierungsphase,Kommentierungsphase auf mein.berlin.de,,,0,0,", "format,vor-ort,Vor-Ort-Beteiligung,,,1,40,",
            "format,kiezlabor,Kiezlabor / mobiles CityLAB,,,1,60,",
        ]));
    }

    [Fact]
    public async Task Indicators_give_each_time_series_with_baseline_target_status_and_the_share_on_track()
    {
        var f = await _client.Figures("/api/dashboard/indicators");
        f.GetProperty("summary").Rows("indicators", "measured", "achieved", "onTrack", "behind", "noData", "shareOnTrack").ShouldBe(["5|4|1|1|2|1|0.5"]);
        // Progress = (latest − baseline)/(target − baseline); expected = pilot days elapsed at the latest measurement / pilot days:
        // Kiezradar 50 of 0→100 = 0.5 vs 214/364 = 0.5879 → behind · Ratsdaten 52 of 10→50 = 1.05 → achieved (171/182) ·
        // Schul-WLAN 45 of 10→60 = 0.7 vs 213/334 = 0.6377 (second pilot) → on-track · Sensorbänke 18 of 20→10 = 0.2 vs 122/182 = 0.6703 → behind.
        f.GetProperty("series").Rows("measureId", "indicator", "baseline", "target", "latest", "progress", "expected", "status").ShouldBe([
            $"{S.Kiezradar}|nutzer|0|100|50|0.5|0.5879|behind",
            $"{S.Klimadaten}|partner|2|10|null|null|null|no-data",
            $"{S.Ratsdaten}|datensaetze|10|50|52|1.05|0.9396|achieved",
            $"{S.SchulWlan}|schulen|10|60|45|0.7|0.6377|on-track",
            $"{S.Sensorbaenke}|beschwerden|20|10|18|0.2|0.6703|behind"]);
        f.GetProperty("series")[3].GetProperty("points").Rows("on", "value", "source").ShouldBe(["2023-09-01|30|Schulamt", "2024-09-01|45|Schulamt"]);

        (await _client.Csv("/api/dashboard/indicators")).ShouldBe(ExpectedCsv(
            "section,measure_id,title,indicator,name,unit,baseline,target,on,value,source,progress,expected,status",
            [
                "summary,,,indicators,,,,,,5,,,,", "summary,,,measured,,,,,,4,,,,", "summary,,,achieved,,,,,,1,,,,", "summary,,,on-track,,,,,,1,,,,",
                "summary,,,behind,,,,,,2,,,,", "summary,,,no-data,,,,,,1,,,,", "summary,,,share-on-track,,,,,,0.5,,,,",
                $"indicator,{S.Kiezradar},Kiezradar Pankow,nutzer,Aktive Nutzende,Personen,0,100,2024-11-01,50,,0.5,0.5879,behind",
                $"point,{S.Kiezradar},Kiezradar Pankow,nutzer,,,,,2024-07-01,30,Zählung,,,",
                $"point,{S.Kiezradar},Kiezradar Pankow,nutzer,,,,,2024-11-01,50,Zählung,,,",
                $"indicator,{S.Klimadaten},Klimadaten-Kooperation,partner,Beteiligte Partner,Anzahl,2,10,,,,,,no-data",
                $"indicator,{S.Ratsdaten},Offene Ratsdaten,datensaetze,Offene Datensätze,Anzahl,10,50,2024-03-20,52,,1.05,0.9396,achieved",
                $"point,{S.Ratsdaten},Offene Ratsdaten,datensaetze,,,,,2024-01-15,35,Portal,,,",
                $"point,{S.Ratsdaten},Offene Ratsdaten,datensaetze,,,,,2024-03-20,52,Portal,,,",
                $"indicator,{S.SchulWlan},Schul-WLAN,schulen,Schulen mit WLAN,%,10,60,2024-09-01,45,,0.7,0.6377,on-track",
                $"point,{S.SchulWlan},Schul-WLAN,schulen,,,,,2023-09-01,30,Schulamt,,,",
                $"point,{S.SchulWlan},Schul-WLAN,schulen,,,,,2024-09-01,45,Schulamt,,,",
                $"indicator,{S.Sensorbaenke},Sensorbänke am Leopoldplatz,beschwerden,Beschwerden je Monat,Anzahl,20,10,2024-04-01,18,,0.2,0.6703,behind",
                $"point,{S.Sensorbaenke},Sensorbänke am Leopoldplatz,beschwerden,,,,,2024-04-01,18,Bürgeramt,,,",
            ]));

        var one = await _client.Figures($"/api/dashboard/indicators?measureId={S.SchulWlan}");
        one.GetProperty("series").Rows("indicator").ShouldBe(["schulen"]);
        one.GetProperty("summary").Rows("indicators", "onTrack", "shareOnTrack").ShouldBe(["1|1|1"]);
    }
}
