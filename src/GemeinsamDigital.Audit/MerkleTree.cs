using System.Numerics;
using System.Security.Cryptography;

namespace GemeinsamDigital.Audit;

/// <summary>A perfect subtree of the log: leaves [Index·2^Level, (Index+1)·2^Level).</summary>
public readonly record struct MerkleNode(int Level, long Index)
{
    public long FirstLeaf => Index << Level;
    public long Leaves => 1L << Level;
}

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, §2.1) over the log's leaves:
/// <code>leaf hash = SHA-256(0x00 || leaf data)      node hash = SHA-256(0x01 || left || right)
/// MTH(D[n]) for n &gt; 1: k = the largest power of two below n, MTH = node(MTH(D[0:k]), MTH(D[k:n]))</code>
/// The leaf data of an event is its chain hash (<see cref="EventHash"/>) as 32 bytes. Every subtree the
/// algorithms need is perfect and aligned, so a store keeps only perfect nodes
/// (<see cref="MerkleNode"/>) and any root or proof costs O(log n) of them. Proof generation asks a
/// node source; the verifiers need nothing but the proof.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    public static byte[] LeafHash(ReadOnlySpan<byte> leafData)
    {
        Span<byte> input = stackalloc byte[leafData.Length + 1];
        input[0] = 0x00;
        leafData.CopyTo(input[1..]);
        return SHA256.HashData(input);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The leaf hash of an event: its chain hash (64 hex digits) as 32 bytes.</summary>
    public static byte[] EventLeaf(string eventHash) =>
        EventHash.IsHash(eventHash) ? LeafHash(Convert.FromHexString(eventHash)) : throw new FormatException("An event hash is 64 lowercase hex digits.");

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    /// <summary>The perfect subtrees that make up a tree of <paramref name="size"/> leaves, left to right (one per bit of the size).</summary>
    public static IReadOnlyList<MerkleNode> Frontier(long size)
    {
        var nodes = new List<MerkleNode>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                nodes.Add(new MerkleNode(level, start >> level));
                start += 1L << level;
            }
        }
        return nodes;
    }

    /// <summary>The root from the frontier's hashes: folded from the right, as MTH splits at the largest power of two.</summary>
    public static byte[] RootOfFrontier(IReadOnlyList<byte[]> frontierHashes)
    {
        if (frontierHashes.Count == 0)
        {
            return EmptyRoot();
        }
        var hash = frontierHashes[^1];
        for (var i = frontierHashes.Count - 2; i >= 0; i--)
        {
            hash = NodeHash(frontierHashes[i], hash);
        }
        return hash;
    }

    public static byte[] Root(long size, Func<MerkleNode, byte[]> node) =>
        size == 0 ? EmptyRoot() : RangeHash(0, size, node);

    /// <summary>MTH of leaves [start, end), where start is aligned as in every subtree of an RFC 9162 tree.</summary>
    public static byte[] RangeHash(long start, long end, Func<MerkleNode, byte[]> node)
    {
        var size = end - start;
        if (BitOperations.IsPow2(size) && start % size == 0)
        {
            var level = BitOperations.Log2((ulong)size);
            return node(new MerkleNode(level, start >> level));
        }
        var k = LargestPowerOfTwoBelow(size);
        return NodeHash(RangeHash(start, start + k, node), RangeHash(start + k, end, node));
    }

    /// <summary>The audit path of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves (RFC 9162 §2.1.3.1), leaf to root.</summary>
    public static List<byte[]> InclusionProof(long index, long size, Func<MerkleNode, byte[]> node)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "The leaf must lie inside the tree.");
        }
        var proof = new List<byte[]>();
        Path(index, 0, size, node, proof);
        return proof;
    }

    private static void Path(long m, long start, long end, Func<MerkleNode, byte[]> node, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, start + k, node, proof);
            proof.Add(RangeHash(start + k, end, node));
        }
        else
        {
            Path(m - k, start + k, end, node, proof);
            proof.Add(RangeHash(start, start + k, node));
        }
    }

    /// <summary>The consistency proof from the tree of <paramref name="from"/> leaves to that of <paramref name="to"/> (RFC 9162 §2.1.4.1).</summary>
    public static List<byte[]> ConsistencyProof(long from, long to, Func<MerkleNode, byte[]> node)
    {
        if (from < 1 || from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "A consistency proof needs 1 <= from <= to.");
        }
        var proof = new List<byte[]>();
        if (from < to)
        {
            SubProof(from, 0, to, true, node, proof);
        }
        return proof;
    }

    private static void SubProof(long m, long start, long end, bool complete, Func<MerkleNode, byte[]> node, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(RangeHash(start, end, node));
            }
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, complete, node, proof);
            proof.Add(RangeHash(start + k, end, node));
        }
        else
        {
            SubProof(m - k, start + k, end, false, node, proof);
            proof.Add(RangeHash(start, start + k, node));
        }
    }

    /// <summary>The perfect nodes a computation reads, found by running it against placeholders (the nodes it asks for do not depend on their hashes).</summary>
    public static IReadOnlyCollection<MerkleNode> NodesNeeded(Action<Func<MerkleNode, byte[]>> computation)
    {
        var needed = new HashSet<MerkleNode>();
        var placeholder = new byte[HashSize];
        computation(n =>
        {
            needed.Add(n);
            return placeholder;
        });
        return needed;
    }

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="proof"/> lead from the leaf to <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize || proof.Any(p => p is not { Length: HashSize }))
        {
            return false;
        }
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2: does <paramref name="proof"/> show the tree of <paramref name="to"/> leaves extends the one of <paramref name="from"/>?</summary>
    public static bool VerifyConsistency(long from, long to, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof)
    {
        if (from < 1 || from > to || fromRoot.Length != HashSize || toRoot.Length != HashSize || proof.Any(p => p is not { Length: HashSize }))
        {
            return false;
        }
        if (from == to)
        {
            return proof.Count == 0 && fromRoot.SequenceEqual(toRoot);
        }
        if (proof.Count == 0)
        {
            return false;
        }
        var path = new List<byte[]>(proof);
        if (BitOperations.IsPow2(from))
        {
            path.Insert(0, fromRoot.ToArray());
        }
        var fn = from - 1;
        var sn = to - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(fromRoot) && sr.AsSpan().SequenceEqual(toRoot);
    }

    public static long LargestPowerOfTwoBelow(long n) => n < 2 ? throw new ArgumentOutOfRangeException(nameof(n)) : 1L << BitOperations.Log2((ulong)(n - 1));
}

/// <summary>
/// A log held in memory, appended in O(log n): the perfect nodes by level. The service keeps the
/// same nodes in PostgreSQL; this one serves the verifier, tests and benchmarks.
/// </summary>
public sealed class MemoryMerkleLog
{
    private readonly List<List<byte[]>> _levels = [[]];

    public long Size => _levels[0].Count;

    public void Append(byte[] leafHash)
    {
        _levels[0].Add(leafHash);
        var index = _levels[0].Count - 1;
        for (var level = 0; (index & 1) == 1; level++, index >>= 1)
        {
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }
            _levels[level + 1].Add(MerkleTree.NodeHash(_levels[level][index - 1], _levels[level][index]));
        }
    }

    public byte[] Node(MerkleNode node) => _levels[node.Level][checked((int)node.Index)];

    public byte[] Root(long size) => MerkleTree.Root(size, Node);

    public List<byte[]> InclusionProof(long index, long size) => MerkleTree.InclusionProof(index, size, Node);

    public List<byte[]> ConsistencyProof(long from, long to) => MerkleTree.ConsistencyProof(from, to, Node);
}
