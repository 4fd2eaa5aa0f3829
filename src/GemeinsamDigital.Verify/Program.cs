using System.Security.Cryptography;
using System.Text.Json;
using GemeinsamDigital.Audit;

namespace GemeinsamDigital.Verify;

/// <summary>
/// Offline checks for auditors, without network or database. Exit code 0 valid, 1 not valid, 2 usage or file error.
/// <list type="bullet">
/// <item><c>GemeinsamDigital.Verify measure.ndjson [--public-key key.pem] [--expect-head HASH]</c>: recomputes every hash of an
/// audit export and, for format 2, checks the signed tree head and the last event's inclusion proof.</item>
/// <item><c>GemeinsamDigital.Verify verify-log log.ndjson tree-head.json --public-key key.pem</c>: checks a whole-log export against a tree head
/// kept from before: every chain, and the root of the first treeSize events.</item>
/// <item><c>GemeinsamDigital.Verify verify-consistency old.json new.json --public-key key.pem</c>: checks that the newer signed
/// tree head extends the older one (new.json fetched with ?consistencyFrom=&lt;old size&gt;), and names the ranges rewritten when not.</item>
/// </list>
/// </summary>
public static class VerifyCommand
{
    public const string Usage =
        "usage: GemeinsamDigital.Verify <bundle.ndjson | -> [--public-key <key.pem>] [--expect-head <sha256 hex>]\n"
        + "       GemeinsamDigital.Verify verify-consistency <old-tree-head.json> <new-tree-head.json> --public-key <key.pem>\n"
        + "       GemeinsamDigital.Verify verify-log <log.ndjson> <tree-head.json> --public-key <key.pem>";

    public static int Main(string[] args) => Run(args, Console.OpenStandardInput, Console.Out, Console.Error);

    public static int Run(string[] args, Func<Stream> stdin, TextWriter output, TextWriter error)
    {
        var positional = new List<string>();
        string? expectHead = null;
        string? keyPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--expect-head" && i + 1 < args.Length)
            {
                expectHead = args[++i];
            }
            else if (args[i] == "--public-key" && i + 1 < args.Length)
            {
                keyPath = args[++i];
            }
            else if (args[i] == "-" || !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(args[i]);
            }
            else
            {
                return UsageError(error);
            }
        }

        ECDsa? key = null;
        try
        {
            if (keyPath is not null)
            {
                key = TreeHeads.ImportPublicKey(File.ReadAllText(keyPath));
            }
            return positional switch
            {
                ["verify-consistency", var older, var newer] when expectHead is null => Consistency(older, newer, key, output, error),
                ["verify-log", var export, var head] when expectHead is null => Log(export, head, key, output, error),
                [var path] when path is not ("verify-consistency" or "verify-log") => Bundle(path, expectHead, key, stdin, output),
                _ => UsageError(error),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or JsonException)
        {
            error.WriteLine($"cannot read input: {e.Message}");
            return 2;
        }
        finally
        {
            key?.Dispose();
        }
    }

    private static int UsageError(TextWriter error)
    {
        error.WriteLine(Usage);
        return 2;
    }

    private static int Bundle(string path, string? expectHead, ECDsa? key, Func<Stream> stdin, TextWriter output)
    {
        byte[] bundle;
        using (var input = path == "-" ? stdin() : File.OpenRead(path))
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            bundle = buffer.ToArray();
        }

        var report = AuditBundle.Verify(bundle, expectHead, key);
        if (report.Valid)
        {
            output.WriteLine($"VALID measure {report.MeasureId}: {report.Events} events, head version {report.HeadVersion}, head hash {report.HeadHash}");
            if (report.Proof is { } head)
            {
                output.WriteLine($"  included in the signed tree head of {head.TreeSize} events (root {head.RootHash}, {head.Timestamp}), "
                    + (key is null ? $"signed by key {head.KeyId} named in the bundle: pin it with --public-key" : $"signed by the trusted key {head.KeyId}"));
            }
            else
            {
                output.WriteLine("  no inclusion proof (format 1): the chain is checked, not its place in the transparency log");
            }
            return 0;
        }
        output.WriteLine($"INVALID{(report.MeasureId is { } id ? $" measure {id}" : "")}: {report.Problem}");
        if (report.Break is { } b)
        {
            output.WriteLine($"  first mismatch: version {b.Version}, sequence {b.Sequence?.ToString() ?? "-"}, reason {b.Reason}, expected {b.ExpectedHash ?? "-"}, stored {b.StoredHash ?? "-"}");
        }
        return 1;
    }

    private static int Consistency(string olderPath, string newerPath, ECDsa? key, TextWriter output, TextWriter error)
    {
        if (key is null)
        {
            error.WriteLine("verify-consistency needs --public-key: a tree head is only as good as the key it is checked with.");
            return 2;
        }
        var older = Read(olderPath);
        var newer = Read(newerPath);
        foreach (var (head, name) in new[] { (older, olderPath), (newer, newerPath) })
        {
            if ((TreeHeads.CheckSignature(head, key) ?? TreeHeads.CheckSubtrees(head)) is { } bad)
            {
                output.WriteLine($"INVALID {name}: {bad}");
                return 1;
            }
        }
        if (newer.Consistency is not { } proof)
        {
            error.WriteLine($"{newerPath} carries no consistency proof: fetch it with GET /api/audit/tree-head?treeSize={newer.TreeSize}&consistencyFrom={older.TreeSize}.");
            return 2;
        }
        var report = TreeHeads.CheckConsistency(older, newer, proof);
        if (report.Consistent)
        {
            output.WriteLine($"CONSISTENT: the tree of {newer.TreeSize} events ({newer.Timestamp}) extends the tree of {older.TreeSize} events ({older.Timestamp})");
            return 0;
        }
        output.WriteLine($"INCONSISTENT: {report.Problem}");
        foreach (var range in report.Rewritten)
        {
            output.WriteLine($"  rewritten: leaves {range.FirstLeaf}–{range.FirstLeaf + range.Leaves - 1}, event sequences {range.FirstSequence?.ToString() ?? "?"}–{range.LastSequence?.ToString() ?? "?"} "
                + "(as signed in the older head): the log's hash of this range is no longer the signed one");
        }
        return 1;
    }

    private static int Log(string exportPath, string headPath, ECDsa? key, TextWriter output, TextWriter error)
    {
        if (key is null)
        {
            error.WriteLine("verify-log needs --public-key: a tree head is only as good as the key it is checked with.");
            return 2;
        }
        var head = Read(headPath);
        List<ChainRecord> events;
        try
        {
            events = LogExport.Read(File.ReadAllBytes(exportPath));
        }
        catch (FormatException e)
        {
            output.WriteLine($"INVALID {exportPath}: {e.Message}");
            return 1;
        }
        var report = LogExport.Verify(events, head, key);
        if (report.Valid)
        {
            output.WriteLine($"VALID: {report.Events} events of {report.Streams} streams; the first {head.TreeSize} make the root signed at {head.Timestamp}");
            return 0;
        }
        output.WriteLine($"INVALID: {report.Problem}");
        foreach (var range in report.Rewritten ?? [])
        {
            output.WriteLine($"  rewritten: leaves {range.FirstLeaf}–{range.FirstLeaf + range.Leaves - 1}, event sequences {range.FirstSequence?.ToString() ?? "?"}–{range.LastSequence?.ToString() ?? "?"} (as signed)");
        }
        return 1;
    }

    private static TreeHead Read(string path) =>
        JsonSerializer.Deserialize<TreeHead>(File.ReadAllText(path), TreeHeads.Json) ?? throw new FormatException($"{path} is not a tree head.");
}
