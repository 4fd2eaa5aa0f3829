using GemeinsamDigital.Audit;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>
/// A checkpoint as issued, kept so that a later verification can say which stream changed. The
/// token alone is the auditor's proof; this record is only trusted when its heads reproduce the
/// token's digest.
/// </summary>
public sealed class AuditCheckpoint
{
    /// <summary>The token, e.g. gdcp1:1234:9f86…</summary>
    public string Id { get; set; } = "";
    public long Sequence { get; set; }
    public string Digest { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<StreamHead> Heads { get; set; } = [];
}

/// <summary>What a checkpoint pins.</summary>
/// <param name="Checkpoint">The token to keep: gdcp1:&lt;sequence&gt;:&lt;digest&gt;.</param>
/// <param name="Sequence">The global event sequence it covers: every event up to it.</param>
/// <param name="Digest">SHA-256 over all streams' heads (see README "Checkpoints").</param>
/// <param name="Streams">Streams covered.</param>
/// <param name="CreatedAt">When it was taken.</param>
public sealed record CheckpointView(string Checkpoint, long Sequence, string Digest, int Streams, DateTimeOffset CreatedAt);

/// <summary>One thing that changed below a checkpoint.</summary>
/// <param name="MeasureId">The measure (stream).</param>
/// <param name="Version">The first version that does not match.</param>
/// <param name="Sequence">Its global sequence, when the event still exists.</param>
/// <param name="Reason">data-changed, order-changed, event-missing, hash-missing or event-inserted.</param>
/// <param name="ExpectedHash">What the chain or the checkpoint expects there.</param>
/// <param name="StoredHash">What is there now.</param>
/// <param name="Detail">One sentence for people.</param>
public sealed record AuditChange(Guid MeasureId, long Version, long? Sequence, ChainBreakReason Reason, string? ExpectedHash, string? StoredHash, string Detail);

/// <summary>The answer to "did anything up to this checkpoint change?".</summary>
/// <param name="Checkpoint">The token verified.</param>
/// <param name="Sequence">The sequence it covers.</param>
/// <param name="Unchanged">True when the recomputed digest equals the token's and every chain is intact.</param>
/// <param name="ExpectedDigest">The token's digest.</param>
/// <param name="RecomputedDigest">The digest recomputed from the events' content now.</param>
/// <param name="StreamsChecked">Streams read.</param>
/// <param name="EventsChecked">Events read (all with sequence up to the checkpoint's).</param>
/// <param name="CheckpointOnRecord">Whether this service issued the checkpoint and still holds its per-stream heads (used to name changed streams).</param>
/// <param name="Changes">What changed, first mismatch per stream.</param>
public sealed record CheckpointVerification(
    string Checkpoint,
    long Sequence,
    bool Unchanged,
    string ExpectedDigest,
    string RecomputedDigest,
    int StreamsChecked,
    int EventsChecked,
    bool CheckpointOnRecord,
    IReadOnlyList<AuditChange> Changes);

public sealed class Checkpoints(StoredEvents stored, IDocumentStore store, TimeProvider clock)
{
    /// <summary>Takes a checkpoint of every stream's stored head and records it.</summary>
    public async Task<CheckpointView> TakeAsync(CancellationToken ct)
    {
        var (sequence, heads) = await stored.HeadsAsync(ct);
        var digest = Checkpoint.Digest(sequence, heads);
        var token = Checkpoint.Token(sequence, digest);
        await using var session = store.LightweightSession();
        var known = await session.LoadAsync<AuditCheckpoint>(token, ct);
        if (known is null)
        {
            known = new AuditCheckpoint { Id = token, Sequence = sequence, Digest = digest, CreatedAt = clock.GetUtcNow(), Heads = heads };
            session.Store(known);
            await session.SaveChangesAsync(ct);
        }
        return new CheckpointView(token, sequence, digest, heads.Count, known.CreatedAt);
    }

    /// <summary>Recomputes every chain up to the checkpoint's sequence from content and compares.</summary>
    public async Task<CheckpointVerification> VerifyAsync(string token, long sequence, string digest, CancellationToken ct)
    {
        var heads = new List<StreamHead>();
        var changes = new List<AuditChange>();
        var events = 0;
        var broken = new HashSet<Guid>();

        void Check(Guid streamId, List<ChainRecord> records)
        {
            var report = ChainVerifier.Verify(streamId, records);
            heads.Add(new StreamHead(streamId, report.HeadVersion, report.HeadHash));
            if (report.FirstBreak is { } b)
            {
                broken.Add(streamId);
                Telemetry.IntegrityFailure(b.Reason);
                changes.Add(new AuditChange(streamId, b.Version, b.Sequence, b.Reason, b.ExpectedHash, b.StoredHash, b.Detail));
            }
        }

        await foreach (var stream in stored.ReadAllByStreamAsync(sequence, ct))
        {
            events += stream.Count;
            Check(stream[0].Content.StreamId, stream);
        }

        var recomputed = Checkpoint.Digest(sequence, heads);
        await using var session = store.QuerySession();
        var issued = await session.LoadAsync<AuditCheckpoint>(token, ct);
        // Trust the recorded heads only if they reproduce the digest the auditor holds.
        var onRecord = issued is not null && Checkpoint.Digest(issued.Sequence, issued.Heads) == digest && issued.Sequence == sequence;
        if (onRecord && recomputed != digest)
        {
            changes.AddRange(CompareHeads(issued!.Heads, heads, broken));
        }
        return new CheckpointVerification(token, sequence, recomputed == digest && changes.Count == 0, digest, recomputed,
            heads.Count, events, onRecord, changes);
    }

    // For streams whose chains look intact on their own: a deleted last event, an insertion, or a consistently rewritten chain.
    private static IEnumerable<AuditChange> CompareHeads(List<StreamHead> then, List<StreamHead> now, HashSet<Guid> alreadyReported)
    {
        var nowById = now.ToDictionary(h => h.StreamId);
        foreach (var was in then.Where(h => !alreadyReported.Contains(h.StreamId)))
        {
            if (!nowById.Remove(was.StreamId, out var head))
            {
                yield return new AuditChange(was.StreamId, 1, null, ChainBreakReason.EventMissing, was.Hash, null,
                    $"All {was.Version} event(s) of this measure up to the checkpoint are gone.");
            }
            else if (head.Version < was.Version)
            {
                yield return new AuditChange(was.StreamId, head.Version + 1, null, ChainBreakReason.EventMissing, was.Hash, head.Hash,
                    $"The checkpoint saw version {was.Version}; the stream now ends at version {head.Version}: events at its end are missing.");
            }
            else if (head.Version > was.Version)
            {
                yield return new AuditChange(was.StreamId, was.Version + 1, null, ChainBreakReason.EventInserted, was.Hash, head.Hash,
                    $"The checkpoint saw version {was.Version}; now versions up to {head.Version} lie below its sequence: events were inserted.");
            }
            else if (head.Hash != was.Hash)
            {
                yield return new AuditChange(was.StreamId, was.Version, null, ChainBreakReason.DataChanged, was.Hash, head.Hash,
                    $"The chain up to version {was.Version} was rewritten with recomputed hashes: its head no longer matches the checkpoint.");
            }
        }
        foreach (var added in nowById.Values.Where(h => !alreadyReported.Contains(h.StreamId)))
        {
            yield return new AuditChange(added.StreamId, 1, null, ChainBreakReason.EventInserted, null, added.Hash,
                "This measure did not exist at the checkpoint, yet its events lie below the checkpoint's sequence: they were inserted.");
        }
    }
}
