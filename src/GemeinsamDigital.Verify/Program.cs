using GemeinsamDigital.Audit;

namespace GemeinsamDigital.Verify;

/// <summary>
/// <c>dotnet run --project src/GemeinsamDigital.Verify -- measure.ndjson [--expect-head HASH]</c>:
/// recomputes every hash of an audit export. Exit code 0 valid, 1 not valid, 2 usage or file error.
/// </summary>
public static class VerifyCommand
{
    public const string Usage = "usage: GemeinsamDigital.Verify <bundle.ndjson | -> [--expect-head <sha256 hex>]";

    public static int Main(string[] args) => Run(args, Console.OpenStandardInput, Console.Out, Console.Error);

    public static int Run(string[] args, Func<Stream> stdin, TextWriter output, TextWriter error)
    {
        string? path = null;
        string? expectHead = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--expect-head" && i + 1 < args.Length)
            {
                expectHead = args[++i];
            }
            else if (path is null && (args[i] == "-" || !args[i].StartsWith("--", StringComparison.Ordinal)))
            {
                path = args[i];
            }
            else
            {
                error.WriteLine(Usage);
                return 2;
            }
        }
        if (path is null)
        {
            error.WriteLine(Usage);
            return 2;
        }

        byte[] bundle;
        try
        {
            using var input = path == "-" ? stdin() : File.OpenRead(path);
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            bundle = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot read {path}: {e.Message}");
            return 2;
        }

        var report = AuditBundle.Verify(bundle, expectHead);
        if (report.Valid)
        {
            output.WriteLine($"VALID measure {report.MeasureId}: {report.Events} events, head version {report.HeadVersion}, head hash {report.HeadHash}");
            return 0;
        }
        output.WriteLine($"INVALID{(report.MeasureId is { } id ? $" measure {id}" : "")}: {report.Problem}");
        if (report.Break is { } b)
        {
            output.WriteLine($"  first mismatch: version {b.Version}, sequence {b.Sequence?.ToString() ?? "-"}, reason {b.Reason}, expected {b.ExpectedHash ?? "-"}, stored {b.StoredHash ?? "-"}");
        }
        return 1;
    }
}
