using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Mvc;

namespace GemeinsamDigital.Api.Infrastructure;

/// <summary>RFC 9457 problem responses: every error the API gives is built here.</summary>
public static class Problems
{
    public const string TypeBase = "https://gemeinsamdigital.berlin.de/problems/";
    public const string ContentType = "application/problem+json";

    public static IResult From(Rejection rejection) => rejection switch
    {
        InvalidCommand r => Validation(r.Errors),
        TransitionNotAllowed r => Problem(StatusCodes.Status409Conflict, "transition-not-allowed", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["currentStage"] = r.CurrentStage.ToString(),
            ["currentStageLabel"] = r.CurrentStage.Label(),
            ["command"] = r.Command,
            ["allowedCommands"] = r.AllowedCommands,
        }),
        RuleViolated r => Problem(StatusCodes.Status422UnprocessableEntity, "rule-violated", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["errors"] = r.Errors,
        }),
        _ => throw new InvalidOperationException($"Unmapped rejection {rejection.GetType().Name}"),
    };

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Results.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypeBase + "validation",
            Title = "The request is invalid.",
            Detail = "One or more fields are missing or invalid; see 'errors'.",
        });

    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult MissingBody() =>
        Problem(StatusCodes.Status400BadRequest, "missing-body", "The request has no body.", "Send the command as a JSON object.");

    public static IResult MeasureNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "measure-not-found", "No such measure.", $"There is no measure with id '{id}'.");

    public static IResult NotFound(string what, string detail) =>
        Problem(StatusCodes.Status404NotFound, what + "-not-found", "Not found.", detail);

    public static IResult StaleVersion(long expected, long current) =>
        Problem(StatusCodes.Status412PreconditionFailed, "stale-version", "The measure has changed since you read it.",
            $"If-Match names version {expected}, the measure is at version {current}. Read it again and retry.",
            new Dictionary<string, object?> { ["expectedVersion"] = expected, ["currentVersion"] = current });

    public static IResult NotAcceptable(string accept, IReadOnlyList<string> supported) =>
        Problem(StatusCodes.Status406NotAcceptable, "not-acceptable", "No acceptable representation.",
            $"This resource is available as {string.Join(" or ", supported)}; the request accepts only '{accept}'.",
            new Dictionary<string, object?> { ["supported"] = supported });

    public static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + type,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });
}
