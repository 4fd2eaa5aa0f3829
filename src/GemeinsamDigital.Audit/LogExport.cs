using System.Security.Cryptography;
using System.Text.Json;

namespace GemeinsamDigital.Audit;

/// <summary>The outcome of auditing a whole-log export against a signed tree head.</summary>
/// <param name="Valid">True when every chain holds and the first treeSize events make the signed root.</param>
/// <param name="Events">Event lines read.</param>
/// <param name="Streams">Streams among them.</param>
/// <param name="Problem">Why not (null when valid).</param>
/// <param name="Break">The first chain break, when that is the problem.</param>
/// <param name="BreakStream">Its stream.</param>
/// <param name="Rewritten">The head's subtrees (leaf and sequence ranges) whose hashes the export does not reproduce.</param>
public sealed record LogReport(bool Valid, int Events, int Streams, string? Problem, ChainBreak? Break = null, Guid? BreakStream = null,
    IReadOnlyList<SubtreeHash>? Rewritten = null);

/// <summary>
/// The whole log as the auditor checks it without the database: line-delimited JSON like the
/// measure export (<see cref="AuditBundle"/>), but every chained event of every stream in global
/// sequence order, each line naming its stream.
/// <list type="number">
/// <item>Header: <c>{"record":"header","format":"gemeinsamdigital-log-export","formatVersion":1,"exportedAt","hashAlgorithm","canonicalJson","genesis"}</c>.</item>
/// <item>Per event (leaf order): <c>{"record":"event","stream", …the measure export's event members…}</c>.</item>
/// <item>Trailer: <c>{"record":"trailer","eventCount","bundleSha256"}</c>.</item>
/// </list>
/// Verification recomputes every chain from content, then the Merkle root of the first
/// treeSize events from their recomputed hashes, and compares it with a signed tree head kept
/// from before: a changed, deleted, reordered, inserted or truncated event below that size cannot
/// reproduce the signed root.
/// </summary>
public static class LogExport
{
    public const string Format = "gemeinsamdigital-log-export";
    public const int FormatVersion = 1;

    private static readonly string[] _headerMembers = ["record", "format", "formatVersion", "exportedAt", "hashAlgorithm", "canonicalJson", "genesis"];
    private static readonly string[] _eventMembers = ["record", "stream", "version", "sequence", "type", "timestamp", "actor", "administration", "reason", "correlationId", "causationId", "data", "prevHash", "hash"];
    private static readonly string[] _trailerMembers = ["record", "eventCount", "bundleSha256"];

    public static async Task WriteAsync(Stream output, DateTimeOffset exportedAt, IAsyncEnumerable<ChainRecord> events, CancellationToken ct)
    {
        await using var lines = new NdjsonLines(output);
        await lines.WriteAsync(w =>
        {
            w.WriteString("record", "header");
            w.WriteString("format", Format);
            w.WriteNumber("formatVersion", FormatVersion);
            w.WriteString("exportedAt", EventHash.FormatTimestamp(exportedAt));
            w.WriteString("hashAlgorithm", EventHash.Algorithm);
            w.WriteString("canonicalJson", CanonicalJson.Name);
            w.WriteString("genesis", EventHash.Genesis);
        }, hashed: true, ct);
        var count = 0;
        await foreach (var e in events.WithCancellation(ct))
        {
            await lines.WriteAsync(w =>
            {
                w.WriteString("record", "event");
                w.WriteString("stream", e.Content.StreamId.ToString("D"));
                AuditBundle.WriteEvent(w, e);
            }, hashed: true, ct);
            count++;
        }
        var sha = lines.Digest();
        await lines.WriteAsync(w =>
        {
            w.WriteString("record", "trailer");
            w.WriteNumber("eventCount", count);
            w.WriteString("bundleSha256", sha);
        }, hashed: false, ct);
    }

