using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Catalog;

/// <summary>A lifecycle stage with its German label and the commands allowed in it.</summary>
/// <param name="Code">The stage's code as every answer and the measure list's stage filter spell it (e.g. problem-understood).</param>
/// <param name="Label">German label.</param>
/// <param name="AllowedCommands">Commands allowed in this stage.</param>
public sealed record StageEntryView(string Code, string Label, IReadOnlyList<string> AllowedCommands);

/// <summary>The strategy's catalogue: every code a command may use, with German labels.</summary>
public sealed record CatalogView(
    IReadOnlyList<CatalogEntry> GuidingPrinciples,
    IReadOnlyList<CatalogEntry> FuturePerspectives,
    IReadOnlyList<CatalogEntry> MeasureTypes,
    IReadOnlyList<CatalogEntry> StakeholderGroups,
    IReadOnlyList<CatalogEntry> UnderHeardGroups,
    IReadOnlyList<CatalogEntry> IdeaSources,
    IReadOnlyList<CatalogEntry> ParticipationFormats,
    IReadOnlyList<CatalogEntry> Administrations,
    IReadOnlyList<StageEntryView> Stages,
    IReadOnlyList<CatalogEntry> RevisionPhaseStatuses,
    IReadOnlyList<CatalogEntry> RiskKinds,
    IReadOnlyList<CatalogEntry> OutcomeModes,
    IReadOnlyList<CatalogEntry> Roles,
    IReadOnlyList<CatalogEntry> Plans);

public static class CatalogEndpoint
{
    private static readonly CatalogView _catalog = new(
        StrategyCatalog.GuidingPrinciples,
        StrategyCatalog.FuturePerspectives,
        StrategyCatalog.MeasureTypes,
        StrategyCatalog.StakeholderGroups,
        StrategyCatalog.UnderHeardGroups,
        StrategyCatalog.IdeaSources,
        StrategyCatalog.ParticipationFormats,
        StrategyCatalog.Administrations,
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageEntryView(s.Code(), s.Label(), MeasureLifecycle.AllowedFrom(s)))],
        [.. Enum.GetValues<RevisionPhaseStatus>().Select(s => new CatalogEntry(s.Code(), s.Label()))],
        [.. RecordRisk.Kinds.Select(k => new CatalogEntry(k, Label(k)))],
        [.. ScaleMeasure.Modes.Select(m => new CatalogEntry(m, Label(m)))],
        [.. Security.Roles.All.Select(r => new CatalogEntry(r, Label(r)))],
        StrategyCatalog.Plans);

    // The same catalogue with English labels where there are (proper names keep their own).
    private static readonly CatalogView _english = new(
        English(_catalog.GuidingPrinciples),
        English(_catalog.FuturePerspectives),
        English(_catalog.MeasureTypes),
        English(_catalog.StakeholderGroups),
        English(_catalog.UnderHeardGroups),
        English(_catalog.IdeaSources),
        English(_catalog.ParticipationFormats),
        English(_catalog.Administrations),
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageEntryView(s.Code(), s.EnglishLabel(), MeasureLifecycle.AllowedFrom(s)))],
        English(_catalog.RevisionPhaseStatuses),
        English(_catalog.RiskKinds),
        English(_catalog.OutcomeModes),
        English(_catalog.Roles),
        English(_catalog.Plans));

    private static IReadOnlyList<CatalogEntry> English(IReadOnlyList<CatalogEntry> entries) =>
        [.. entries.Select(e => e with { Label = e.EnglishLabel ?? EnglishLabel(e.Code) ?? e.Label })];

    private static string? EnglishLabel(string code) => code switch
    {
        "open" => "Open",
        "closed" => "Closed",
        "risk" => "Risk",
        "conflict" => "Conflict of goals",
        "scaled" => "Rolled out",
        "permanent" => "Made permanent",
        Security.Roles.Editor => "Editor of an administration (by its position in the project team)",
        Security.Roles.StrategyOffice => "Strategy office of the Senate Chancellery",
        Security.Roles.Auditor => "Auditor (reads everything, writes nothing)",
        Security.Roles.DashboardReader => "Dashboards (reads projections)",
        _ => null,
    };

    // Every code an error message sends to the catalogue is listed here, with its German label.
    private static string Label(string code) => code switch
    {
        "risk" => "Risiko",
        "conflict" => "Zielkonflikt",
        "scaled" => "Ausgerollt",
        "permanent" => "Verstetigt",
        Security.Roles.Editor => "Redaktion einer Verwaltung (nach ihrer Stellung im Projektteam)",
        Security.Roles.StrategyOffice => "Strategiebüro der Senatskanzlei",
        Security.Roles.Auditor => "Prüfung (liest alles, schreibt nichts)",
        Security.Roles.DashboardReader => "Dashboards (liest Projektionen)",
        _ => throw new InvalidOperationException($"No label for catalogue code '{code}'."),
    };

    /// <summary>Leitgedanken, Zukunftsperspektiven, measure types, stakeholder groups, administrations, stages, revision phase statuses, risk kinds, outcome modes, roles and the plans of the Land a measure may serve, with German labels (English with Accept-Language: en).</summary>
    [ConditionalRead]
    [WolverineGet("/api/catalog", OperationId = "getCatalog")]
    [AllowAnonymous]
    [Tags("Catalog")]
    [EndpointSummary("The strategy's catalogue")]
    [ProducesResponseType<CatalogView>(StatusCodes.Status200OK)]
    public static CatalogView Get(HttpContext http)
    {
        var language = Languages.Of(http.Request);
        http.Response.Headers.Vary = Languages.VaryBy;
        http.Response.Headers.ContentLanguage = language;
        return language == Languages.English ? _english : _catalog;
    }
}
