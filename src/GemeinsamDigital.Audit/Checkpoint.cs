using System.Globalization;
using System.Text;

namespace GemeinsamDigital.Audit;

/// <summary>A stream's last event at or below a checkpoint's sequence.</summary>
public sealed record StreamHead(Guid StreamId, long Version, string? Hash);

/// <summary>
/// A checkpoint pins every stream's head at a global sequence. Its digest is
/// <code>lowercase hex( SHA-256( UTF-8(
///   "gd-checkpoint-1\n" + sequence + "\n"
///   + for each stream, ordered by its id (36 lowercase characters, ordinal): id + ":" + version + ":" + head hash + "\n" ) ) )</code>
/// (a head without a hash is written as "-"). The token an auditor keeps is
/// <c>gdcp1:&lt;sequence&gt;:&lt;digest&gt;</c>, e.g. <c>gdcp1:1234:9f86d0…</c>.
/// </summary>
public static class Checkpoint
{
    public const string TokenPrefix = "gdcp1";

    public static string Digest(long sequence, IEnumerable<StreamHead> heads)
    {
        var text = new StringBuilder("gd-checkpoint-1\n").Append(sequence.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var head in heads.OrderBy(h => h.StreamId.ToString("D"), StringComparer.Ordinal))
        {
            text.Append(head.StreamId.ToString("D")).Append(':')
                .Append(head.Version.ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(head.Hash ?? "-").Append('\n');
        }
        return EventHash.Sha256(text.ToString());
    }

    public static string Token(long sequence, string digest) => $"{TokenPrefix}:{sequence.ToString(CultureInfo.InvariantCulture)}:{digest}";

    public static bool TryParseToken(string? token, out long sequence, out string digest)
    {
        sequence = 0;
        digest = "";
        var parts = (token ?? "").Trim().Split(':');
        if (parts.Length != 3 || parts[0] != TokenPrefix
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sequence) || sequence < 0
            || !EventHash.IsHash(parts[2]))
        {
            return false;
        }
        digest = parts[2];
        return true;
    }
}
