using System.Text;
using Marten;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>The outcome of one attempt.</summary>
public sealed record DeliveryAttempt(bool Delivered, int? StatusCode, string? Error);

/// <summary>Sends one delivery: signed by the Standard Webhooks rules, bounded in time and in the answer read.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSettings settings, IHostEnvironment environment, TimeProvider clock)
{
    public async Task<DeliveryAttempt> SendAsync(ClaimedDelivery delivery, WebhookSubscription subscription, CancellationToken ct)
    {
        // Settings may have become stricter since the subscription was made.
        if (WebhookTargets.CheckUrl(subscription.Url, settings.HttpsRequired(environment), out var uri) is { } invalid)
        {
            return new DeliveryAttempt(false, null, $"Target refused: {invalid}");
        }
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSigning.IdHeader, delivery.Id);
        request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigning.SignatureHeader, WebhookSigning.Sign(subscription.Secret, delivery.Id, timestamp, delivery.Body));
        request.Headers.UserAgent.ParseAdd("GemeinsamDigital-Webhooks/1");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(WebhooksSetup.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
            {
                return new DeliveryAttempt(true, code, null);
            }
            var text = await ReadCappedAsync(response, timeout.Token);
            var redirect = code is >= 300 and < 400 ? " (redirects are not followed)" : "";
            return new DeliveryAttempt(false, code, $"HTTP {code}{redirect}{(text.Length > 0 ? ": " + text : "")}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAttempt(false, null, $"No answer within {settings.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e) when (CommandPipeline.Causes(e).OfType<WebhookTargetRefusedException>().FirstOrDefault() is { } refused)
        {
            return new DeliveryAttempt(false, null, $"Target refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryAttempt(false, null, e.Message);
        }
    }

    // The start of the answer, for the delivery's last error; the rest is never read.
    private async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new byte[Math.Min(settings.MaxResponseBytes, 4096)];
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var read = 0;
        while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
        {
            read += n;
        }
        var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        return new string([.. text.Where(c => !char.IsControl(c)).Take(200)]);
    }
}

/// <summary>
/// Sends due deliveries. One loop claims them in batches (woken when changes were handed on, a
/// delivery was queued again, a send ended, or the next retry falls due) into a local buffer of
/// up to 4 × Parallelism; Parallelism workers send from it, each taking the next as soon as it is
/// free. A subscription has at most PerSubscription deliveries on their way at once, so a slow or
/// dead receiver holds only those workers and the others go on; within a subscription a measure's
/// later deliveries wait for its earlier one. Commands never wait for any of it.
/// </summary>
public sealed class WebhookDispatcher(WebhookDatabase db, WebhookSender sender, WebhookSettings settings, IDocumentStore store, ChangeSignal signal,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    // Also look now and then without being woken: a delivery queued again on another node notifies only there.
    private static readonly TimeSpan _idle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _least = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan _recheck = TimeSpan.FromSeconds(1);

    private readonly ChangeSignal _freed = new();

    // Claimed and not yet recorded (buffered or being sent), so a claim that comes back with one of them is not sent twice.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _held = new();
    private readonly System.Threading.Channels.Channel<(ClaimedDelivery Delivery, WebhookSubscription? Subscription)> _buffer =
        System.Threading.Channels.Channel.CreateUnbounded<(ClaimedDelivery, WebhookSubscription?)>();

    private int Capacity => settings.Parallelism * 4;

    // Long enough for a delivery to wait in the buffer behind full waves of slow receivers and still be sent under its lease.
    private TimeSpan Lease => settings.Timeout * 4 + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, settings.Parallelism).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)).ToArray();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = signal.Next;
            var freed = _freed.Next;
            try
            {
                // Claim in batches (each claim reads the whole pending queue): once at least half the buffer is free.
                var free = Capacity - _held.Count;
                if (free >= Capacity / 2 && await ClaimAsync(free, stoppingToken) > 0)
                {
                    continue;
                }
                var wait = _idle;
                if (free >= Capacity / 2 && await WebhookDeliveries.NextDueAsync(db.Source, stoppingToken) is { } due)
                {
                    // Due already but not claimed: behind an earlier delivery of its measure, at its subscription's
                    // limit, or held by another node; a send ending here wakes this loop, one elsewhere does not.
                    wait = due - DateTimeOffset.UtcNow;
                    wait = wait <= TimeSpan.Zero ? _recheck : wait < _least ? _least : wait > _idle ? _idle : wait;
                }
                await Task.WhenAny(next, freed, Task.Delay(wait, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Webhook deliveries paused for 2 s: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        // Sends cut off by the stop are not recorded: their leases run out and they go again.
        _buffer.Writer.TryComplete();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Claims up to <paramref name="free"/> due deliveries into the buffer; how many new ones came.</summary>
    private async Task<int> ClaimAsync(int free, CancellationToken ct)
    {
        var claimed = (await WebhookDeliveries.ClaimAsync(db.Source, free, settings.PerSubscription, Lease, ct)).Where(c => _held.TryAdd(c.Id, 0)).ToList();
        if (claimed.Count == 0)
        {
            return 0;
        }
        Dictionary<Guid, WebhookSubscription> subscriptions;
        await using (var session = store.QuerySession())
        {
            var ids = claimed.Select(c => c.SubscriptionId).Distinct().ToArray();
            subscriptions = (await session.LoadManyAsync<WebhookSubscription>(ct, ids)).ToDictionary(s => s.Id);
        }
        foreach (var delivery in claimed)
        {
            _buffer.Writer.TryWrite((delivery, subscriptions.GetValueOrDefault(delivery.SubscriptionId)));
        }
        return claimed.Count;
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (delivery, subscription) in _buffer.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await SendAsync(delivery, subscription, ct);
                }
                finally
                {
                    _held.TryRemove(delivery.Id, out _);
                    _freed.Raise();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task SendAsync(ClaimedDelivery delivery, WebhookSubscription? subscription, CancellationToken ct)
    {
        try
        {
            if (subscription is null)
            {
                await WebhookDeliveries.CancelAsync(db.Source, delivery.SubscriptionId, ct);
                return;
            }
            var attempt = await sender.SendAsync(delivery, subscription, ct);
            // The outcome is recorded even while stopping: the receiver may have it already.
            Telemetry.WebhookDelivery(attempt.Delivered ? "delivered" : "failed");
            if (attempt.Delivered)
            {
                await WebhookDeliveries.DeliveredAsync(db.Source, delivery.Id, attempt.StatusCode!.Value, CancellationToken.None);
            }
            else
            {
                await WebhookDeliveries.FailedAsync(db.Source, delivery.Id, attempt.StatusCode, attempt.Error ?? "failed",
                    settings.RetryAfter(delivery.Attempts + 1), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The outcome could not be recorded: the lease runs out and the delivery goes again.
            logger.LogWarning("Webhook delivery {Delivery} not recorded: {Error}", delivery.Id, e.Message);
        }
    }
}
