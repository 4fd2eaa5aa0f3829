using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Monitoring;

public sealed record RebuildAnswer(IReadOnlyList<RebuiltProjection> Rebuilt);

/// <summary>Operations on projections: list their progress, rebuild one or all from the events.</summary>
public static class ProjectionAdminEndpoints
{
    public const string Tag = "Operations";
    public const int DefaultTimeoutSeconds = 300;
    public const int MaxTimeoutSeconds = 3600;

    /// <summary>Every projection with its lifecycle, the event sequence it reflects, its lag and its agent's status on this node.</summary>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one row per projection.</param>
    /// <param name="operations">Projection operations.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.StrategyOffice)]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/admin/projections", OperationId = "listProjections")]
    [Tags(Tag)]
    [EndpointSummary("List projections")]
    [ProducesResponseType<ItemList<ProjectionView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? format, ProjectionOperations operations, HttpContext http, CancellationToken ct) =>
        Tables.Answer(http, format, new ItemList<ProjectionView>(await operations.DescribeAsync(ct)), "projections");

    /// <summary>Rebuild every projection (inline and async) from the events.</summary>
    /// <param name="timeoutSeconds">How long the rebuild may take (default 300, 1 to 3600).</param>
    /// <param name="operations">Projection operations.</param>
    /// <param name="integrity">The chains are checked before a rebuild.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.StrategyOffice)]
    [WolverinePost("/api/admin/projections/rebuild", OperationId = "rebuildAllProjections")]
    [Tags(Tag)]
    [EndpointSummary("Rebuild all projections")]
    [EndpointDescription("Checks every stream's hash chain against the transparency log first and refuses (409 integrity-broken, naming the streams) when stored events were changed. "
        + "Then replays every event once through every projection and swaps their documents in atomically; until then the previous figures are served.")]
    [ProducesResponseType<RebuildAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> RebuildAll(string? timeoutSeconds, ProjectionOperations operations, IntegrityMonitor integrity, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var timeout = Timeout(timeoutSeconds, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return await RefusedAsync(integrity, ct) ?? Answer(await operations.TryRebuildAsync(operations.All().Select(p => p.Name), timeout, ct));
    }

    /// <summary>Rebuild one projection from the events.</summary>
    /// <param name="name">Projection name as listed by GET /api/admin/projections (e.g. monitoring).</param>
    /// <param name="timeoutSeconds">How long the rebuild may take (default 300, 1 to 3600).</param>
    /// <param name="operations">Projection operations.</param>
    /// <param name="integrity">The chains are checked before a rebuild.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.StrategyOffice)]
    [WolverinePost("/api/admin/projections/{name}/rebuild", OperationId = "rebuildProjection")]
    [Tags(Tag)]
    [EndpointSummary("Rebuild one projection")]
    [EndpointDescription("Checks every stream's hash chain against the transparency log first and refuses (409 integrity-broken, naming the streams) when stored events were changed. "
        + "Then replays every event through the projection and swaps its documents in atomically; afterwards the daemon continues from where the replay ended.")]
    [ProducesResponseType<RebuildAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Rebuild(string name, string? timeoutSeconds, ProjectionOperations operations, IntegrityMonitor integrity, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var timeout = Timeout(timeoutSeconds, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (operations.All().All(p => p.Name != name))
        {
            return Problems.NotFound("projection", $"There is no projection '{name}'; known: {string.Join(", ", operations.All().Select(p => p.Name))}.");
        }
        return await RefusedAsync(integrity, ct) ?? Answer(await operations.TryRebuildAsync([name], timeout, ct));
    }

    // A rebuild folds the stored events into the live state: changed events must not be taken in
    // silently, so every chain is checked (and compared with the transparency log) first.
    private static async Task<IResult?> RefusedAsync(IntegrityMonitor integrity, CancellationToken ct) =>
        (await integrity.SweepAsync("rebuild", ct)).Broken is { Count: > 0 } broken ? Problems.IntegrityBroken("The rebuild", broken) : null;

    private static IResult Answer(IReadOnlyList<RebuiltProjection>? rebuilt) => rebuilt is null
        ? Problems.Problem(StatusCodes.Status409Conflict, "rebuild-running", "A rebuild is already running.",
            "Projections are rebuilt one request at a time; retry when the running rebuild has finished.")
        : Results.Ok(new RebuildAnswer(rebuilt));

    private static TimeSpan Timeout(string? raw, FieldErrors errors) =>
        TimeSpan.FromSeconds(DashboardParameters.Number(raw, "timeoutSeconds", DefaultTimeoutSeconds, 1, MaxTimeoutSeconds, errors));
}
