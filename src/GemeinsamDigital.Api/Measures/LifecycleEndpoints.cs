using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

// One endpoint per lifecycle step. Each is a thin shell around the pure decision in the domain
// (MeasureLifecycle.Decide via MeasureCommandHandler); the route is the command's name.
// Every step answers: 200 accepted (ETag = new version), 400 invalid, 404 unknown measure,
// 409 not allowed in the current stage, 412 stale If-Match, 422 a broken rule.

public static class UnderstandProblemEndpoint
{
    /// <summary>Record the problem understanding.</summary>
    /// <remarks>Who is affected (incl. Stille Gruppen) and the evidence. Idea → ProblemUnderstood.</remarks>
    [WolverinePost("/api/measures/{id}/understand-problem", OperationId = "understandProblem")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record the problem understanding")]
    [EndpointDescription("Who is affected (incl. Stille Gruppen) and the evidence. Idea → ProblemUnderstood.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, UnderstandProblem? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class DefineGoalsEndpoint
{
    /// <summary>Define goals.</summary>
    /// <remarks>Contribution to each Leitgedanke, Zukunftsperspektiven served, impact indicators. ProblemUnderstood → GoalsDefined.</remarks>
    [WolverinePost("/api/measures/{id}/define-goals", OperationId = "defineGoals")]
    [Tags("Lifecycle")]
    [EndpointSummary("Define goals")]
    [EndpointDescription("Contribution to each Leitgedanke, Zukunftsperspektiven served, impact indicators. ProblemUnderstood → GoalsDefined.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, DefineGoals? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class MandateMeasureEndpoint
{
    /// <summary>Mandate the measure.</summary>
    /// <remarks>Lead, project team, budget and funding, responsibilities: mandate and commitment before any pilot. GoalsDefined → Mandated.</remarks>
    [WolverinePost("/api/measures/{id}/mandate", OperationId = "mandate")]
    [Tags("Lifecycle")]
    [EndpointSummary("Mandate the measure")]
    [EndpointDescription("Lead, project team, budget and funding, responsibilities: mandate and commitment before any pilot. GoalsDefined → Mandated.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, MandateMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class StartPilotEndpoint
{
    /// <summary>Start a pilot.</summary>
    /// <remarks>Plan, period and milestones; after an iteration this starts the next numbered cycle. Mandated/Iterated → Pilot.</remarks>
    [WolverinePost("/api/measures/{id}/start-pilot", OperationId = "startPilot")]
    [Tags("Lifecycle")]
    [EndpointSummary("Start a pilot")]
    [EndpointDescription("Plan, period and milestones; after an iteration this starts the next numbered cycle. Mandated/Iterated → Pilot.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, StartPilot? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class ReachMilestoneEndpoint
{
    /// <summary>Record a reached milestone.</summary>
    /// <remarks>During the pilot.</remarks>
    [WolverinePost("/api/measures/{id}/reach-milestone", OperationId = "reachMilestone")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record a reached milestone")]
    [EndpointDescription("During the pilot.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, ReachMilestone? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class MissMilestoneEndpoint
{
    /// <summary>Record a missed milestone.</summary>
    /// <remarks>During the pilot; an open culture of failure records misses too.</remarks>
    [WolverinePost("/api/measures/{id}/miss-milestone", OperationId = "missMilestone")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record a missed milestone")]
    [EndpointDescription("During the pilot; an open culture of failure records misses too.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, MissMilestone? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class RescheduleMilestoneEndpoint
{
    /// <summary>Reschedule a milestone.</summary>
    /// <remarks>During the pilot.</remarks>
    [WolverinePost("/api/measures/{id}/reschedule-milestone", OperationId = "rescheduleMilestone")]
    [Tags("Lifecycle")]
    [EndpointSummary("Reschedule a milestone")]
    [EndpointDescription("During the pilot.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, RescheduleMilestone? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class RecordParticipationEndpoint
{
    /// <summary>Record a participation format held.</summary>
    /// <remarks>Format, date, Fünffach-Helix groups reached (incl. Stille Gruppen), participant count. During the pilot.</remarks>
    [WolverinePost("/api/measures/{id}/record-participation", OperationId = "recordParticipation")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record a participation format held")]
    [EndpointDescription("Format, date, Fünffach-Helix groups reached (incl. Stille Gruppen), participant count. During the pilot.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, RecordParticipation? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class RecordMeasurementEndpoint
{
    /// <summary>Record an indicator measurement.</summary>
    /// <remarks>Value, date and source for an indicator defined with the goals. During pilot or evaluation.</remarks>
    [WolverinePost("/api/measures/{id}/record-measurement", OperationId = "recordMeasurement")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record an indicator measurement")]
    [EndpointDescription("Value, date and source for an indicator defined with the goals. During pilot or evaluation.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, RecordMeasurement? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class RecordRiskEndpoint
{
    /// <summary>Record a risk or conflict.</summary>
    /// <remarks>Makes a risk or conflict visible. During pilot or evaluation.</remarks>
    [WolverinePost("/api/measures/{id}/record-risk", OperationId = "recordRisk")]
    [Tags("Lifecycle")]
    [EndpointSummary("Record a risk or conflict")]
    [EndpointDescription("Makes a risk or conflict visible. During pilot or evaluation.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, RecordRisk? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class ResolveRiskEndpoint
{
    /// <summary>Resolve a risk or conflict.</summary>
    /// <remarks>During pilot or evaluation.</remarks>
    [WolverinePost("/api/measures/{id}/resolve-risk", OperationId = "resolveRisk")]
    [Tags("Lifecycle")]
    [EndpointSummary("Resolve a risk or conflict")]
    [EndpointDescription("During pilot or evaluation.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, ResolveRisk? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class StartEvaluationEndpoint
{
    /// <summary>Start the evaluation.</summary>
    /// <remarks>Pilot → Evaluation; open conflicts must be resolved first.</remarks>
    [WolverinePost("/api/measures/{id}/start-evaluation", OperationId = "startEvaluation")]
    [Tags("Lifecycle")]
    [EndpointSummary("Start the evaluation")]
    [EndpointDescription("Pilot → Evaluation; open conflicts must be resolved first.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, StartEvaluation? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class CompleteEvaluationEndpoint
{
    /// <summary>Complete the evaluation.</summary>
    /// <remarks>Findings per indicator and per Leitgedanke, lessons learned. Evaluation → Evaluated.</remarks>
    [WolverinePost("/api/measures/{id}/complete-evaluation", OperationId = "completeEvaluation")]
    [Tags("Lifecycle")]
    [EndpointSummary("Complete the evaluation")]
    [EndpointDescription("Findings per indicator and per Leitgedanke, lessons learned. Evaluation → Evaluated.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, CompleteEvaluation? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class ScaleMeasureEndpoint
{
    /// <summary>Outcome: scale or make permanent.</summary>
    /// <remarks>Evaluated → Scaled.</remarks>
    [WolverinePost("/api/measures/{id}/scale", OperationId = "scale")]
    [Tags("Lifecycle")]
    [EndpointSummary("Outcome: scale or make permanent")]
    [EndpointDescription("Evaluated → Scaled.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, ScaleMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class IterateMeasureEndpoint
{
    /// <summary>Outcome: iterate.</summary>
    /// <remarks>A new pilot cycle follows. Evaluated → Iterated.</remarks>
    [WolverinePost("/api/measures/{id}/iterate", OperationId = "iterate")]
    [Tags("Lifecycle")]
    [EndpointSummary("Outcome: iterate")]
    [EndpointDescription("A new pilot cycle follows. Evaluated → Iterated.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, IterateMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class StopMeasureEndpoint
{
    /// <summary>Outcome: stop.</summary>
    /// <remarks>With reason and lessons; the measure stays on record. Evaluated → Stopped.</remarks>
    [WolverinePost("/api/measures/{id}/stop", OperationId = "stop")]
    [Tags("Lifecycle")]
    [EndpointSummary("Outcome: stop")]
    [EndpointDescription("With reason and lessons; the measure stays on record. Evaluated → Stopped.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, StopMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class WithdrawMeasureEndpoint
{
    /// <summary>Withdraw the measure.</summary>
    /// <remarks>Only before the mandate.</remarks>
    [WolverinePost("/api/measures/{id}/withdraw", OperationId = "withdraw")]
    [Tags("Lifecycle")]
    [EndpointSummary("Withdraw the measure")]
    [EndpointDescription("Only before the mandate.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, WithdrawMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class ArchiveMeasureEndpoint
{
    /// <summary>Archive the measure.</summary>
    /// <remarks>After its outcome (scaled, stopped) or withdrawal. Nothing changes after this.</remarks>
    [WolverinePost("/api/measures/{id}/archive", OperationId = "archive")]
    [Tags("Lifecycle")]
    [EndpointSummary("Archive the measure")]
    [EndpointDescription("After its outcome (scaled, stopped) or withdrawal. Nothing changes after this.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, ArchiveMeasure? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class AmendDetailsEndpoint
{
    /// <summary>Amend title, problem statement or description.</summary>
    /// <remarks>At any stage but Archived.</remarks>
    [WolverinePost("/api/measures/{id}/amend-details", OperationId = "amendDetails")]
    [Tags("Lifecycle")]
    [EndpointSummary("Amend title, problem statement or description")]
    [EndpointDescription("At any stage but Archived.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, AmendDetails? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}

public static class ChangeTeamEndpoint
{
    /// <summary>Change the project team.</summary>
    /// <remarks>Participating administrations and responsibilities; at any stage but Archived.</remarks>
    [WolverinePost("/api/measures/{id}/change-team", OperationId = "changeTeam")]
    [Tags("Lifecycle")]
    [EndpointSummary("Change the project team")]
    [EndpointDescription("Participating administrations and responsibilities; at any stage but Archived.")]
    [ProducesResponseType<CommandAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static Task<IResult> Post(Guid id, ChangeTeam? command, MeasureCommandHandler handler, HttpContext http, CancellationToken ct) =>
        handler.Handle(id, command, http, ct);
}