    /// <summary>Reads an export (strictly) into its events, in the order written.</summary>
    public static List<ChainRecord> Read(byte[] export)
    {
        var text = AuditBundle.StrictUtf8.GetString(export);
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new FormatException("The export must end with a line feed after its trailer line.");
        }
        var lines = text[..^1].Split('\n');
        if (lines.Length < 2)
        {
            throw new FormatException("The export needs at least a header and a trailer line.");
        }
        using (var header = AuditBundle.Parse(lines[0], 1, _headerMembers, "header"))
        {
            var h = header.RootElement;
            if (h.GetProperty("format").GetString() != Format || AuditBundle.Int(h, "formatVersion", 1) != FormatVersion
                || h.GetProperty("hashAlgorithm").GetString() != EventHash.Algorithm || h.GetProperty("canonicalJson").GetString() != CanonicalJson.Name
                || h.GetProperty("genesis").GetString() != EventHash.Genesis)
            {
                throw new FormatException($"Line 1: not a {Format} version {FormatVersion} header.");
            }
        }
        var records = new List<ChainRecord>();
        for (var i = 1; i < lines.Length - 1; i++)
        {
            using var line = AuditBundle.Parse(lines[i], i + 1, _eventMembers, "event");
            var stream = line.RootElement.GetProperty("stream").GetString();
            if (!Guid.TryParseExact(stream, "D", out var id) || id.ToString("D") != stream)
            {
                throw new FormatException($"Line {i + 1}: stream is not a lowercase GUID.");
            }
            records.Add(AuditBundle.ReadEvent(line.RootElement, id, i + 1));
        }
        using var trailer = AuditBundle.Parse(lines[^1], lines.Length, _trailerMembers, "trailer");
        var trailerStart = Array.LastIndexOf(export, (byte)'\n', export.Length - 2) + 1;
        if (trailer.RootElement.GetProperty("bundleSha256").GetString() != EventHash.Sha256(export.AsSpan(0, trailerStart)))
        {
            throw new FormatException($"Line {lines.Length}: bundleSha256 does not match the bytes before the trailer: the export was changed.");
        }
        if (AuditBundle.Int(trailer.RootElement, "eventCount", lines.Length) != records.Count)
        {
            throw new FormatException($"Line {lines.Length}: the trailer's eventCount is not the number of event lines.");
        }
        return records;
    }

    /// <summary>Checks events (in leaf order) against a tree head signed by <paramref name="key"/>.</summary>
    public static LogReport Verify(IReadOnlyList<ChainRecord> events, TreeHead head, ECDsa key)
    {
        var streams = events.Select(e => e.Content.StreamId).Distinct().Count();
        LogReport Fail(string problem, ChainBreak? b = null, Guid? stream = null, IReadOnlyList<SubtreeHash>? rewritten = null) =>
            new(false, events.Count, streams, problem, b, stream, rewritten);

        if ((TreeHeads.CheckSignature(head, key) ?? TreeHeads.CheckSubtrees(head)) is { } bad)
        {
            return Fail($"the tree head is not valid: {bad}");
        }
        // Every chain from content: a row changed without recomputing its hash stops here.
        foreach (var stream in events.GroupBy(e => e.Content.StreamId))
        {
            var ordered = stream.OrderBy(e => e.Content.Version).ToList();
            if (ChainVerifier.Verify(stream.Key, ordered).FirstBreak is { } b)
            {
                return Fail($"stream {stream.Key}, version {b.Version}: {b.Detail}", b, stream.Key);
            }
        }
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Sequence <= events[i - 1].Sequence)
            {
                return Fail($"event lines {i + 1} and {i + 2} are not in rising sequence order");
            }
        }
        if (events.Count < head.TreeSize)
        {
            return Fail($"the export holds {events.Count} events, the signed tree {head.TreeSize}: events up to the signed size were deleted or cut off");
        }
        // The intact chains make every stored hash the content's own: those are the leaves.
        var log = new MemoryMerkleLog();
        for (var i = 0; i < head.TreeSize; i++)
        {
            log.Append(MerkleTree.EventLeaf(events[i].StoredHash!));
        }
        var root = Convert.ToHexStringLower(log.Root(head.TreeSize));
        if (root == head.RootHash)
        {
            return new LogReport(true, events.Count, streams, null);
        }
        var rewritten = head.Subtrees?.Where(s => Convert.ToHexStringLower(log.Node(new MerkleNode(System.Numerics.BitOperations.Log2((ulong)s.Leaves), s.FirstLeaf / s.Leaves))) != s.Hash).ToList();
        return Fail($"the first {head.TreeSize} events make root {root}, the signed head says {head.RootHash}: events up to that size were changed, deleted, inserted or reordered",
            rewritten: rewritten);
    }
}
