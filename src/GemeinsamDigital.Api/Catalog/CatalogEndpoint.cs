using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Catalog;

/// <summary>A lifecycle stage with its German label and the commands allowed in it.</summary>
/// <param name="Code">The stage's code as every answer and the measure list's stage filter spell it (e.g. problem-understood).</param>
/// <param name="Label">German label.</param>
/// <param name="AllowedCommands">Commands allowed in this stage.</param>
public sealed record StageEntryView(string Code, string Label, IReadOnlyList<string> AllowedCommands);

/// <summary>
/// The strategy's catalogue: every code a command may use, with German labels (English or Leichte
/// Sprache by Accept-Language). The lists the strategy office keeps are those of one version
/// (<paramref name="Version"/>), retired entries included with their status.
/// </summary>
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
    IReadOnlyList<CatalogEntry> Plans,
    IReadOnlyList<CatalogEntry> Health,
    long Version = 1,
    DateTimeOffset? ChangedAt = null);

/// <summary>What changed in the catalogue after version <paramref name="From"/> up to and including <paramref name="To"/>.</summary>
public sealed record CatalogChangesView(long From, long To, IReadOnlyList<CatalogChange> Changes);

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
        StrategyCatalog.Plans,
        [.. StatusHealth.Codes.Select(h => new CatalogEntry(h, StatusHealth.Label(h), EnglishLabel: StatusHealth.EnglishLabel(h)))]);

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
        English(_catalog.Plans),
        English(_catalog.Health));

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

    public const string Route = "/api/catalog";
    public const string Tag = "Catalog";

    /// <summary>The catalogue as of a version: the strategy office's lists from its state, the fixed lists as they are.</summary>
    public static CatalogView View(CatalogState state, string language)
    {
        IReadOnlyList<CatalogEntry> List(string list) =>
            [.. state.Of(list).Select(e => new CatalogEntry(e.Code, language switch
            {
                Languages.English => e.EnglishLabel ?? e.Label,
                Languages.EasyGerman => e.EasyLabel ?? e.Label,
                _ => e.Label,
            }, e.Group, e.EnglishLabel, e.EasyLabel, e.Status, e.ReplacedBy))];
        var fixedLists = language == Languages.English ? _english : _catalog;
        return fixedLists with
        {
            GuidingPrinciples = List(CatalogLists.GuidingPrinciples),
            FuturePerspectives = List(CatalogLists.FuturePerspectives),
            MeasureTypes = List(CatalogLists.MeasureTypes),
            StakeholderGroups = List(CatalogLists.StakeholderGroups),
            UnderHeardGroups = List(CatalogLists.UnderHeardGroups),
            IdeaSources = List(CatalogLists.IdeaSources),
            ParticipationFormats = List(CatalogLists.ParticipationFormats),
            Administrations = List(CatalogLists.Administrations),
            Plans = List(CatalogLists.Plans),
            Version = state.Version,
            ChangedAt = state.ChangedAt,
        };
    }

    /// <summary>
    /// Leitgedanken, Zukunftsperspektiven, measure types, stakeholder groups, administrations, plans, stages, revision phase statuses,
    /// risk kinds, outcome modes and roles, with German labels (English with Accept-Language: en, Leichte Sprache with de-x-ls where there is one).
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="reader">The catalogue.</param>
    /// <param name="session">The store.</param>
    /// <param name="clock">The service's clock (asOf may not lie in the future).</param>
    /// <param name="version">An earlier version of the catalogue (1 is the shipped one); absent: the current one.</param>
    /// <param name="asOf">The catalogue as it was at a moment (before the first version was recorded: version 1).</param>
    /// <param name="ct">Cancellation.</param>
    [ConditionalRead]
    [WolverineGet(Route, OperationId = "getCatalog")]
    [AllowAnonymous]
    [Tags(Tag)]
    [EndpointSummary("The strategy's catalogue")]
    [ProducesResponseType<CatalogView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(HttpContext http, CatalogReader reader, IQuerySession session, TimeProvider clock, long? version, string? asOf, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var at = AsOf.Parse(asOf, clock.GetUtcNow(), errors);
        if (version is < 1)
        {
            errors.Add("version", "'version' must be 1 or more.");
        }
        if (version is not null && at is not null)
        {
            errors.Add("version", "Send either 'version' or 'asOf', not both.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var current = await reader.CurrentAsync(session, ct);
        CatalogState state;
        if (version is { } v && v != current.Version)
        {
            if (v > current.Version)
            {
                return VersionNotFound(v, current.Version);
            }
            state = CatalogStream.Fold(await CatalogReader.EventsAsync(session, ct), e => e.Version <= v) ?? CatalogState.Shipped;
        }
        else if (at is { } moment)
        {
            var events = await CatalogReader.EventsAsync(session, ct);
            state = CatalogStream.Fold(events, e => e.Version == 1 || e.Timestamp <= moment) ?? CatalogState.Shipped;
        }
        else
        {
            state = current;
        }
        var language = Languages.Of(http.Request, easyGerman: true);
        http.Response.Headers.Vary = Languages.VaryBy;
        http.Response.Headers.ContentLanguage = language;
        return Results.Ok(View(state, language));
    }

    /// <summary>What changed between two versions of the catalogue: entries added, relabelled (with the labels before), retired and replaced.</summary>
    /// <param name="reader">The catalogue.</param>
    /// <param name="session">The store.</param>
    /// <param name="from">The earlier version (changes after it are listed); absent: 1.</param>
    /// <param name="to">The later version; absent: the current one.</param>
    /// <param name="ct">Cancellation.</param>
    [ConditionalRead]
    [WolverineGet(Route + "/changes", OperationId = "getCatalogChanges")]
    [AllowAnonymous]
    [Tags(Tag)]
    [EndpointSummary("Changes of the catalogue between two versions")]
    [ProducesResponseType<CatalogChangesView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Changes(CatalogReader reader, IQuerySession session, long? from, long? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (from is < 1)
        {
            errors.Add("from", "'from' must be 1 or more.");
        }
        if (to is < 1)
        {
            errors.Add("to", "'to' must be 1 or more.");
        }
        if (from is { } f && to is { } t && f > t)
        {
            errors.Add("to", "'to' must not be before 'from'.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var current = await reader.CurrentAsync(session, ct);
        var (start, end) = (from ?? 1, to ?? current.Version);
        if (Math.Max(start, end) > current.Version)
        {
            return VersionNotFound(Math.Max(start, end), current.Version);
        }
        if (start > end)
        {
            return Problems.Validation("to", "'to' must not be before 'from'.");
        }
        var events = await CatalogReader.EventsAsync(session, ct);
        return Results.Ok(new CatalogChangesView(start, end, ChangesOf(events, start, end)));
    }

    /// <summary>The catalogue's changes between two versions, from its stored events.</summary>
    public static IReadOnlyList<CatalogChange> ChangesOf(IEnumerable<JasperFx.Events.IEvent> events, long from, long to) =>
        CatalogChanges.Between(events.Where(e => e.Data is ICatalogEvent).Select(e => ((ICatalogEvent)e.Data, CatalogStream.Info(e))), from, to);

    private static IResult VersionNotFound(long version, long current) =>
        Problems.NotFound("catalog-version", $"The catalogue has no version {version}; its current version is {current}.");
}
