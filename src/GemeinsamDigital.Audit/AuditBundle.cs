using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GemeinsamDigital.Audit;

/// <summary>The outcome of verifying an export bundle offline.</summary>
/// <param name="Valid">True when every check passed.</param>
/// <param name="MeasureId">The measure the bundle claims to describe (null if the header is unreadable).</param>
/// <param name="Events">Event lines read.</param>
/// <param name="HeadVersion">Version of the last event.</param>
/// <param name="HeadHash">Head hash recomputed from the events.</param>
/// <param name="Problem">Why it is not valid (null when valid).</param>
/// <param name="Break">The first event whose hash does not match, when that is the problem.</param>
/// <param name="Proof">The signed tree head the last event was proven against, when the bundle carries a proof and it holds.</param>
public sealed record BundleReport(bool Valid, Guid? MeasureId, int Events, long HeadVersion, string? HeadHash, string? Problem, ChainBreak? Break, TreeHead? Proof = null);

/// <summary>The inclusion proof of a bundle's last event in the transparency log, against a signed tree head.</summary>
/// <param name="LeafIndex">The event's leaf index.</param>
/// <param name="Sequence">Its global sequence.</param>
/// <param name="TreeHead">The signed tree head (without subtrees).</param>
/// <param name="PublicKey">The signing key (PEM); pin it with the verify command's --public-key.</param>
/// <param name="Path">The audit path (hex), leaf to root.</param>
public sealed record BundleProof(long LeafIndex, long Sequence, TreeHead TreeHead, string PublicKey, IReadOnlyList<string> Path);

