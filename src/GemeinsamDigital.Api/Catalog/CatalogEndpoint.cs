using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Catalog;

/// <summary>A lifecycle stage with its German label and the commands allowed in it.</summary>
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
    IReadOnlyList<StageEntryView> Stages);

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
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageEntryView(s.ToString(), s.Label(), MeasureLifecycle.AllowedFrom(s)))]);

    /// <summary>Leitgedanken, Zukunftsperspektiven, measure types, stakeholder groups, administrations and stages, with German labels.</summary>
    [WolverineGet("/api/catalog", OperationId = "getCatalog")]
    [AllowAnonymous]
    [Tags("Catalog")]
    [EndpointSummary("The strategy's catalogue")]
    [ProducesResponseType<CatalogView>(StatusCodes.Status200OK)]
    public static CatalogView Get() => _catalog;
}
