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
/// Sends due deliveries: woken when changes were handed on (or a delivery was queued again), and
/// when the next retry falls due. A slow receiver holds only its own deliveries: each round sends
/// at most one delivery per subscription and measure, up to Parallelism at a time, and commands
/// never wait for any of it.
/// </summary>
public sealed class WebhookDispatcher(WebhookDatabase db, WebhookSender sender, WebhookSettings settings, IDocumentStore store, ChangeSignal signal,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    // Also look now and then without being woken: a delivery queued again on another node notifies only there.
    private static readonly TimeSpan _idle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _least = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = signal.Next;
            try
            {
                if (await RoundAsync(stoppingToken) > 0)
                {
                    continue;
                }
                var due = await WebhookDeliveries.NextDueAsync(db.Source, stoppingToken);
                var wait = due is { } d ? d - DateTimeOffset.UtcNow : _idle;
                // Never less than a moment: the database's clock and this node's may differ a little.
                await ChangeSignal.WaitAsync(next, wait < _least ? _least : wait > _idle ? _idle : wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Webhook deliveries paused for 2 s: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<int> RoundAsync(CancellationToken ct)
    {
        var claimed = await WebhookDeliveries.ClaimAsync(db.Source, settings.Parallelism * 4, settings.Timeout + TimeSpan.FromSeconds(5), ct);
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
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct }, async (delivery, token) =>
        {
            if (!subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription))
            {
                await WebhookDeliveries.CancelAsync(db.Source, delivery.SubscriptionId, token);
                return;
            }
            var attempt = await sender.SendAsync(delivery, subscription, token);
            // The outcome is recorded even while stopping: the receiver may have it already.
            if (attempt.Delivered)
            {
                await WebhookDeliveries.DeliveredAsync(db.Source, delivery.Id, attempt.StatusCode!.Value, CancellationToken.None);
            }
            else
            {
                await WebhookDeliveries.FailedAsync(db.Source, delivery.Id, attempt.StatusCode, attempt.Error ?? "failed",
                    settings.RetryAfter(delivery.Attempts + 1), CancellationToken.None);
            }
        });
        return claimed.Count;
    }
}
