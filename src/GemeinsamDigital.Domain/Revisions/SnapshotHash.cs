using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GemeinsamDigital.Audit;
using Canonical = GemeinsamDigital.Audit.CanonicalJson;

namespace GemeinsamDigital.Domain.Revisions;

/// <summary>
/// The content hash of a revision snapshot: lower-case hex SHA-256 of the UTF-8 bytes of its
/// canonical JSON (documented in docs/revisions.md): the snapshot serialised with members named in
/// camelCase and enums by name, then written by the one canonical writer, <see cref="Canonical"/>
/// (gd-cjson-1, the same rules as event hashes), with members whose value is null left out.
/// </summary>
public static class SnapshotHash
{
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly CanonicalJsonOptions _canonical = new() { OmitNullMembers = true };

    public static string Compute(RevisionSnapshot snapshot) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(snapshot))));

    public static string CanonicalJson(RevisionSnapshot snapshot)
    {
        using var document = JsonSerializer.SerializeToDocument(snapshot, _options);
        return Canonical.Canonicalize(document.RootElement, _canonical);
    }

    /// <summary>Top-level members (canonical names) whose canonical JSON differs: where two snapshots part.</summary>
    public static IReadOnlyList<string> DifferingMembers(RevisionSnapshot a, RevisionSnapshot b)
    {
        var x = Members(a);
        var y = Members(b);
        return [.. x.Keys.Union(y.Keys).Order(StringComparer.Ordinal).Where(k => x.GetValueOrDefault(k) != y.GetValueOrDefault(k))];
    }

    private static Dictionary<string, string> Members(RevisionSnapshot snapshot)
    {
        using var document = JsonSerializer.SerializeToDocument(snapshot, _options);
        return document.RootElement.EnumerateObject()
            .Where(m => m.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(m => m.Name, m => Canonical.Canonicalize(m.Value, _canonical));
    }

    /// <summary>A number in its shortest plain decimal form, as the canonical writer spells it.</summary>
    public static string Number(string raw) => Canonical.Number(raw);
}