/// <summary>
/// The self-contained audit export of one measure: line-delimited JSON (application/x-ndjson),
/// UTF-8, every line one JSON object ended by "\n", nothing else.
/// <list type="number">
/// <item>Header: <c>{"record":"header","format":"gemeinsamdigital-audit-export","formatVersion":1 or 2,"measureId",
/// "exportedAt","hashAlgorithm":"SHA-256","canonicalJson":"gd-cjson-1","genesis"}</c>.</item>
/// <item>One line per event in version order: <c>{"record":"event","version","sequence","type","timestamp",
/// "actor","administration","reason","correlationId","causationId","data","prevHash","hash"}</c>,
/// data in canonical JSON, hashes as stored.</item>
/// <item>Format version 2 only: the proof line <c>{"record":"proof","leafIndex","sequence","treeHead","publicKey","path"}</c>:
/// the inclusion proof of the last event in the transparency log against a signed tree head (<see cref="BundleProof"/>).</item>
/// <item>Trailer: <c>{"record":"trailer","eventCount","headVersion","headHash","bundleSha256"}</c>, where
/// bundleSha256 is the SHA-256 of every byte before the trailer line, so no byte can change unnoticed.</item>
/// </list>
/// </summary>
public static class AuditBundle
{
    public const string Format = "gemeinsamdigital-audit-export";
    /// <summary>1: events only; 2: with the proof line.</summary>
    public const int FormatVersion = 2;
    public const string ContentType = "application/x-ndjson";

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] _headerMembers = ["record", "format", "formatVersion", "measureId", "exportedAt", "hashAlgorithm", "canonicalJson", "genesis"];
    private static readonly string[] _eventMembers = ["record", "version", "sequence", "type", "timestamp", "actor", "administration", "reason", "correlationId", "causationId", "data", "prevHash", "hash"];
    private static readonly string[] _proofMembers = ["record", "leafIndex", "sequence", "treeHead", "publicKey", "path"];
    private static readonly string[] _treeHeadMembers = ["treeSize", "rootHash", "timestamp", "algorithm", "keyId", "signature"];
    private static readonly string[] _trailerMembers = ["record", "eventCount", "headVersion", "headHash", "bundleSha256"];

    /// <summary>Writes the bundle: header, the events as stored, trailer.</summary>
    public static async Task WriteAsync(Stream output, Guid measureId, DateTimeOffset exportedAt, IAsyncEnumerable<ChainRecord> events, CancellationToken ct,
        BundleProof? proof = null)
    {
        await using var lines = new NdjsonLines(output);
        Task Line(Action<Utf8JsonWriter> write, bool hashed) => lines.WriteAsync(write, hashed, ct);

        await Line(w =>
        {
            w.WriteString("record", "header");
            w.WriteString("format", Format);
            w.WriteNumber("formatVersion", proof is null ? 1 : FormatVersion);
            w.WriteString("measureId", measureId.ToString("D"));
            w.WriteString("exportedAt", EventHash.FormatTimestamp(exportedAt));
            w.WriteString("hashAlgorithm", EventHash.Algorithm);
            w.WriteString("canonicalJson", CanonicalJson.Name);
            w.WriteString("genesis", EventHash.Genesis);
        }, hashed: true);

        var count = 0;
        long headVersion = 0;
        string? headHash = null;
        await foreach (var e in events.WithCancellation(ct))
        {
            var c = e.Content;
            await Line(w =>
            {
                w.WriteString("record", "event");
                WriteEvent(w, e);
            }, hashed: true);
            count++;
            headVersion = c.Version;
            headHash = e.StoredHash;
        }

        if (proof is not null)
        {
            await Line(w =>
            {
                w.WriteString("record", "proof");
                w.WriteNumber("leafIndex", proof.LeafIndex);
                w.WriteNumber("sequence", proof.Sequence);
                w.WriteStartObject("treeHead");
                w.WriteNumber("treeSize", proof.TreeHead.TreeSize);
                w.WriteString("rootHash", proof.TreeHead.RootHash);
                w.WriteString("timestamp", proof.TreeHead.Timestamp);
                w.WriteString("algorithm", proof.TreeHead.Algorithm);
                w.WriteString("keyId", proof.TreeHead.KeyId);
                w.WriteString("signature", proof.TreeHead.Signature);
                w.WriteEndObject();
                w.WriteString("publicKey", proof.PublicKey);
                w.WriteStartArray("path");
                foreach (var hash in proof.Path)
                {
                    w.WriteStringValue(hash);
                }
                w.WriteEndArray();
            }, hashed: true);
        }

        var bundleSha256 = lines.Digest();
        await Line(w =>
        {
            w.WriteString("record", "trailer");
            w.WriteNumber("eventCount", count);
            w.WriteNumber("headVersion", headVersion);
            w.WriteString("headHash", headHash);
            w.WriteString("bundleSha256", bundleSha256);
        }, hashed: false);
    }

    /// <summary>Verifies a bundle byte for byte; optionally also that its head is the one an auditor pinned.</summary>
    /// <param name="bundle">The bundle's bytes.</param>
    /// <param name="expectedHeadHash">A head hash the auditor pinned.</param>
    /// <param name="trustedKey">The tree head key the auditor trusts (from the well-known URL, kept apart); without it the key in the bundle is used and only named.</param>
    public static BundleReport Verify(byte[] bundle, string? expectedHeadHash = null, ECDsa? trustedKey = null)
    {
        var version = 1L;
        Guid? measureId = null;
        var records = new List<ChainRecord>();
        BundleReport Fail(string problem, ChainBreak? chainBreak = null, string? head = null) =>
            new(false, measureId, records.Count, records.Count > 0 ? records[^1].Content.Version : 0, head, problem, chainBreak);

        string text;
        try
        {
            text = StrictUtf8.GetString(bundle);
        }
        catch (DecoderFallbackException)
        {
            return Fail("The bundle is not valid UTF-8.");
        }
        if (text.Length == 0 || text[^1] != '\n')
        {
            return Fail("The bundle must end with a line feed after its trailer line.");
        }
        var lines = text[..^1].Split('\n');
        if (lines.Length < 2)
        {
            return Fail("The bundle needs at least a header and a trailer line.");
        }

        try
        {
            using (var header = Parse(lines[0], 1, _headerMembers, "header"))
            {
                var h = header.RootElement;
                version = Int(h, "formatVersion", 1);
                if (h.GetProperty("format").GetString() != Format || version is < 1 or > FormatVersion
                    || h.GetProperty("hashAlgorithm").GetString() != EventHash.Algorithm
                    || h.GetProperty("canonicalJson").GetString() != CanonicalJson.Name
                    || h.GetProperty("genesis").GetString() != EventHash.Genesis)
                {
                    return Fail($"Line 1: not a {Format} version 1 or {FormatVersion} header.");
                }
                if (!Guid.TryParseExact(h.GetProperty("measureId").GetString(), "D", out var id) || id.ToString("D") != h.GetProperty("measureId").GetString())
                {
                    return Fail("Line 1: measureId is not a lowercase GUID.");
                }
                measureId = id;
                Timestamp(h, "exportedAt", 1);
            }

            var eventsEnd = version >= 2 ? lines.Length - 2 : lines.Length - 1;
            for (var i = 1; i < eventsEnd; i++)
            {
                using var line = Parse(lines[i], i + 1, _eventMembers, "event");
                records.Add(ReadEvent(line.RootElement, measureId.Value, i + 1));
            }

            using var trailerDocument = Parse(lines[^1], lines.Length, _trailerMembers, "trailer");
            var trailer = trailerDocument.RootElement;
            var trailerStart = Array.LastIndexOf(bundle, (byte)'\n', bundle.Length - 2) + 1;
            var actualSha = EventHash.Sha256(bundle.AsSpan(0, trailerStart));
            if (trailer.GetProperty("bundleSha256").GetString() != actualSha)
            {
                return Fail($"Line {lines.Length}: bundleSha256 does not match the bytes before the trailer: the bundle was changed.");
            }
            if (Int(trailer, "eventCount", lines.Length) != records.Count)
            {
                return Fail($"Line {lines.Length}: the trailer counts {Int(trailer, "eventCount", lines.Length)} events, the bundle has {records.Count}.");
            }

            var report = ChainVerifier.Verify(measureId.Value, records, Int(trailer, "headVersion", lines.Length));
            if (report.FirstBreak is { } broken)
            {
                return Fail($"Version {broken.Version}: {broken.Detail}", broken, report.HeadHash);
            }
            var trailerHead = trailer.GetProperty("headHash").GetString();
            if (report.HeadVersion != Int(trailer, "headVersion", lines.Length) || report.HeadHash != trailerHead)
            {
                return Fail($"Line {lines.Length}: the trailer's head (version {Int(trailer, "headVersion", lines.Length)}, {trailerHead}) is not the chain's head.", null, report.HeadHash);
            }
            if (expectedHeadHash is not null && !string.Equals(expectedHeadHash.Trim(), report.HeadHash, StringComparison.Ordinal))
            {
                return Fail($"The head hash {report.HeadHash} is not the expected {expectedHeadHash.Trim()}.", null, report.HeadHash);
            }
            TreeHead? proven = null;
            if (version >= 2)
            {
                using var proofLine = Parse(lines[^2], lines.Length - 1, _proofMembers, "proof");
                var (head, problem) = CheckProof(proofLine.RootElement, records, report.HeadHash!, trustedKey, lines.Length - 1);
                if (problem is not null)
                {
                    return Fail(problem, null, report.HeadHash);
                }
                proven = head;
            }
            return new BundleReport(true, measureId, records.Count, report.HeadVersion, report.HeadHash, null, null, proven);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            // InvalidOperationException: a member has the wrong JSON kind (e.g. a number where text belongs).
            return Fail(e is FormatException ? e.Message : "A member has the wrong JSON type: " + e.Message);
        }
    }

    /// <summary>An event's members after "record" (and, in a log export, "stream"): as stored, data in canonical JSON.</summary>
    internal static void WriteEvent(Utf8JsonWriter w, ChainRecord e)
    {
        var c = e.Content;
        w.WriteNumber("version", c.Version);
        if (e.Sequence is { } sequence)
        {
            w.WriteNumber("sequence", sequence);
        }
        else
        {
            w.WriteNull("sequence");
        }
        w.WriteString("type", c.Type);
        w.WriteString("timestamp", EventHash.FormatTimestamp(c.Timestamp));
        w.WriteString("actor", c.Provenance.Actor);
        w.WriteString("administration", c.Provenance.Administration);
        w.WriteString("reason", c.Provenance.Reason);
        w.WriteString("correlationId", c.Provenance.CorrelationId);
        w.WriteString("causationId", c.Provenance.CausationId);
        w.WritePropertyName("data");
        w.WriteRawValue(CanonicalJson.Canonicalize(c.Data), skipInputValidation: true);
        w.WriteString("prevHash", e.StoredPrevious);
        w.WriteString("hash", e.StoredHash);
    }

    // The last event's recomputed hash is a leaf of the signed tree: signature first, then the audit path.
    private static (TreeHead? Head, string? Problem) CheckProof(JsonElement p, List<ChainRecord> records, string headHash, ECDsa? trustedKey, int line)
    {
        var t = p.GetProperty("treeHead");
        var names = t.ValueKind == JsonValueKind.Object ? t.EnumerateObject().Select(x => x.Name).ToList() : [];
        if (names.Count != _treeHeadMembers.Length || !names.All(_treeHeadMembers.Contains))
        {
            throw new FormatException($"Line {line}: treeHead must have exactly the members {string.Join(", ", _treeHeadMembers)}.");
        }
        var head = new TreeHead(Int(t, "treeSize", line), Text(t, "rootHash", line) ?? "", Text(t, "timestamp", line) ?? "",
            Text(t, "algorithm", line) ?? "", Text(t, "keyId", line) ?? "", Text(t, "signature", line) ?? "");
        var sequence = Int(p, "sequence", line);
        var leafIndex = Int(p, "leafIndex", line);
        if (records.Count == 0 || records[^1].Sequence != sequence)
        {
            return (null, $"Line {line}: the proof is for sequence {sequence}, the last event has sequence {(records.Count > 0 ? records[^1].Sequence : null)}.");
        }
        var path = p.GetProperty("path");
        if (path.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Line {line}: path must be an array of hashes.");
        }
        var hashes = path.EnumerateArray().Select(h => h.ValueKind == JsonValueKind.String && EventHash.IsHash(h.GetString())
            ? Convert.FromHexString(h.GetString()!)
            : throw new FormatException($"Line {line}: every path entry must be 64 lowercase hex digits.")).ToList();
        using var embedded = TreeHeads.ImportPublicKey(Text(p, "publicKey", line) ?? throw new FormatException($"Line {line}: publicKey is missing."));
        if (trustedKey is not null && TreeHeads.KeyId(trustedKey) != TreeHeads.KeyId(embedded))
        {
            return (null, $"Line {line}: the tree head is signed by key {TreeHeads.KeyId(embedded)}, not by the trusted key {TreeHeads.KeyId(trustedKey)}.");
        }
        if (TreeHeads.CheckSignature(head, trustedKey ?? embedded) is { } bad)
        {
            return (null, $"Line {line}: the tree head is not valid: {bad}.");
        }
        return MerkleTree.VerifyInclusion(leafIndex, head.TreeSize, MerkleTree.EventLeaf(headHash), hashes, Convert.FromHexString(head.RootHash))
            ? (head, null)
            : (null, $"Line {line}: the last event (sequence {sequence}) is not leaf {leafIndex} of the signed tree of {head.TreeSize} events: the inclusion proof fails.");
    }

    internal static ChainRecord ReadEvent(JsonElement e, Guid measureId, int line)
    {
        var data = e.GetProperty("data");
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Line {line}: data must be a JSON object.");
        }
        var content = new EventContent(
            measureId,
            Int(e, "version", line),
            e.GetProperty("type").GetString() ?? throw new FormatException($"Line {line}: type is missing."),
            Timestamp(e, "timestamp", line),
            data.GetRawText(),
            new Provenance(
                Text(e, "actor", line),
                Text(e, "administration", line),
                Text(e, "reason", line),
                Text(e, "correlationId", line),
                Text(e, "causationId", line)));
        long? sequence = e.GetProperty("sequence").ValueKind == JsonValueKind.Null ? null : Int(e, "sequence", line);
        return new ChainRecord(content, sequence, Hash(e, "hash", line), Hash(e, "prevHash", line));
    }

    // Strict: valid JSON object, exactly the expected members, each once, and the right record kind.
    internal static JsonDocument Parse(string line, int number, string[] members, string record)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"Line {number}: not valid JSON ({e.Message}).", e);
        }
        var root = document.RootElement;
        var names = root.ValueKind == JsonValueKind.Object ? root.EnumerateObject().Select(p => p.Name).ToList() : [];
        if (root.ValueKind != JsonValueKind.Object || names.Count != members.Length || names.Distinct(StringComparer.Ordinal).Count() != names.Count
            || !names.All(members.Contains) || root.GetProperty("record").GetString() != record)
        {
            document.Dispose();
            throw new FormatException($"Line {number}: expected a {record} line with exactly the members {string.Join(", ", members)}.");
        }
        return document;
    }

    internal static long Int(JsonElement e, string name, int line) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var value)
            ? value
            : throw new FormatException($"Line {line}: {name} must be a whole number.");

    internal static string? Text(JsonElement e, string name, int line) => e.GetProperty(name).ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetProperty(name).GetString(),
        _ => throw new FormatException($"Line {line}: {name} must be a string or null."),
    };

    internal static string? Hash(JsonElement e, string name, int line) => Text(e, name, line) switch
    {
        null => null,
        var h when EventHash.IsHash(h) => h,
        _ => throw new FormatException($"Line {line}: {name} must be 64 lowercase hex digits."),
    };

    internal static DateTimeOffset Timestamp(JsonElement e, string name, int line) =>
        Text(e, name, line) is { } text && EventHash.TryParseTimestamp(text, out var at) && EventHash.FormatTimestamp(at) == text
            ? at
            : throw new FormatException($"Line {line}: {name} must be a UTC timestamp like 2024-05-01T12:00:00.000000Z.");
}

/// <summary>Writes JSON lines, each ended by "\n", keeping the SHA-256 of the lines marked as hashed.</summary>
internal sealed class NdjsonLines(Stream output) : IAsyncDisposable
{
    private readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public async Task WriteAsync(Action<Utf8JsonWriter> write, bool hashed, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        if (hashed)
        {
            _digest.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }

    public string Digest() => Convert.ToHexStringLower(_digest.GetHashAndReset());

    public ValueTask DisposeAsync()
    {
        _digest.Dispose();
        return ValueTask.CompletedTask;
    }
}
