using GemeinsamDigital.Domain.Measures;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

public static class ReportStatusEndpoint
{
    [WolverinePost("/api/measures/{id}/report-status", OperationId = "reportStatus")]
    [EndpointSummary("Report the measure's status for a period.")]
    [EndpointDescription("A periodic status report (Sachstandsbericht): health, narrative, blockers, next steps, optional progress, and the date it describes (within the period). From the mandate until the measure ends; a second report for the same period supersedes the first.")]
    public static Task<IResult> Post(Guid id, ReportStatus? command, CommandPipeline pipeline, HttpContext http, CancellationToken ct) =>
        pipeline.RunAsync(id, command, http, ct);
}
