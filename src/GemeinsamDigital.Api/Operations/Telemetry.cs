using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GemeinsamDigital.Api.Operations;

/// <summary>
/// The service's own metrics and spans (meter and activity source <see cref="Name"/>). Every name
/// here is what operators see: in Prometheus dots become underscores, counters get <c>_total</c>
/// and the unit <c>s</c> a <c>_seconds</c> suffix (docs/monitoring.md, ops/prometheus-alerts.yml and
/// ops/grafana-dashboard.json use exactly these; a test checks them against a scrape).
/// </summary>
public static class Telemetry
{
    public const string Name = "GemeinsamDigital";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter _meter = new(Name);

    private static readonly Counter<long> _commands =
        _meter.CreateCounter<long>("gd.commands", "{command}", "Commands by type and outcome (accepted, refused, failed).");

    private static readonly Histogram<double> _commandDuration =
        _meter.CreateHistogram<double>("gd.command.duration", "s", "Time from a command's start in the pipeline to its answer, by type and outcome.");

    private static readonly Histogram<double> _dashboardRecompute =
        _meter.CreateHistogram<double>("gd.dashboard.recompute.duration", "s", "Time to compute one dashboard's figures from the monitoring rows.");

    private static readonly Counter<long> _integrityFailures =
        _meter.CreateCounter<long>("gd.integrity.failures", "{failure}", "Broken hash chains or tampered records found, by reason.");

    private static readonly Counter<long> _webhookDeliveries =
        _meter.CreateCounter<long>("gd.webhook.deliveries", "{delivery}", "Webhook delivery attempts by outcome (delivered, failed).");

    // The projection lag is read from PostgreSQL when the metrics are collected (a scrape), by the
    // node whose host registered last (all nodes read the same progression table).
    private static Func<IEnumerable<Measurement<long>>>? _lag;

    static Telemetry()
    {
        _meter.CreateObservableGauge("gd.projection.lag", () => _lag?.Invoke() ?? [], "{event}",
            "Events stored but not yet applied by an async projection, per shard (from the progression table).");
    }

    /// <summary>Outcomes of a command: its answer's status class.</summary>
    public static string Outcome(int status) => status switch
    {
        < 400 => "accepted",
        < 500 => "refused",
        _ => "failed",
    };

    /// <summary>Counts one command and records its latency.</summary>
    public static void Command(string command, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "command", command }, { "outcome", outcome } };
        _commands.Add(1, tags);
        _commandDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records how long one dashboard's figures took to compute.</summary>
    public static void DashboardRecomputed(string dashboard, TimeSpan elapsed) =>
        _dashboardRecompute.Record(elapsed.TotalSeconds, new TagList { { "dashboard", dashboard } });

    /// <summary>Counts an integrity failure: a broken hash chain or a tampered record (reason: data-changed, order-changed, …).</summary>
    public static void IntegrityFailure(string reason) =>
        _integrityFailures.Add(1, new TagList { { "reason", reason } });

    /// <summary>Counts a broken hash chain, by its reason as the API names it (data-changed, order-changed, event-missing, hash-missing).</summary>
    public static void IntegrityFailure(GemeinsamDigital.Audit.ChainBreakReason reason) =>
        IntegrityFailure(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString()));

    /// <summary>Counts one webhook delivery attempt by its outcome.</summary>
    public static void WebhookDelivery(string outcome) =>
        _webhookDeliveries.Add(1, new TagList { { "outcome", outcome } });

    /// <summary>Where the projection lag gauge reads from; returns a handle that unregisters it.</summary>
    public static IDisposable ObserveProjectionLag(Func<IEnumerable<Measurement<long>>> read)
    {
        _lag = read;
        return new Unregister(read);
    }

    private sealed class Unregister(Func<IEnumerable<Measurement<long>>> read) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref _lag, null, read);
    }
}
