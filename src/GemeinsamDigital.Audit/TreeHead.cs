using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GemeinsamDigital.Audit;

/// <summary>One perfect subtree of a signed tree, with the event sequences it spans when it was signed (information, not signed).</summary>
/// <param name="FirstLeaf">Its first leaf index.</param>
/// <param name="Leaves">Its leaf count (a power of two).</param>
/// <param name="Hash">Its hash (hex); the root is these hashes folded from the right, so they are as trustworthy as the signed root.</param>
/// <param name="FirstSequence">The global event sequence of its first leaf.</param>
/// <param name="LastSequence">That of its last leaf.</param>
public sealed record SubtreeHash(long FirstLeaf, long Leaves, string Hash, long? FirstSequence, long? LastSequence);

/// <summary>
/// A signed tree head: the service's statement that its log held <see cref="TreeSize"/> events with
/// root <see cref="RootHash"/> at <see cref="Timestamp"/>. The signature (ECDSA P-256 with SHA-256,
/// IEEE P1363 r‖s, base64) covers the UTF-8 bytes of
/// <code>"gd-tree-head-1\n" + treeSize + "\n" + rootHash + "\n" + timestamp + "\n"</code>
/// (root as 64 lowercase hex digits, timestamp as <see cref="EventHash.TimestampFormat"/>).
/// <see cref="KeyId"/> is the SHA-256 (hex) of the public key's SubjectPublicKeyInfo (DER).
/// </summary>
public sealed record TreeHead(
    long TreeSize,
    string RootHash,
    string Timestamp,
    string Algorithm,
    string KeyId,
    string Signature)
{
    /// <summary>The perfect subtrees of the tree (its frontier), when the document carries them.</summary>
    public IReadOnlyList<SubtreeHash>? Subtrees { get; init; }

    /// <summary>A consistency proof from an older tree size to this one, when asked for with the tree head.</summary>
    public ConsistencyProofView? Consistency { get; init; }
}

/// <summary>The proof that the tree of <see cref="ToSize"/> leaves extends that of <see cref="FromSize"/> (RFC 9162 §2.1.4).</summary>
/// <param name="FromSize">The older size.</param>
/// <param name="ToSize">The newer size.</param>
/// <param name="Proof">The proof's hashes (hex), in RFC 9162 order.</param>
/// <param name="FromSubtrees">This log's hashes now of the perfect subtrees that made up the older tree: when the proof fails, comparing them with the older head's subtrees names the rewritten ranges.</param>
public sealed record ConsistencyProofView(long FromSize, long ToSize, IReadOnlyList<string> Proof, IReadOnlyList<SubtreeHash>? FromSubtrees = null);

/// <summary>An inclusion proof of one event (RFC 9162 §2.1.3).</summary>
/// <param name="Sequence">The event's global sequence.</param>
/// <param name="LeafIndex">Its leaf index in the log.</param>
/// <param name="TreeSize">The tree the proof is for.</param>
/// <param name="EventHash">The event's chain hash (the leaf data).</param>
/// <param name="Path">The audit path (hex), leaf to root.</param>
public sealed record InclusionProofView(long Sequence, long LeafIndex, long TreeSize, string EventHash, IReadOnlyList<string> Path);

