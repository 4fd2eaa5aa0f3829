using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Controlling;

/// <summary>Due and overdue status reports: a dashboard like the others (filters, asOf, JSON and CSV).</summary>
public static class ReportingDueDashboard
{
    /// <summary>Status reports the cadence asks for that have not arrived, per administration and measure.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/reporting-due", OperationId = "dashboardReportingDue")]
    [Tags(DashboardEndpoints.Tag)]
    [EndpointSummary("Due status reports")]
    [EndpointDescription("For every measure from its mandate on, each period of its reporting cadence that has ended without a report: due up to period end + dueDays, overdue after; "
        + "counted per lead administration. asOf: measures and cadence as they were then, and that day as today.")]
    [ProducesResponseType<DashboardResponse<DueReportFigures>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static async Task<IResult> Get([AsParameters] DashboardParameters query, DashboardResponder responder, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var cadence = await CadenceStream.EventsAsync(session, ct);
        return await responder.Answer(http, "reporting-due", query, new FieldErrors(),
            (rows, filter, now) => ReportingDue.Figures(rows, filter, CadenceStream.At(cadence, now), now), Csv, ct,
            dependsOn: "cadence-" + cadence.Count);
    }

    public static CsvTable Csv(DueReportFigures f) => new(
        ["section", "administration", "due", "overdue", "measure_id", "title", "type", "period", "period_end", "due_on", "status", "days_overdue"],
        [
            .. f.Administrations.Select(a => (IReadOnlyList<object?>)["administration", a.Administration, a.Due, a.Overdue, null, null, null, null, null, null, null, null]),
            .. f.Reports.Select(r => (IReadOnlyList<object?>)["report", r.Lead, null, null, r.MeasureId, r.Title, r.Type, r.Period, r.PeriodEnd, r.DueOn, r.Status, r.DaysOverdue]),
        ]);
}
