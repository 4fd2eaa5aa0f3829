using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>A new webhook subscription: where to deliver, and which changes (the change feed's filters; none: every change).</summary>
/// <param name="Url">The receiver: an absolute https URL (http only outside Production) of a public address.</param>
/// <param name="Description">What it is for (optional).</param>
/// <param name="Lead">Only changes of measures this administration leads.</param>
/// <param name="Participating">Only changes of measures this administration participates in.</param>
/// <param name="District">Only changes of measures this district (Bezirksamt) leads or participates in.</param>
/// <param name="EventTypes">Only these event types.</param>
public sealed record CreateSubscription(
    [property: Required, MaxLength(WebhookTargets.MaxUrlLength)] string? Url,
    [property: MaxLength(FieldErrors.MaxShortText)] string? Description,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Lead,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Participating,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Districts))] string? District,
    [property: MaxLength(ChangeFilters.MaxEventTypes), Codes(typeof(ChangeLog), nameof(ChangeLog.MeasureEventNames))] IReadOnlyList<string>? EventTypes)
{
    public static readonly CreateSubscription Example =
        new("https://fachverfahren.ba-mitte.berlin.de/hooks/gemeinsamdigital", "Fachverfahren des Bezirksamts Mitte", "ba-mitte", null, null, ["pilot-started", "milestone-missed"]);
}

/// <summary>A webhook subscription. The secret appears once, in the answer that created it.</summary>
public sealed record SubscriptionView(Guid Id, string Url, string? Description, string Administration, string? Lead, string? Participating, string? District,
    IReadOnlyList<string>? EventTypes, DateTimeOffset CreatedAt, long FromSequence, string? Secret, IReadOnlyDictionary<string, long>? Deliveries)
{
    public static SubscriptionView Of(WebhookSubscription s, string? secret = null, IReadOnlyDictionary<string, long>? deliveries = null) =>
        new(s.Id, s.Url, s.Description, s.Administration, s.Lead, s.Participating, s.District, s.EventTypes, s.CreatedAt, s.FromSequence, secret, deliveries);
}

/// <summary>A page of deliveries.</summary>
public sealed record DeliveryPage(IReadOnlyList<WebhookDelivery> Items, int Page, int PageSize, long Total, int PageCount);

/// <summary>How many deliveries were queued again.</summary>
public sealed record Redelivery(int Queued);

public static class SubscriptionEndpoints
{
    public const string Tag = "Webhooks";

