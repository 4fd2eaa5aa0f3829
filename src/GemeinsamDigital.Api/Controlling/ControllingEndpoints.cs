using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Controlling;

/// <summary>The reporting cadence (strategy office) and the list of due and overdue status reports.</summary>
public static class ControllingEndpoints
{
    public const string Tag = "Controlling";
    public const string CadenceRoute = "/api/controlling/cadence";

    /// <summary>Set when status reports are due, for one measure type or (measureType null) for all.</summary>
    [WolverinePost(CadenceRoute, OperationId = "setReportingCadence")]
    [EndpointSummary("Set the reporting cadence")]
    [EndpointDescription("Quarterly, monthly or none, due dueDays (0 to 365) days after the period ends; for one measure type, or for every measure without a rule of its own (measureType null). "
        + "The first setting starts the cadence's stream (201), every later one appends to it (200). Strategy office only.")]
    [ProducesResponseType<CadenceCommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static async Task<IResult> Set(SetReportingCadence? command, CommandPipeline pipeline, CatalogReader catalog, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        return await CadenceStream.CurrentAsync(session, ct) is { } current
            ? await pipeline.ChangeAsync(CadenceStream.Kind, current.Id, SetReportingCadence.CommandName,
                async (state, write, token) => command.Decide(state, await catalog.CurrentAsync(write.Session, token)), http, ct)
            : await pipeline.StartAsync(CadenceStream.Kind, SetReportingCadence.CommandName,
                async (_, s, token) => command.Decide(null, await catalog.CurrentAsync(s, token)), http, ct);
    }

    /// <summary>The reporting cadence: one rule per measure type and one for all (none before the strategy office sets one).</summary>
    [AllowAnonymous]
    [WolverineGet(CadenceRoute, OperationId = "getReportingCadence")]
    [Tags(Tag)]
    [EndpointSummary("The reporting cadence")]
    [ProducesResponseType<ReportingCadenceState>(StatusCodes.Status200OK)]
    public static async Task<ReportingCadenceState> Get(IQuerySession session, CancellationToken ct) =>
        await CadenceStream.CurrentAsync(session, ct) ?? new ReportingCadenceState();
}
