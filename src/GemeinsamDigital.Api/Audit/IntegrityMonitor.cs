using System.Collections.Concurrent;
using GemeinsamDigital.Audit;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>A stream whose last check failed (kept until a check finds it intact again).</summary>
public sealed class StreamIntegrity
{
    public Guid Id { get; set; }
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>What checked it: integrity-check, verifier, rebuild, revision-close.</summary>
    public string CheckedBy { get; set; } = "";
    public ChainBreak FirstMismatch { get; set; } = null!;
}

/// <summary>What a read of a stream whose last check failed carries (member "integrity", header Integrity-Status).</summary>
/// <param name="Status">Always "broken": intact streams carry no notice.</param>
/// <param name="CheckedAt">When the check ran.</param>
/// <param name="CheckedBy">integrity-check, verifier, rebuild or revision-close.</param>
/// <param name="FirstMismatch">The first event that does not match, and why.</param>
public sealed record IntegrityNotice(string Status, DateTimeOffset CheckedAt, string CheckedBy, ChainBreak FirstMismatch)
{
    public const string Header = "Integrity-Status";

    public static IntegrityNotice Of(StreamIntegrity s) => new("broken", s.CheckedAt, s.CheckedBy, s.FirstMismatch);

    /// <summary>The read's answer: as it is, or with header and member "integrity" when the stream's last check failed.</summary>
    public static IResult Answer<T>(HttpContext http, T body, IntegrityNotice? notice)
    {
        if (notice is null)
        {
            return Results.Ok(body);
        }
        http.Response.Headers[Header] = $"broken; version={notice.FirstMismatch.Version}";
        var json = System.Text.Json.JsonSerializer.SerializeToNode(body, ApiJson.Options)!.AsObject();
        json["integrity"] = System.Text.Json.JsonSerializer.SerializeToNode(notice, ApiJson.Options);
        return Results.Ok(json);
    }
}

/// <summary>The result of walking every chain and the transparency log.</summary>
/// <param name="Streams">Streams checked.</param>
/// <param name="Events">Events checked.</param>
/// <param name="LogSize">Leaves of the transparency log compared.</param>
/// <param name="Broken">The streams that fail, with their first mismatch.</param>
public sealed record IntegritySweep(int Streams, int Events, long LogSize, IReadOnlyDictionary<Guid, ChainBreak> Broken);

/// <summary>
/// Judges stored events against their chains and the transparency log, and remembers which streams
/// failed, so reads can say so, and rebuilds and revision closes refuse to build on changed events.
/// The failed streams are few: each node keeps them in memory and reloads them every few seconds.
/// </summary>
public sealed class IntegrityMonitor(StoredEvents stored, MerkleLog log, IDocumentStore store, TimeProvider clock, ILogger<IntegrityMonitor> logger)
{
    private static readonly TimeSpan _reload = TimeSpan.FromSeconds(5);
    private volatile IReadOnlyDictionary<Guid, StreamIntegrity> _broken = new Dictionary<Guid, StreamIntegrity>();
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The notice for a stream whose last check failed, null otherwise.</summary>
    public async ValueTask<IntegrityNotice?> NoticeAsync(Guid id, CancellationToken ct)
    {
        if (clock.GetUtcNow() - _loadedAt > _reload)
        {
            await ReloadAsync(ct);
        }
        return _broken.TryGetValue(id, out var broken) ? IntegrityNotice.Of(broken) : null;
    }

    /// <summary>Checks one stream: its chain and its events against the log's leaves. Recorded either way.</summary>
    public async Task<(ChainReport Chain, ChainBreak? FirstMismatch)> CheckStreamAsync(Guid id, long? declaredVersion, CancellationToken ct)
    {
        var records = new List<ChainRecord>();
        await foreach (var record in stored.ReadStreamAsync(id, ct))
        {
            records.Add(record);
        }
        var chain = ChainVerifier.Verify(id, records, declaredVersion);
        var (_, lastSequence) = await log.SizeAsync(ct);
        var mismatch = chain.FirstBreak ?? FirstOf(await stored.DifferencesFromLogAsync(MerkleLog.Leaves, lastSequence, id, ct)).GetValueOrDefault(id);
        await RecordAsync(new Dictionary<Guid, ChainBreak?> { [id] = mismatch }, "integrity-check", ct);
        return (chain, mismatch);
    }

