using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Catalog;

public class CatalogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static List<(string Code, string Label, string? Group)> Entries(JsonElement catalog, string list) =>
        [.. catalog.GetProperty(list).EnumerateArray().Select(e => (
            e.GetProperty("code").GetString()!,
            e.GetProperty("label").GetString()!,
            e.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null))];

    [Fact]
    public async Task The_catalogue_serves_every_list_with_German_labels()
    {
        var response = await api.Client.GetAsync("/api/catalog");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var catalog = await response.Json();

        Entries(catalog, "guidingPrinciples").Select(e => e.Label).ShouldBe(["Nachhaltig", "Gemeinwohlorientiert", "Resilient", "Kooperativ"]);

        var perspectives = Entries(catalog, "futurePerspectives");
        perspectives.Select(e => e.Label).ShouldBe(
        [
            "Gesunde, vielfältige Kieze", "Inklusiver Stadtraum", "Regionale Vernetzung", "Regeneratives Wirtschaften",
            "Gemeinsame Gestaltung", "Zukunftschancen für alle", "Ermöglichende Verwaltung",
        ]);
        perspectives.Count(p => p.Group == "räumlich").ShouldBe(4);
        perspectives.Count(p => p.Group == "Fähigkeit").ShouldBe(3);

        Entries(catalog, "measureTypes").Select(e => e.Label).ShouldBe(["Zentrale Maßnahme", "Dezentrale Maßnahme", "Netzwerkmaßnahme", "Arena der Ideen"]);
        Entries(catalog, "stakeholderGroups").Select(e => e.Label).ShouldBe(
            ["Staat/Verwaltung", "Wirtschaft", "Wissenschaft", "Zivilgesellschaft", "Stille Gruppen & alle Berliner:innen"]);
        Entries(catalog, "underHeardGroups").Count.ShouldBe(5);
        Entries(catalog, "ideaSources").Select(e => e.Code).ShouldBe(["verwaltung", "netzwerkpartner", "arena-der-ideen", "stadtgremium"]);
        Entries(catalog, "participationFormats").Select(e => e.Label).ShouldContain("Kommentierungsphase auf mein.berlin.de");

        var administrations = Entries(catalog, "administrations");
        administrations.Where(a => a.Group == "senatskanzlei").Select(a => a.Label).ShouldBe(["Senatskanzlei"]);
        administrations.Count(a => a.Group == "senatsverwaltung").ShouldBe(10);
        administrations.Where(a => a.Group == "bezirk").Select(a => a.Label).ShouldBe(
        [
            "Bezirksamt Mitte", "Bezirksamt Friedrichshain-Kreuzberg", "Bezirksamt Pankow", "Bezirksamt Charlottenburg-Wilmersdorf",
            "Bezirksamt Spandau", "Bezirksamt Steglitz-Zehlendorf", "Bezirksamt Tempelhof-Schöneberg", "Bezirksamt Neukölln",
            "Bezirksamt Treptow-Köpenick", "Bezirksamt Marzahn-Hellersdorf", "Bezirksamt Lichtenberg", "Bezirksamt Reinickendorf",
        ]);
        administrations.Where(a => a.Group == "partner").Select(a => a.Label).ShouldContain("CityLAB Berlin");

        var stages = catalog.GetProperty("stages").EnumerateArray().ToList();
        // Codes in kebab-case, like every other code of the catalogue.
        stages.Select(s => s.GetProperty("code").GetString()).ShouldBe(
        [
            "idea", "problem-understood", "goals-defined", "mandated", "pilot", "evaluation", "evaluated", "scaled", "iterated",
            "stopped", "withdrawn", "archived",
        ]);
        stages.Single(s => s.GetProperty("code").GetString() == "problem-understood").GetProperty("label").GetString().ShouldBe("Problem verstanden");
        foreach (var stage in stages)
        {
            MeasureStages.TryParseCode(stage.GetProperty("code").GetString(), out var code).ShouldBeTrue();
            stage.GetProperty("label").GetString().ShouldBe(code.Label());
            stage.GetProperty("allowedCommands").EnumerateArray().Select(c => c.GetString()).ShouldBe(MeasureLifecycle.AllowedFrom(code));
        }

        // Every code an error message sends to the catalogue is in it.
        Entries(catalog, "revisionPhaseStatuses").Select(e => (e.Code, e.Label)).ShouldBe([("open", "Offen"), ("closed", "Abgeschlossen")]);
        Entries(catalog, "riskKinds").Select(e => e.Code).ShouldBe(RecordRisk.Kinds);
        Entries(catalog, "outcomeModes").Select(e => e.Code).ShouldBe(ScaleMeasure.Modes);
        Entries(catalog, "roles").Select(e => e.Code).ShouldBe(GemeinsamDigital.Api.Security.Roles.All);
        foreach (var list in (string[])["riskKinds", "outcomeModes", "roles"])
        {
            Entries(catalog, list).ShouldAllBe(e => e.Label.Length > 0);
        }
    }

    [Fact]
    public async Task Every_code_and_label_matches_the_domain_catalogue_and_codes_are_unique()
    {
        var catalog = await (await api.Client.GetAsync("/api/catalog")).Json();
        (string List, IReadOnlyList<CatalogEntry> Entries)[] lists =
        [
            ("guidingPrinciples", StrategyCatalog.GuidingPrinciples), ("futurePerspectives", StrategyCatalog.FuturePerspectives),
            ("measureTypes", StrategyCatalog.MeasureTypes), ("stakeholderGroups", StrategyCatalog.StakeholderGroups),
            ("underHeardGroups", StrategyCatalog.UnderHeardGroups), ("ideaSources", StrategyCatalog.IdeaSources),
            ("participationFormats", StrategyCatalog.ParticipationFormats), ("administrations", StrategyCatalog.Administrations),
        ];
        foreach (var (list, expected) in lists)
        {
            var served = Entries(catalog, list);
            served.Select(e => (e.Code, e.Label)).ShouldBe(expected.Select(e => (e.Code, e.Label)), list);
            served.Select(e => e.Code).ShouldBeUnique(list);
            served.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.Label));
        }
    }
}