    /// <summary>Subscribe a receiver to changes: every change the filter selects is POSTed to it, signed (Standard Webhooks).</summary>
    /// <param name="request">The subscription.</param>
    /// <param name="settings">Webhook settings.</param>
    /// <param name="environment">The host environment (https only in Production).</param>
    /// <param name="store">The document store.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverinePost("/api/subscriptions", OperationId = "createSubscription")]
    [Authorize(Policy = Policies.Subscribe)]
    [IdempotentCommand]
    [Tags(Tag)]
    [EndpointSummary("Create a webhook subscription")]
    [EndpointDescription("Owned by the caller's administration. Deliveries carry webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 with the secret, "
        + "over id.timestamp.body), are retried with growing pauses and end as dead letters after the last attempt (see docs/webhooks.md). The secret is in this answer only.")]
    [ProducesResponseType<SubscriptionView>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, Problems.ContentType)]
    public static async Task<IResult> Post(CreateSubscription? request, WebhookSettings settings, IHostEnvironment environment, IDocumentStore store,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (request is null)
        {
            return Problems.MissingBody();
        }
        var errors = new FieldErrors();
        if (WebhookTargets.CheckUrl(request.Url, settings.HttpsRequired(environment), out var uri) is { } invalidUrl)
        {
            errors.Add("url", invalidUrl);
        }
        errors.Optional(request.Description, "description", FieldErrors.MaxShortText);
        var selection = ChangeFilters.Parse(request.Lead, request.Participating, request.District, request.EventTypes, errors, "eventTypes");
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var (_, refusal) = await WebhookTargets.ResolveAsync(uri!.IdnHost, settings.AllowLoopback, ct);
        if (refusal is not null)
        {
            return Problems.WebhookTargetRefused(refusal);
        }

        var metadata = CommandMetadata.From(http);
        var administration = metadata.Administration!;
        await using var session = store.LightweightSession();
        if (await session.Query<WebhookSubscription>().CountAsync(s => s.Administration == administration, ct) >= settings.MaxSubscriptionsPerAdministration)
        {
            return Problems.TooManySubscriptions(settings.MaxSubscriptionsPerAdministration);
        }
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            Administration = administration,
            Url = uri.AbsoluteUri,
            BaseUrl = Links.Absolute(http.Request, "/").TrimEnd('/'),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            Lead = selection.Lead,
            Participating = selection.Participating,
            District = selection.District,
            EventTypes = selection.Types is { } types ? [.. types] : null,
            Secret = WebhookSigning.NewSecret(),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = metadata.Actor,
            // Changes committed before now are not news to it.
            FromSequence = await StreamSequences.HighWaterMarkAsync(session, ct),
        };
        session.Insert(subscription);
        var location = $"/api/subscriptions/{subscription.Id}";
        var view = SubscriptionView.Of(subscription, subscription.Secret);
        // A retried creation (same key) gets this answer, secret included, instead of a second subscription.
        var idempotency = IdempotencyRequest.Of(http);
        idempotency?.Remember(session, StatusCodes.Status201Created, view, null, location);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IdempotencyRequest.IsDuplicate(e) && idempotency is not null)
        {
            // The same request ran alongside and committed first: its answer is this one's.
            await using var read = store.QuerySession();
            if (await idempotency.CommittedAnswerAsync(read, ct) is { } committed)
            {
                return committed;
            }
            throw;
        }
        return Results.Created(location, view);
    }

    /// <summary>Webhook subscriptions: the caller's administration's, or every one for the strategy office.</summary>
    [WolverineGet("/api/subscriptions", OperationId = "listSubscriptions")]
    [Authorize(Policy = Policies.Subscribe)]
    [Tags(Tag)]
    [EndpointSummary("List webhook subscriptions")]
    [ProducesResponseType<ItemList<SubscriptionView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(IQuerySession session, HttpContext http, CancellationToken ct)
    {
        IQueryable<WebhookSubscription> subscriptions = session.Query<WebhookSubscription>();
        if (!http.User.IsInRole(Roles.StrategyOffice))
        {
            var own = ActOnMeasureHandler.AdministrationOf(http.User) ?? "";
            subscriptions = subscriptions.Where(s => s.Administration == own);
        }
        var found = await subscriptions.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(ct);
        return Results.Ok(new ItemList<SubscriptionView>([.. found.Select(s => SubscriptionView.Of(s))]));
    }

    /// <summary>A webhook subscription with how many of its deliveries are pending, delivered, dead or cancelled.</summary>
    /// <param name="id">The subscription.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="db">The delivery queue.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/subscriptions/{id}", OperationId = "getSubscription")]
    [Authorize(Policy = Policies.Subscribe)]
    [Tags(Tag)]
    [EndpointSummary("Read a webhook subscription")]
    [ProducesResponseType<SubscriptionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, WebhookDatabase db, HttpContext http, CancellationToken ct) =>
        await VisibleAsync(id, session, http, ct) is { } s
            ? Results.Ok(SubscriptionView.Of(s, deliveries: await WebhookDeliveries.CountsAsync(db.Source, id, ct)))
            : Problems.SubscriptionNotFound(id);

    /// <summary>Delete a webhook subscription: nothing more is delivered to it; its pending deliveries end as cancelled.</summary>
    /// <param name="id">The subscription.</param>
    /// <param name="store">The document store.</param>
    /// <param name="db">The delivery queue.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineDelete("/api/subscriptions/{id}", OperationId = "deleteSubscription")]
    [Authorize(Policy = Policies.Subscribe)]
    [Tags(Tag)]
    [EndpointSummary("Delete a webhook subscription")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Delete(Guid id, IDocumentStore store, WebhookDatabase db, HttpContext http, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await VisibleAsync(id, session, http, ct) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }
        session.Delete<WebhookSubscription>(id);
        await session.SaveChangesAsync(ct);
        await WebhookDeliveries.CancelAsync(db.Source, id, ct);
        return Results.NoContent();
    }

    /// <summary>A subscription's deliveries, the newest change first: status, attempts, the last answer or error.</summary>
    /// <param name="id">The subscription.</param>
    /// <param name="status">Only deliveries in this status: pending, delivered, dead or cancelled.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Deliveries per page, 1 to 200 (default 50).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="db">The delivery queue.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/subscriptions/{id}/deliveries", OperationId = "listDeliveries")]
    [Authorize(Policy = Policies.Subscribe)]
    [Tags(Tag)]
    [EndpointSummary("List a subscription's deliveries (dead letters with status=dead)")]
    [ProducesResponseType<DeliveryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Deliveries(Guid id, string? status, int? page, int? pageSize, IQuerySession session, WebhookDatabase db,
        HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            errors.Add("status", $"One of: {string.Join(", ", DeliveryStatus.All)}.");
        }
        var number = MeasureQueries.InRange(page, "page", 1, 1, MeasureQueries.MaxPage, errors);
        var size = MeasureQueries.InRange(pageSize, "pageSize", 50, 1, MeasureQueries.MaxPageSize, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (await VisibleAsync(id, session, http, ct) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }
        var (items, total) = await WebhookDeliveries.ListAsync(db.Source, id, status, null, (number - 1) * size, size, ct);
        if (items.Count == 0 && number > 1)
        {
            total = (await WebhookDeliveries.CountsAsync(db.Source, id, ct)).Where(c => status is null || c.Key == status).Sum(c => c.Value);
        }
        var pageCount = (int)((total + size - 1) / size);
        Links.ToPages(http, number, pageCount);
        return Results.Ok(new DeliveryPage(items, number, size, total, pageCount));
    }

    /// <summary>
    /// Send deliveries again: with delivery, that one (dead or delivered); without, every dead letter (after the receiver was repaired).
    /// They are pending again with fresh attempts, each in its place in its measure's order.
    /// </summary>
    /// <param name="id">The subscription.</param>
    /// <param name="delivery">One delivery (its webhook-id, e.g. msg_…_1842) instead of every dead letter.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="db">The delivery queue.</param>
    /// <param name="signal">Wakes the dispatcher.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverinePost("/api/subscriptions/{id}/redeliver", OperationId = "redeliver")]
    [Authorize(Policy = Policies.Subscribe)]
    [Tags(Tag)]
    [EndpointSummary("Redeliver one delivery, or every dead letter")]
    [ProducesResponseType<Redelivery>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Redeliver(Guid id, string? delivery, IQuerySession session, WebhookDatabase db, ChangeSignal signal, HttpContext http, CancellationToken ct)
    {
        if (await VisibleAsync(id, session, http, ct) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }
        if (delivery is not null)
        {
            var found = delivery.Length <= WebhookDeliveries.MaxIdLength ? await WebhookDeliveries.FindAsync(db.Source, id, delivery, ct) : null;
            if (found is null || found.Status == DeliveryStatus.Cancelled)
            {
                return Problems.DeliveryNotFound(delivery);
            }
            if (found.Status == DeliveryStatus.Pending)
            {
                return Problems.DeliveryPending(delivery);
            }
        }
        var queued = await WebhookDeliveries.RedeliverAsync(db.Source, id, delivery, ct);
        signal.Raise();
        return Results.Accepted($"/api/subscriptions/{id}/deliveries?status=pending", new Redelivery(queued));
    }

    private static async Task<WebhookSubscription?> VisibleAsync(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var subscription = await session.LoadAsync<WebhookSubscription>(id, ct);
        return subscription is not null && ActOnMeasureHandler.SeesOwnedBy(http.User, subscription.Administration) ? subscription : null;
    }
}
