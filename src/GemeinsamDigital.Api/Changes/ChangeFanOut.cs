using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace GemeinsamDigital.Api.Changes;

/// <summary>The body of a webhook delivery: the change (without personal data) in the Standard Webhooks envelope.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Timestamp">When the change was recorded.</param>
/// <param name="Data">The change, as the feed answers it to anonymous callers.</param>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, Change Data);

/// <summary>
/// Where committed changes leave the event store: a Marten subscription run by the async daemon,
/// page by page in global order up to the high water mark. For each page it queues one delivery per
/// change and webhook subscription that wants it, in the transaction that records its own progress
/// (so each is queued exactly once, whatever crashes), then notifies <see cref="ChangeSignal.Channel"/>
/// on commit, which wakes long-polling feed readers and the dispatcher on every node.
/// Commands pay nothing for any of it: no subscription is looked at in their transaction.
/// </summary>
public sealed class ChangeFanOut : SubscriptionBase
{
    public const string SubscriptionName = "changes";

    private readonly ChangeLog _log;

    public ChangeFanOut(ChangeLog log)
    {
        _log = log;
        Name = SubscriptionName;
        Options.BatchSize = 500;
        // Resume from the stored progress; only on the very first start (no progress yet) begin at the
        // newest event, history being nobody's news. Not SubscribeFromPresent: that jumps to the high
        // water mark on every start and would skip what committed while the service was down.
        Options.SubscribeAsInlineToAsync();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        if (page.Events.Any(e => e.Data is IMeasureEvent))
        {
            var subscriptions = await operations.Query<WebhookSubscription>().Where(s => s.FromSequence < page.SequenceCeiling).ToListAsync(cancellationToken);
            if (subscriptions.Count > 0)
            {
                await QueueDeliveriesAsync(page, subscriptions, operations, cancellationToken);
            }
        }
        operations.QueueSqlCommand("select pg_notify(?, ?)", ChangeSignal.Channel, page.SequenceCeiling.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return NullChangeListener.Instance;
    }

    private async Task QueueDeliveriesAsync(EventRange page, IReadOnlyList<WebhookSubscription> subscriptions, IDocumentOperations operations, CancellationToken ct)
    {
        var changes = await _log.ReadAsync(page.SequenceFloor, page.SequenceCeiling, int.MaxValue, ChangeSelection.All, ct);
        var measures = subscriptions.Any(s => s.Lead is not null || s.Participating is not null || s.District is not null)
            ? (await operations.LoadManyAsync<MeasureState>(ct, changes.Select(c => c.MeasureId).Distinct())).ToDictionary(m => m.Id)
            : [];
        var ids = new List<string>();
        var subscriptionIds = new List<Guid>();
        var measureIds = new List<Guid>();
        var sequences = new List<long>();
        var versions = new List<long>();
        var types = new List<string>();
        var bodies = new List<string>();
        foreach (var change in changes)
        {
            var measure = measures.GetValueOrDefault(change.MeasureId);
            foreach (var subscription in subscriptions.Where(s => s.Wants(change, measure)))
            {
                ids.Add(WebhookDeliveries.IdOf(subscription.Id, change.Sequence));
                subscriptionIds.Add(subscription.Id);
                measureIds.Add(change.MeasureId);
                sequences.Add(change.Sequence);
                versions.Add(change.Version);
                types.Add(change.Type);
                bodies.Add(JsonSerializer.Serialize(new WebhookPayload(change.Type, change.Timestamp, Change.Of(change, subscription.BaseUrl, names: null)), ApiJson.Options));
            }
        }
        if (ids.Count > 0)
        {
            operations.QueueSqlCommand(WebhookDeliveries.QueueSql,
                ids.ToArray(), subscriptionIds.ToArray(), measureIds.ToArray(), sequences.ToArray(), versions.ToArray(), types.ToArray(), bodies.ToArray());
        }
    }
}
