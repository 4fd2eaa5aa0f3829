using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>One request a receiver got.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, int Answered)
{
    public JsonElement Data => JsonDocument.Parse(Body).RootElement.GetProperty("data");

    public Guid MeasureId => Data.GetProperty("measureId").GetGuid();

    public long Version => Data.GetProperty("version").GetInt64();

    public long Sequence => Data.GetProperty("sequence").GetInt64();

    /// <summary>
    /// Checks the Standard Webhooks signature the way a receiver would, written here from the
    /// specification rather than with the service's code: HMAC-SHA256 keyed with the base64 part of
    /// the secret over "id.timestamp.body", any of the space-separated "v1,…" values matching.
    /// </summary>
    public bool SignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return Signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}

/// <summary>A webhook receiver on a loopback port (real HTTP, Kestrel) that records every request and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedWebhook> _received = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status code to answer with (called per request); 200 unless set.</summary>
    public Func<int> Answer { get; set; } = () => 200;

    /// <summary>How long to take before answering.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public string Url { get; private set; } = "";

    private int _concurrent;

    /// <summary>The most requests it had in hand at once.</summary>
    public int MaxConcurrent { get; private set; }

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests answered 2xx, each webhook-id once (a receiver drops repeats by it), in the order they came.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => [.. Received.Where(r => r.Answered is >= 200 and < 300).DistinctBy(r => r.Id)];

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var concurrent = Interlocked.Increment(ref receiver._concurrent);
            lock (receiver._received)
            {
                receiver.MaxConcurrent = Math.Max(receiver.MaxConcurrent, concurrent);
            }
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = receiver.Answer();
            lock (receiver._received)
            {
                receiver._received.Add(new ReceivedWebhook(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                    http.Request.Headers["webhook-signature"].ToString(), body, status));
            }
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }
            Interlocked.Decrement(ref receiver._concurrent);
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single().TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was accepted; fails with what came after the time.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (done(Accepted))
            {
                return Accepted;
            }
            await Task.Delay(100);
        }
        var accepted = Accepted;
        done(accepted).ShouldBeTrue($"after {within.TotalSeconds} s the receiver accepted {accepted.Count} distinct deliveries ({Received.Count} requests)");
        return accepted;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
