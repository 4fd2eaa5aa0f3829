using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using Microsoft.AspNetCore.Mvc;

namespace GemeinsamDigital.Api.Http;

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
            ["currentStage"] = r.CurrentStage.Code(),
            ["currentStageLabel"] = r.CurrentStage.Label(),
            ["command"] = r.Command,
            ["allowedCommands"] = r.AllowedCommands,
        }),
        RuleViolated r => Problem(StatusCodes.Status422UnprocessableEntity, "rule-violated", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["errors"] = r.Errors,
        }),
        CatalogCodeRetired r => Problem(StatusCodes.Status422UnprocessableEntity, "catalog-code-retired", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["errors"] = r.Errors,
        }),
        AnotherRevisionPhaseOpen r => Problem(StatusCodes.Status409Conflict, "revision-phase-already-open", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["openPhaseId"] = r.OpenPhaseId,
        }),
        RevisionPhaseClosedAlready r => Problem(StatusCodes.Status409Conflict, "revision-phase-closed", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["phaseId"] = r.PhaseId,
            ["command"] = r.Command,
        }),
        ExternalIdTaken r => Problem(StatusCodes.Status409Conflict, "external-id-taken", r.Title, r.Detail, new Dictionary<string, object?>
        {
            ["externalId"] = r.ExternalId,
            ["lead"] = r.Lead,
            ["measureId"] = r.MeasureId,
            ["measure"] = $"/api/measures/{r.MeasureId}",
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

    public static IResult CadenceNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "cadence-not-found", "No such reporting cadence.", $"There is no reporting cadence with id '{id}'.");

    public static IResult RevisionPhaseNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "revision-phase-not-found", "No such revision phase.", $"There is no revision phase with id '{id}'.");

    public static IResult RevisionPhaseStillOpen(Guid id, string name) =>
        Problem(StatusCodes.Status409Conflict, "revision-phase-open", "The revision phase is still open.",
            $"Revision phase '{name}' has no snapshot yet: a snapshot is taken when the phase closes (POST /api/revisions/{id}/close).",
            new Dictionary<string, object?> { ["phaseId"] = id });

    /// <summary>A route segment that must be a UUID is not one: the address names nothing (the same type as an unknown path).</summary>
    public static IResult NotAUuid(string parameter) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found.",
            $"There is nothing at this address: '{{{parameter}}}' must be a UUID (e.g. 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b).");

    public static IResult NotFound(string what, string detail) =>
        Problem(StatusCodes.Status404NotFound, what + "-not-found", "Not found.", detail);

    /// <summary>An import file that cannot be read as a whole (its rows are judged one by one otherwise).</summary>
    public static IResult ImportUnreadable(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "import-unreadable", "The import file cannot be read.", detail);

    public static IResult ImportNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "import-not-found", "No such import.", $"There is no import with id '{id}' that you may read.");

    public static IResult SubscriptionNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "subscription-not-found", "No such subscription.", $"There is no webhook subscription with id '{id}' that you may read.");

    public static IResult DeliveryNotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "delivery-not-found", "No such delivery.", $"The subscription has no delivery '{(id.Length > 80 ? id[..80] : id)}'.");

    public static IResult DeliveryPending(string id) =>
        Problem(StatusCodes.Status409Conflict, "delivery-pending", "The delivery is still pending.",
            $"Delivery '{id}' has not ended yet; only a dead or delivered one can be sent again.");

    /// <summary>Stored events fail their hash chain or differ from the transparency log: what would be built on them is refused.</summary>
    public static IResult IntegrityBroken(string action, IReadOnlyDictionary<Guid, GemeinsamDigital.Audit.ChainBreak> broken) =>
        IntegrityBroken(action, [.. broken.Keys], [.. broken.Take(100).Select(b => new { stream = b.Key, b.Value.Version, b.Value.Sequence, b.Value.Reason, b.Value.Detail })]);

    private static IResult IntegrityBroken(string action, IReadOnlyList<Guid> streams, IReadOnlyList<object> mismatches) =>
        Problem(StatusCodes.Status409Conflict, "integrity-broken", "Stored events were changed.",
            $"{action} is refused: the events of {streams.Count} stream(s) fail their hash chain or differ from the transparency log "
            + "(see GET /api/measures/{id}/integrity and docs/audit.md: restore the rows from a backup).",
            new Dictionary<string, object?> { ["streams"] = streams.Take(100).ToList(), ["mismatches"] = mismatches });

    /// <summary>No signing key is configured, so there are no signed tree heads.</summary>
    public static IResult TreeHeadsUnavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "tree-heads-unavailable", "No tree heads are signed.",
            "This service has no tree head signing key (Audit:TreeHeadKey); see docs/audit.md.");

    /// <summary>The transparency log has not yet taken in what was asked for.</summary>
    public static IResult LogBehind(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "log-behind", "The transparency log is behind.", detail,
            new Dictionary<string, object?> { ["retryAfter"] = 5 });

    /// <summary>A webhook target that resolves to an address the service must not send to.</summary>
    public static IResult WebhookTargetRefused(string detail) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "webhook-target-refused", "The webhook target is refused.", detail);

    public static IResult TooManySubscriptions(int limit) =>
        Problem(StatusCodes.Status409Conflict, "too-many-subscriptions", "Too many subscriptions.",
            $"An administration may hold at most {limit} webhook subscriptions; delete one first.");

    public static IResult SubjectNotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "subject-not-found", "No such subject.",
            $"There is no subject with pseudonym '{(id.Length > 80 ? id[..80] : id)}'.");

    /// <summary>Erasing twice: the identity is gone already (the first erasure's audit event says when and why).</summary>
    public static IResult SubjectAlreadyErased(string id, DateTimeOffset? erasedAt) =>
        Problem(StatusCodes.Status409Conflict, "subject-erased", "The subject is erased already.",
            $"The identity behind '{id}' was erased{(erasedAt is { } at ? $" at {at:O}" : "")}; there is nothing left to erase.",
            new Dictionary<string, object?> { ["erasedAt"] = erasedAt });

    public static IResult StaleVersion(long expected, long current, string subject = "measure") =>
        Problem(StatusCodes.Status412PreconditionFailed, "stale-version", $"The {subject} has changed since you read it.",
            $"If-Match names version {expected}, the {subject} is at version {current}. Read it again and retry.",
            new Dictionary<string, object?> { ["expectedVersion"] = expected, ["currentVersion"] = current });

    public static IResult NotAcceptable(string accept, IReadOnlyList<string> supported) =>
        Problem(StatusCodes.Status406NotAcceptable, "not-acceptable", "No acceptable representation.",
            $"This resource is available as {string.Join(" or ", supported)}; the request accepts only '{accept}'.",
            new Dictionary<string, object?> { ["supported"] = supported });

    /// <summary>CSV asked of an endpoint that answers no table: which endpoints do.</summary>
    public static IResult NoTable(IReadOnlyList<string> supported, IReadOnlyList<string> csvEndpoints) =>
        Problem(StatusCodes.Status406NotAcceptable, "not-acceptable", "No acceptable representation.",
            $"This resource is not a table and is available as {string.Join(" or ", supported)} only; CSV (format=csv, format=csv-de or Accept: text/csv) is answered by the tables listed in 'csvEndpoints'.",
            new Dictionary<string, object?> { ["supported"] = supported, ["csvEndpoints"] = csvEndpoints });

    // Who may do what. Refusals say what is missing, never anything about the measure.

    public static IResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication is required.",
            "Send an API key in the X-Api-Key header or a bearer token (Authorization: Bearer ...).");

    public static IResult InvalidCredentials(string reason) =>
        Problem(StatusCodes.Status401Unauthorized, "invalid-credentials", "The credentials are not valid.", reason);

    public static IResult Forbidden(IReadOnlyCollection<string> roles) =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", "Your role does not allow this request.",
            roles.Count > 0 ? $"This request needs one of the roles: {string.Join(", ", roles)}." : "This request is reserved to other roles.");

    /// <summary>The same answer whether the measure exists or not, so a refusal tells nothing about it.</summary>
    public static IResult MeasureForbidden() =>
        Problem(StatusCodes.Status403Forbidden, "measure-forbidden", "You may not act on this measure.",
            "Commands on a measure are open to editors of its lead or participating administrations and to the strategy office.");

    /// <summary>
    /// The caller is on the measure's project team, but its position does not allow this command:
    /// names the positions that do (empty: the strategy office only). Told only to team members,
    /// who know the measure anyway.
    /// </summary>
    public static IResult CommandNotPermitted(string command, TeamPosition position, IReadOnlyList<TeamPosition> allowedPositions) =>
        Problem(StatusCodes.Status403Forbidden, "command-not-permitted", "Your position in the project team does not allow this command.",
            allowedPositions.Count == 0
                ? $"'{command}' commits budget and resources: only the strategy office runs it, on behalf of the Lenkungskreis."
                : $"'{command}' is open to editors of the {string.Join(" or ", allowedPositions.Select(p => p.Label()))} administration and to the strategy office; yours is {position.Label()}.",
            new Dictionary<string, object?>
            {
                ["command"] = command,
                ["position"] = position.Label(),
                ["allowedPositions"] = allowedPositions.Select(p => p.Label()).ToArray(),
            });

    public static IResult ProposalForbidden() =>
        Problem(StatusCodes.Status403Forbidden, "proposal-forbidden", "You may not propose measures for this administration.",
            "Editors propose measures with their own administration as lead; the strategy office for any administration.");

    // Idempotency, limits and failure behaviour.

    public static IResult IdempotencyKeyReused() =>
        Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "The Idempotency-Key was used for a different request.",
            "This Idempotency-Key already stands for another request (other method, path or body). Use a new key for a new request.");

    public static IResult PayloadTooLarge(long limit) => Results.Problem(PayloadTooLargeDetails(limit));

    public static IResult TooManyRequests(int retryAfterSeconds) =>
        Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests.",
            $"This client has sent too many requests; retry after {retryAfterSeconds} seconds.",
            new Dictionary<string, object?> { ["retryAfter"] = retryAfterSeconds });

    public static IResult DatabaseUnavailable(int retryAfterSeconds) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The service is temporarily unavailable.",
            $"The event store does not answer right now. Retry after {retryAfterSeconds} seconds; send commands with an Idempotency-Key so a retry is recorded at most once.",
            new Dictionary<string, object?> { ["retryAfter"] = retryAfterSeconds });

    public static IResult UriTooLong(int limit) => Results.Problem(UriTooLongDetails(limit));

    public static ProblemDetails UriTooLongDetails(int limit) =>
        Details(StatusCodes.Status414UriTooLong, "uri-too-long", "The request URI is too long.",
            $"Path and query may hold at most {limit} characters.", new Dictionary<string, object?> { ["limit"] = limit });

    public static ProblemDetails PayloadTooLargeDetails(long limit) =>
        Details(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The request body is too large.",
            $"Request bodies may hold at most {limit} bytes.", new Dictionary<string, object?> { ["limit"] = limit });

    // Framework errors (JSON the reader refuses, query values that do not parse, bare status codes).

    /// <summary>The body is not JSON at all, or not a JSON object; 'errors' names the member where reading broke off, if any.</summary>
    public static ProblemDetails MalformedJsonDetails(string detail, IReadOnlyDictionary<string, string[]>? errors) =>
        Details(StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON.", detail,
            errors is { Count: > 0 } ? new Dictionary<string, object?> { ["errors"] = errors } : null);

    /// <summary>The same shape as <see cref="Validation(IReadOnlyDictionary{string, string[]})"/>, for problems rewritten in place.</summary>
    public static ProblemDetails ValidationDetails(IReadOnlyDictionary<string, string[]> errors) =>
        Details(StatusCodes.Status400BadRequest, "validation", "The request is invalid.",
            "One or more fields are missing or invalid; see 'errors'.", new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>Our entry for a status the framework answered on its own (an empty 404, 405, 415, …).</summary>
    public static ProblemDetails ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Details(status, "bad-request", "The request is invalid.", "The request could not be read."),
        StatusCodes.Status401Unauthorized => Details(status, "unauthorized", "Authentication is required.",
            "Send an API key in the X-Api-Key header or a bearer token (Authorization: Bearer ...)."),
        StatusCodes.Status403Forbidden => Details(status, "forbidden", "Your role does not allow this request.", "This request is reserved to other roles."),
        StatusCodes.Status404NotFound => Details(status, "not-found", "Not found.", "There is nothing at this address."),
        StatusCodes.Status405MethodNotAllowed => Details(status, "method-not-allowed", "The method is not allowed here.",
            "This address does not accept this HTTP method; the OpenAPI document lists the methods it does."),
        StatusCodes.Status406NotAcceptable => Details(status, "not-acceptable", "No acceptable representation.",
            "This resource is not available in a media type the request accepts."),
        StatusCodes.Status413PayloadTooLarge => Details(status, "payload-too-large", "The request body is too large.", "The request body is larger than this service accepts."),
        StatusCodes.Status414UriTooLong => Details(status, "uri-too-long", "The request URI is too long.", "The request URI is longer than this service accepts."),
        StatusCodes.Status415UnsupportedMediaType => Details(status, "unsupported-media-type", "The content type is not supported.",
            "Send the body as application/json."),
        >= 500 => Details(status, "server-error", "The service failed.",
            "The request could not be answered because of an error on our side; quote the traceId when reporting it."),
        _ => Details(status, "http-" + status, "The request failed.", $"The request was answered with status {status}."),
    };

    public static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(Details(status, type, title, detail, extensions));

    public static ProblemDetails Details(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new()
        {
            Status = status,
            Type = TypeBase + type,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        };
}
