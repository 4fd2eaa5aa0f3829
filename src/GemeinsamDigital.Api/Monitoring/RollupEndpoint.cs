using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Monitoring;

/// <summary>
/// A programme's roll-up: read like every dashboard (DashboardResponder), from the rows of the async
/// monitoring projection (live) or from the events folded up to asOf, and computed by the pure
/// ProgrammeRollup. Each row carries the measure's programme, so rebuilding the projection rebuilds it.
/// </summary>
public static class RollupEndpoint
{
    /// <summary>The programme's direct parts summed: stages, milestones, indicators, budgets by currency, progress.</summary>
    /// <param name="id">The programme (a measure's id).</param>
    /// <param name="asOf">ISO 8601 timestamp: the roll-up as it was then, computed from the events (as on the dashboards).</param>
    /// <param name="format">json (default), csv or csv-de; wins over the Accept header.</param>
    /// <param name="session">Query session.</param>
    /// <param name="responder">Dashboard pipeline.</param>
    /// <param name="http">HTTP context.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/measures/{id}/rollup", OperationId = "measureRollup")]
    [Tags(DashboardEndpoints.Tag)]
    [EndpointSummary("Programme roll-up")]
    [EndpointDescription("The measures directly part of the programme (attach-to-programme), summed: measures per stage, milestones reached/missed/open, indicators achieved/on track/behind, budgets summed per currency, and progress: the mean of the parts' stage progress (Idea 0, ProblemUnderstood 0.1, GoalsDefined 0.2, Mandated and Iterated 0.3, Pilot 0.3 + 0.4 × reached share of the current cycle's milestones, Evaluation 0.8, Evaluated 0.9, Scaled, Stopped and Archived 1; withdrawn parts left out). Now (from the async monitoring projection, with its sequence and lag) or asOf a moment.")]
    [ProducesResponseType<DashboardResponse<RollupFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, string? asOf, string? format, IQuerySession session, DashboardResponder responder, HttpContext http, CancellationToken ct)
    {
        if (await session.LoadAsync<MeasureState>(id, ct) is null)
        {
            return Problems.MeasureNotFound(id);
        }
        var parameters = new DashboardParameters { AsOf = asOf, Format = format };
        return await responder.Answer(http, "rollup", parameters, new FieldErrors(), (rows, _, _) => ProgrammeRollup.Of(id, rows), DashboardCsv.Rollup, ct);
    }
}
