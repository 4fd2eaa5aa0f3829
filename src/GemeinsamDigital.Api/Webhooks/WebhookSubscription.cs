namespace GemeinsamDigital.Api.Webhooks;

/// <summary>A webhook subscription: where the changes an administration wants are delivered, and the secret they are signed with.</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    /// <summary>The administration that owns it (the caller's when it was created).</summary>
    public string Administration { get; set; } = "";

    /// <summary>The receiver's URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>This service's URL as the subscriber reached it: the base of the measure links in deliveries.</summary>
    public string BaseUrl { get; set; } = "";

    public string? Description { get; set; }

    public string? Lead { get; set; }

    public string? Participating { get; set; }

    public string? District { get; set; }

    public List<string>? EventTypes { get; set; }

    /// <summary>The signing secret (whsec_…): handed out once, at creation.</summary>
    public string Secret { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>Changes up to this global sequence (committed before the subscription) are not delivered.</summary>
    public long FromSequence { get; set; }

    public ChangeSelection Selection => new(Lead, Participating, District, EventTypes);

    /// <summary>Whether a change of a measure (as it is now; null if unknown) is one this subscription wants.</summary>
    public bool Wants(StoredChange change, GemeinsamDigital.Domain.Measures.MeasureState? measure) =>
        change.Sequence > FromSequence
        && (EventTypes is not { Count: > 0 } || EventTypes.Contains(change.Type))
        && (Lead is null || measure?.Lead == Lead)
        && (Participating is null || measure?.Participating.Contains(Participating) == true)
        && (District is null || (measure is not null && (measure.Lead == District || measure.Participating.Contains(District))));
}
