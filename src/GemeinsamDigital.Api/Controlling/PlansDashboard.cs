using GemeinsamDigital.Domain.Controlling;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Controlling;

/// <summary>The plans a measure serves, counted: a dashboard like the others (filters, asOf, JSON and CSV).</summary>
public static class PlansDashboard
{
    /// <summary>Per plan of the Land: the measures serving it, per stage and per health of their latest status report.</summary>
    [AllowAnonymous]
    [AnswersTable]
    [ConditionalRead]
    [WolverineGet("/api/dashboard/plans", OperationId = "dashboardPlans")]
    [Tags(DashboardEndpoints.Tag)]
    [EndpointSummary("Plans served")]
    [EndpointDescription("For every plan of the catalogue (list plans), the measures serving it (link-plan): how many, per stage, per health of their latest "
        + "status report, and how many have reported nothing yet. A measure serving two plans counts under each. Filters select the measures; asOf as every dashboard.")]
    [ProducesResponseType<DashboardResponse<PlanFiguresResult>>(StatusCodes.Status200OK, Tables.JsonType, Tables.CsvType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status406NotAcceptable, Problems.ContentType)]
    public static Task<IResult> Get([AsParameters] DashboardParameters query, DashboardResponder responder, HttpContext http, CancellationToken ct) =>
        responder.Answer(http, "plans", query, new FieldErrors(), (rows, filter, _) => PlanMath.Figures(rows, filter), Csv, ct);

    /// <summary>A row per plan (section plan), then per plan a row per stage and per health (sections stage and health, the plan in column plan).</summary>
    public static CsvTable Csv(PlanFiguresResult f) => new(
        ["section", "plan", "code", "label", "measures", "unreported"],
        [
            ["summary", null, "measures", null, f.Measures, null],
            ["summary", null, "measures-serving-plans", null, f.MeasuresServingPlans, null],
            .. f.Plans.Select(p => (IReadOnlyList<object?>)["plan", p.Code, p.Code, p.Label, p.Measures, p.Unreported]),
            .. f.Plans.SelectMany(p => p.Stages.Select(s => (IReadOnlyList<object?>)["stage", p.Code, s.Code.Code(), s.Label, s.Measures, null])),
            .. f.Plans.SelectMany(p => p.Health.Select(h => (IReadOnlyList<object?>)["health", p.Code, h.Code, h.Label, h.Measures, null])),
        ]);
}