    /// <summary>Walks every stream's chain and compares every event with the log's leaf at its sequence; records what fails.</summary>
    public async Task<IntegritySweep> SweepAsync(string by, CancellationToken ct)
    {
        var (size, lastSequence) = await log.SizeAsync(ct);
        var broken = new Dictionary<Guid, ChainBreak>();
        var streams = 0;
        var events = 0;
        await foreach (var stream in stored.ReadAllByStreamAsync(long.MaxValue, ct))
        {
            // Marten's placeholders for sequence numbers of rolled-back appends are no one's events.
            if (stream[0].Content.Type == StoredEvents.TombstoneType)
            {
                continue;
            }
            streams++;
            events += stream.Count;
            if (ChainVerifier.Verify(stream[0].Content.StreamId, stream).FirstBreak is { } b)
            {
                broken[stream[0].Content.StreamId] = b;
            }
        }
        foreach (var (stream, difference) in FirstOf(await stored.DifferencesFromLogAsync(MerkleLog.Leaves, lastSequence, null, ct)))
        {
            broken.TryAdd(stream, difference);
        }
        var known = _broken;
        var outcome = known.Keys.Where(k => !broken.ContainsKey(k)).ToDictionary(k => k, _ => (ChainBreak?)null);
        foreach (var (stream, b) in broken)
        {
            outcome[stream] = b;
        }
        await RecordAsync(outcome, by, ct);
        return new IntegritySweep(streams, events, size, broken);
    }

    private static Dictionary<Guid, ChainBreak> FirstOf(IEnumerable<LogDifference> differences)
    {
        var first = new Dictionary<Guid, ChainBreak>();
        foreach (var d in differences)
        {
            first.TryAdd(d.StreamId, new ChainBreak(d.Version, d.Sequence, ChainBreakReason.DiffersFromLog, d.LoggedHash, d.StoredHash,
                (d.LoggedHash, d.StoredHash) switch
                {
                    (null, _) => $"Sequence {d.Sequence} holds a chained event the transparency log never took in: it was inserted or moved there.",
                    (_, null) => $"The transparency log took in version {d.Version} at sequence {d.Sequence}; that event is gone or was moved.",
                    _ => $"Version {d.Version} (sequence {d.Sequence}) is not the event the transparency log took in: it was rewritten (even if its chain was recomputed) or moved.",
                }));
        }
        return first;
    }

    // Failed streams are stored and alerted; streams found intact again lose their record.
    private async Task RecordAsync(IReadOnlyDictionary<Guid, ChainBreak?> outcome, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var changed = false;
        foreach (var (stream, mismatch) in outcome)
        {
            if (mismatch is not null)
            {
                session.Store(new StreamIntegrity { Id = stream, CheckedAt = now, CheckedBy = by, FirstMismatch = mismatch });
                Telemetry.IntegrityFailure(mismatch.Reason);
                logger.LogError("Integrity: stream {Stream} fails at version {Version} ({Reason}), found by {CheckedBy}", stream, mismatch.Version, mismatch.Reason, by);
                changed = true;
            }
            else if (_broken.ContainsKey(stream) || by == "integrity-check")
            {
                session.Delete<StreamIntegrity>(stream);
                changed = true;
            }
        }
        if (changed)
        {
            await session.SaveChangesAsync(ct);
            await ReloadAsync(ct);
        }
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            await using var session = store.QuerySession();
            var all = await session.Query<StreamIntegrity>().ToListAsync(ct);
            _broken = all.ToDictionary(s => s.Id);
            _loadedAt = clock.GetUtcNow();
        }
        finally
        {
            _loading.Release();
        }
    }
}

/// <summary>Walks every chain and the transparency log every <see cref="AuditSettings.VerifyInterval"/>.</summary>
public sealed class IntegrityVerifier(IntegrityMonitor monitor, AuditSettings settings, ILogger<IntegrityVerifier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.VerifyInterval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.VerifyInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var sweep = await monitor.SweepAsync("verifier", stoppingToken);
                logger.Log(sweep.Broken.Count > 0 ? LogLevel.Error : LogLevel.Information,
                    "Integrity sweep: {Streams} streams, {Events} events, {LogSize} log leaves; {Broken} stream(s) fail",
                    sweep.Streams, sweep.Events, sweep.LogSize, sweep.Broken.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Integrity sweep failed, next in {Interval}: {Error}", settings.VerifyInterval, e.Message);
            }
        }
    }
}
