using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Monitoring;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Monitoring;

// Monitoring dashboards: thin shells around the pure functions in Domain/Monitoring/DashboardMath.
// Every one takes the same filters (from, to, lead, district, type, perspective) and asOf, answers
// JSON or CSV (format or Accept, see Tables), and states the event sequence it reflects
// and the projection's lag in X-Event-Sequence / X-Projection-Lag and in the body.

public static class DashboardEndpoints
{
    public const string Tag = "Dashboards";
    public const int DefaultInactiveDays = 90;
    public const int MaxInactiveDays = 3650;

    /// <summary>Measures per stage, type, Zukunftsperspektive, Leitgedanke (weighted by declared contribution), lead administration and district, and by located district (places).</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/portfolio", OperationId = "dashboardPortfolio")]
    [Tags(Tag)]
    [EndpointSummary("Portfolio")]
    [EndpointDescription("Measures per stage, type, Zukunftsperspektive, Leitgedanke (weighted by declared contribution 0..3), lead administration and district (as lead or participant); places: measures by the districts their location lies in (once in each), and those without a location.")]
    [ProducesResponseType<DashboardResponse<PortfolioFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Portfolio([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "portfolio", query, new FieldErrors(),
            (rows, filter, _) => DashboardMath.Portfolio(rows, filter) with { Places = DashboardMath.Places(rows, filter) }, DashboardCsv.Portfolio, ct);

    /// <summary>How many measures ever reached each stage, and the conversion between stages.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/funnel", OperationId = "dashboardFunnel")]
    [Tags(Tag)]
    [EndpointSummary("Funnel")]
    [EndpointDescription("How many measures ever reached each stage, and the conversion from the stage before (outcomes: from Evaluated; Withdrawn: from Idea).")]
    [ProducesResponseType<DashboardResponse<FunnelFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Funnel([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "funnel", query, new FieldErrors(), (rows, filter, _) => DashboardMath.Funnel(rows, filter), DashboardCsv.Funnel, ct);

    /// <summary>Median and 90th percentile days spent in each stage, and from proposal to each outcome.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/cycle-times", OperationId = "dashboardCycleTimes")]
    [Tags(Tag)]
    [EndpointSummary("Cycle times")]
    [EndpointDescription("Median and 90th percentile days of completed stays in each stage (window: stays that ended in it), and days from proposal to each outcome (window: outcomes reached in it).")]
    [ProducesResponseType<DashboardResponse<CycleTimeFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> CycleTimes([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "cycle-times", query, new FieldErrors(), (rows, filter, _) => DashboardMath.CycleTimes(rows, filter), DashboardCsv.CycleTimes, ct);

    /// <summary>Milestones past their due date, and open measures without activity for N days.</summary>
    /// <param name="query">The common dashboard filters.</param>
    /// <param name="inactiveDays">N: days without any recorded event (default 90, 1 to 3650).</param>
    /// <param name="responder">Dashboard pipeline.</param>
    /// <param name="http">HTTP context.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/overdue", OperationId = "dashboardOverdue")]
    [Tags(Tag)]
    [EndpointSummary("Overdue")]
    [EndpointDescription("Milestones of running pilots past their due date and not reached (window: due in it), and open measures without any event for inactiveDays days (default 90).")]
    [ProducesResponseType<DashboardResponse<OverdueFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Overdue([AsParameters] DashboardParameters query, string? inactiveDays, DashboardResponder responder, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var days = DashboardParameters.Number(inactiveDays, "inactiveDays", DefaultInactiveDays, 1, MaxInactiveDays, errors);
        return responder.Answer(http, "overdue", query, errors, (rows, filter, now) => DashboardMath.Overdue(rows, filter, now, days), DashboardCsv.Overdue, ct);
    }

    /// <summary>Which administrations work together on measures: edge list with counts, per administration, and how many measures cross silos.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/collaboration", OperationId = "dashboardCollaboration")]
    [Tags(Tag)]
    [EndpointSummary("Collaboration")]
    [EndpointDescription("Which administrations work together in measures' project teams (lead + participating): edges with counts, per administration, and measures across administrations and levels.")]
    [ProducesResponseType<DashboardResponse<CollaborationFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Collaboration([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "collaboration", query, new FieldErrors(), (rows, filter, _) => DashboardMath.Collaboration(rows, filter), DashboardCsv.Collaboration, ct);

    /// <summary>Share of measures involving each Fünffach-Helix group, measures reaching Stille Gruppen, participant totals.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/participation", OperationId = "dashboardParticipation")]
    [Tags(Tag)]
    [EndpointSummary("Participation")]
    [EndpointDescription("For each Fünffach-Helix group the share of measures (that had a pilot) whose recorded participation reached it; measures that reached Stille Gruppen; participant totals per format (window: participations held in it).")]
    [ProducesResponseType<DashboardResponse<ParticipationFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Participation([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "participation", query, new FieldErrors(), (rows, filter, _) => DashboardMath.Participation(rows, filter), DashboardCsv.Participation, ct);

    /// <summary>Time series of each indicator with baseline and target, and the share of indicators on track.</summary>
    /// <param name="query">The common dashboard filters.</param>
    /// <param name="measureId">Only this measure's indicators.</param>
    /// <param name="responder">Dashboard pipeline.</param>
    /// <param name="http">HTTP context.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/indicators", OperationId = "dashboardIndicators")]
    [Tags(Tag)]
    [EndpointSummary("Indicators")]
    [EndpointDescription("Each indicator's measurements (window: measured in it) with baseline and target, and its status: achieved (latest value reached the target), on-track (progress from baseline to target ≥ share of the pilot period elapsed at the latest measurement), behind, or no-data. The summary's shareOnTrack = (achieved + on-track) / measured.")]
    [ProducesResponseType<DashboardResponse<IndicatorFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Indicators([AsParameters] DashboardParameters query, string? measureId, DashboardResponder responder, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Guid? measure = null;
        if (!string.IsNullOrEmpty(measureId))
        {
            if (Guid.TryParse(measureId, out var id))
            {
                measure = id;
            }
            else
            {
                errors.Add("measureId", "'measureId' must be a measure id (a UUID).");
            }
        }
        return responder.Answer(http, "indicators", query, errors, (rows, filter, _) => DashboardMath.Indicators(rows, filter, measure), DashboardCsv.Indicators, ct);
    }
}