public static class TreeHeads
{
    public const string Algorithm = "ecdsa-p256-sha256";
    public const string MessagePrefix = "gd-tree-head-1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Message(long treeSize, string rootHash, string timestamp) =>
        Encoding.UTF8.GetBytes($"{MessagePrefix}\n{treeSize.ToString(CultureInfo.InvariantCulture)}\n{rootHash}\n{timestamp}\n");

    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static TreeHead Sign(ECDsa key, long treeSize, byte[] root, DateTimeOffset at)
    {
        var rootHex = Convert.ToHexStringLower(root);
        var timestamp = EventHash.FormatTimestamp(at);
        var signature = key.SignData(Message(treeSize, rootHex, timestamp), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new TreeHead(treeSize, rootHex, timestamp, Algorithm, KeyId(key), Convert.ToBase64String(signature));
    }

    /// <summary>Null when the head is signed by <paramref name="publicKey"/> and well formed; else why not.</summary>
    public static string? CheckSignature(TreeHead head, ECDsa publicKey)
    {
        if (head.Algorithm != Algorithm)
        {
            return $"algorithm '{head.Algorithm}' is not {Algorithm}";
        }
        if (head.KeyId != KeyId(publicKey))
        {
            return $"signed by key {head.KeyId}, not by the trusted key {KeyId(publicKey)}";
        }
        if (!EventHash.IsHash(head.RootHash) || head.TreeSize < 0 || !EventHash.TryParseTimestamp(head.Timestamp, out _))
        {
            return "tree size, root hash or timestamp is malformed";
        }
        if (head.Signature is not { Length: > 0 })
        {
            return "the signature is missing";
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(head.Signature);
        }
        catch (FormatException)
        {
            return "the signature is not base64";
        }
        return publicKey.VerifyData(Message(head.TreeSize, head.RootHash, head.Timestamp), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            ? null
            : "the signature does not match the tree head";
    }

    /// <summary>Null when the head's subtrees (if any) are its frontier and fold to its root; else why not.</summary>
    public static string? CheckSubtrees(TreeHead head)
    {
        if (head.Subtrees is not { } subtrees)
        {
            return null;
        }
        var frontier = MerkleTree.Frontier(head.TreeSize);
        if (subtrees.Count != frontier.Count || subtrees.Zip(frontier).Any(p => p.First.FirstLeaf != p.Second.FirstLeaf || p.First.Leaves != p.Second.Leaves)
            || subtrees.Any(s => !EventHash.IsHash(s.Hash)))
        {
            return "its subtrees are not the perfect subtrees of a tree of that size";
        }
        var root = Convert.ToHexStringLower(MerkleTree.RootOfFrontier([.. subtrees.Select(s => Convert.FromHexString(s.Hash))]));
        return root == head.RootHash ? null : "its subtrees do not fold to its root";
    }

    public static ECDsa ImportPublicKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException("The tree head key is not a PEM public key: " + e.Message, e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new FormatException("The tree head key must be an ECDSA P-256 key.");
        }
        return key;
    }

    public static string ExportPublicKey(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    public static byte[] FromHex(string hex, string what) =>
        EventHash.IsHash(hex) ? Convert.FromHexString(hex) : throw new FormatException($"{what} must be 64 lowercase hex digits.");

    /// <summary>Verifies a consistency proof between two signed heads; on failure names the older head's subtrees the newer log no longer holds.</summary>
    public static ConsistencyReport CheckConsistency(TreeHead older, TreeHead newer, ConsistencyProofView proof)
    {
        if (older.TreeSize > newer.TreeSize)
        {
            return new(false, $"the older head has {older.TreeSize} events, more than the newer one's {newer.TreeSize}: the log shrank", []);
        }
        if (proof.FromSize != older.TreeSize || proof.ToSize != newer.TreeSize)
        {
            return new(false, $"the proof is from {proof.FromSize} to {proof.ToSize} events, the heads are {older.TreeSize} and {newer.TreeSize}", []);
        }
        var rewritten = Rewritten(older, proof.FromSubtrees);
        if (older.TreeSize == 0)
        {
            return new(true, null, []);
        }
        bool valid;
        try
        {
            valid = MerkleTree.VerifyConsistency(older.TreeSize, newer.TreeSize, FromHex(older.RootHash, "rootHash"), FromHex(newer.RootHash, "rootHash"),
                [.. proof.Proof.Select(p => FromHex(p, "a proof hash"))]);
        }
        catch (FormatException e)
        {
            return new(false, e.Message, rewritten);
        }
        return valid
            ? new(true, null, [])
            : new(false, "the consistency proof fails: the newer tree does not extend the older one (events up to the older size were changed, deleted or reordered)", rewritten);
    }

    private static IReadOnlyList<SubtreeHash> Rewritten(TreeHead older, IReadOnlyList<SubtreeHash>? now)
    {
        if (older.Subtrees is not { } then || now is null || CheckSubtrees(older) is not null)
        {
            return [];
        }
        return [.. then.Where(t => now.FirstOrDefault(n => n.FirstLeaf == t.FirstLeaf && n.Leaves == t.Leaves) is not { } n || n.Hash != t.Hash)];
    }
}

/// <summary>The outcome of checking that a newer tree head extends an older one.</summary>
/// <param name="Consistent">True when the proof holds.</param>
/// <param name="Problem">Why not.</param>
/// <param name="Rewritten">The older tree's subtrees (leaf and sequence ranges at signing) whose hashes the newer log no longer has.</param>
public sealed record ConsistencyReport(bool Consistent, string? Problem, IReadOnlyList<SubtreeHash> Rewritten);
