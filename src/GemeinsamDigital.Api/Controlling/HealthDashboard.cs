using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Controlling;

/// <summary>The health dashboard: a dashboard like the others (filters, asOf, JSON and CSV).</summary>
public static class HealthDashboard
{
    /// <summary>Health per reporting period, transitions between periods, measures off-track two or more periods in a row, missing reports.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/health", OperationId = "dashboardHealth")]
    [Tags(DashboardEndpoints.Tag)]
    [EndpointSummary("Health")]
    [EndpointDescription("Per reporting period the measures' health by their current status report and the reports missing (overdue by the reporting cadence); "
        + "transitions between each measure's consecutive reported periods; runs of two or more consecutive off-track periods. Window: periods ending in it.")]
    [ProducesResponseType<DashboardResponse<HealthFiguresResult>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static async Task<IResult> Get([AsParameters] DashboardParameters query, DashboardResponder responder, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var cadence = await CadenceStream.EventsAsync(session, ct);
        return await responder.Answer(http, "health", query, new FieldErrors(),
            (rows, filter, now) => HealthMath.Figures(rows, filter, CadenceStream.At(cadence, now), now), Csv, ct,
            dependsOn: "cadence-" + cadence.Count);
    }

    public static CsvTable Csv(HealthFiguresResult f) => new(
        ["section", "period", "period_end", "reported", "on_track", "at_risk", "off_track", "paused", "missing", "from", "to", "measures", "measure_id", "title", "lead", "to_period", "current"],
        [
            .. f.Periods.Select(p => (IReadOnlyList<object?>)["period", p.Period, p.End, p.Reported, p.OnTrack, p.AtRisk, p.OffTrack, p.Paused, p.Missing, null, null, null, null, null, null, null, null]),
            .. f.Transitions.Select(t => (IReadOnlyList<object?>)["transition", null, null, null, null, null, null, null, null, t.From, t.To, t.Measures, null, null, null, null, null]),
            .. f.OffTrack.Select(r => (IReadOnlyList<object?>)["off-track", r.FromPeriod, null, null, null, null, null, null, null, null, null, r.Periods, r.MeasureId, r.Title, r.Lead, r.ToPeriod, r.Current]),
            .. f.Missing.Select(m => (IReadOnlyList<object?>)["missing", m.Period, m.PeriodEnd, null, null, null, null, null, null, null, null, null, m.MeasureId, m.Title, m.Lead, null, null]),
        ]);
}
