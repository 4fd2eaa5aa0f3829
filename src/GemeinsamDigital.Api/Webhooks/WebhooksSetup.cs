using System.Net.Sockets;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>Configuration section "Webhooks".</summary>
public sealed class WebhookSettings
{
    public const string Section = "Webhooks";

    /// <summary>Attempts before a delivery becomes a dead letter.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The pause after the first failed attempt; it doubles with each further one.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause between attempts.</summary>
    public TimeSpan MaxRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a receiver may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes of a receiver's answer read (the rest is dropped unread).</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>Deliveries sent at the same time (to different measures or subscriptions).</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>Deliveries of one subscription on their way at once: a slow receiver holds no more workers than this.</summary>
    public int PerSubscription { get; set; } = 4;

    /// <summary>Only https targets (default: in Production).</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>Allow loopback targets (127.0.0.0/8, ::1): for tests and local development only; every other private range stays refused.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Most subscriptions per administration.</summary>
    public int MaxSubscriptionsPerAdministration { get; set; } = 25;

    public bool HttpsRequired(IHostEnvironment environment) => RequireHttps ?? environment.IsProduction();

    /// <summary>The pause before attempt n + 1 after n failed ones: FirstRetry · 2^(n−1), at most MaxRetry; null when none follows.</summary>
    public TimeSpan? RetryAfter(int failedAttempts)
    {
        if (failedAttempts >= MaxAttempts)
        {
            return null;
        }
        var pause = FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(pause, MaxRetry.TotalMilliseconds));
    }

    public static WebhookSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<WebhookSettings>() ?? new WebhookSettings();
        if (settings.MaxAttempts < 1 || settings.Parallelism < 1 || settings.PerSubscription < 1 || settings.MaxResponseBytes < 0 || settings.Timeout <= TimeSpan.Zero
            || settings.FirstRetry <= TimeSpan.Zero || settings.MaxRetry < settings.FirstRetry)
        {
            throw new InvalidOperationException($"{Section}: MaxAttempts, Parallelism and PerSubscription must be at least 1, Timeout and FirstRetry positive, MaxRetry at least FirstRetry.");
        }
        return settings;
    }
}

/// <summary>The database connections of the delivery queue: a small pool of their own, apart from the commands' sessions.</summary>
public sealed class WebhookDatabase(NpgsqlDataSource source) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = source;

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}

public static class WebhooksSetup
{
    public const string HttpClientName = "webhooks";

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = WebhookSettings.From(configuration);
        services.AddSingleton(settings);
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<WebhookSubscription>().Index(s => s.Administration);
            opts.Storage.ExtendedSchemaObjects.Add(WebhookDeliveries.Definition());
        });
        services.AddSingleton(_ => new WebhookDatabase(new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(EventStoreSetup.ConnectionString(configuration)) { Pooling = true, MaxPoolSize = 8 }.ConnectionString).Build()));
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect could lead anywhere, a proxy around every check.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = settings.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = (context, ct) => ConnectCheckedAsync(context, settings, ct),
            });
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>Connects to an address of the target that passed the checks, and only to such an address.</summary>
    private static async ValueTask<Stream> ConnectCheckedAsync(SocketsHttpConnectionContext context, WebhookSettings settings, CancellationToken ct)
    {
        var (addresses, refusal) = await WebhookTargets.ResolveAsync(context.DnsEndPoint.Host, settings.AllowLoopback, ct);
        if (refusal is not null)
        {
            throw new WebhookTargetRefusedException(refusal);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A delivery's target resolved to an address webhooks may not reach.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
