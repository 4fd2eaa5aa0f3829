using System.Security.Cryptography;
using GemeinsamDigital.Audit;

namespace GemeinsamDigital.Domain.Tests.Audit;

/// <summary>The RFC 9162 tree, its proofs and their verification, and signed tree heads: no database.</summary>
public class MerkleTreeTests
{
    // RFC 6962's test leaves, as used by the Certificate Transparency implementations.
    private static readonly string[] _vectorLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] _vectorRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Roots_match_the_RFC_6962_test_vectors()
    {
        var log = new MemoryMerkleLog();
        for (var i = 0; i < _vectorLeaves.Length; i++)
        {
            log.Append(MerkleTree.LeafHash(Convert.FromHexString(_vectorLeaves[i])));
            Convert.ToHexStringLower(log.Root(i + 1)).ShouldBe(_vectorRoots[i], $"size {i + 1}");
        }
        Convert.ToHexStringLower(MerkleTree.EmptyRoot()).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Roots_equal_the_recursive_definition_and_the_folded_frontier()
    {
        var (log, leaves) = Log(70);
        for (var n = 1; n <= 70; n++)
        {
            var root = log.Root(n);
            root.ShouldBe(Mth(leaves, 0, n), $"size {n}");
            MerkleTree.RootOfFrontier([.. MerkleTree.Frontier(n).Select(log.Node)]).ShouldBe(root, $"frontier of {n}");
        }
    }

    [Fact]
    public void Every_inclusion_and_consistency_proof_up_to_64_leaves_verifies()
    {
        var (log, leaves) = Log(64);
        for (var n = 1; n <= 64; n++)
        {
            var root = log.Root(n);
            for (var i = 0; i < n; i++)
            {
                MerkleTree.VerifyInclusion(i, n, leaves[i], log.InclusionProof(i, n), root).ShouldBeTrue($"leaf {i} of {n}");
            }
            for (var m = 1; m <= n; m++)
            {
                MerkleTree.VerifyConsistency(m, n, log.Root(m), root, log.ConsistencyProof(m, n)).ShouldBeTrue($"{m} to {n}");
            }
        }
    }

    [Fact]
    public void A_thousand_forged_inclusion_proofs_are_each_rejected()
    {
        var (log, leaves) = Log(300);
        var random = new Random(16);
        for (var k = 0; k < 1000; k++)
        {
            var n = random.Next(2, 301);
            var i = random.Next(n);
            var proof = log.InclusionProof(i, n);
            var root = log.Root(n);
            // A wrong size is checked against that size's real root, as a signed head pairs them.
            var otherSize = n < 300 ? n + 1 + random.Next(Math.Min(5, 300 - n)) : n - 1;
            var (index, size, leaf, path) = (k % 5) switch
            {
                0 when proof.Count > 0 => (i, n, leaves[i], FlipBit(proof, random)),
                1 => (i, otherSize, leaves[i], proof),
                2 => ((i + 1 + random.Next(n - 1)) % n, n, leaves[i], proof),
                3 when proof.Count > 0 => (i, n, leaves[i], proof.Take(proof.Count - 1).ToList()),
                _ => (i, n, Flip(leaves[i], random), proof),
            };
            MerkleTree.VerifyInclusion(index, size, leaf, path, size == n ? root : log.Root(size)).ShouldBeFalse($"forgery {k % 5} of leaf {i} in {n}");
        }
    }

    [Fact]
    public void A_thousand_forged_consistency_proofs_are_each_rejected()
    {
        var (log, _) = Log(300);
        var random = new Random(9162);
        for (var k = 0; k < 1000; k++)
        {
            var n = random.Next(3, 301);
            var m = random.Next(1, n);
            var proof = log.ConsistencyProof(m, n);
            var (from, to, oldRoot, newRoot, path) = (k % 4) switch
            {
                0 => (m, n, log.Root(m), log.Root(n), FlipBit(proof, random)),
                1 => (m, n, log.Root(m), log.Root(n), proof.Take(proof.Count - 1).ToList()),
                2 => (m == n - 1 ? m - 1 : m + 1, n, log.Root(m), log.Root(n), proof),
                _ => (m, n, Flip(log.Root(m), random), log.Root(n), proof),
            };
            if (from < 1)
            {
                (from, oldRoot) = (m, Flip(oldRoot, random));
            }
            MerkleTree.VerifyConsistency(from, to, oldRoot, newRoot, path).ShouldBeFalse($"forgery {k % 4} of {m} to {n}");
        }
    }

    [Fact]
    public void A_tree_head_is_signed_and_checked_and_a_changed_head_fails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (log, _) = Log(5);
        var head = TreeHeads.Sign(key, 5, log.Root(5), new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        using var publicKey = TreeHeads.ImportPublicKey(TreeHeads.ExportPublicKey(key));

        TreeHeads.CheckSignature(head, publicKey).ShouldBeNull();
        TreeHeads.CheckSignature(head with { TreeSize = 6 }, publicKey).ShouldNotBeNull();
        TreeHeads.CheckSignature(head with { RootHash = Convert.ToHexStringLower(log.Root(4)) }, publicKey).ShouldNotBeNull();
        TreeHeads.CheckSignature(head with { Timestamp = "2026-11-28T10:00:00.000001Z" }, publicKey).ShouldNotBeNull();
        TreeHeads.CheckSignature(head, other).ShouldNotBeNull();
        TreeHeads.CheckSignature(TreeHeads.Sign(other, 5, log.Root(5), DateTimeOffset.UnixEpoch) with { KeyId = head.KeyId }, publicKey).ShouldNotBeNull();
    }

    [Fact]
    public void Consistency_between_signed_heads_names_the_rewritten_subtrees()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (log, leaves) = Log(13);
        SubtreeHash[] Subtrees(MemoryMerkleLog l, long size) =>
            [.. MerkleTree.Frontier(size).Select(n => new SubtreeHash(n.FirstLeaf, n.Leaves, Convert.ToHexStringLower(l.Node(n)), n.FirstLeaf + 1, n.FirstLeaf + n.Leaves))];
        var older = TreeHeads.Sign(key, 13, log.Root(13), DateTimeOffset.UnixEpoch) with { Subtrees = Subtrees(log, 13) };
        TreeHeads.CheckSubtrees(older).ShouldBeNull();

        // An honest log grows.
        for (var i = 13; i < 20; i++)
        {
            log.Append(MerkleTree.LeafHash([(byte)i]));
        }
        var proof = new ConsistencyProofView(13, 20, [.. log.ConsistencyProof(13, 20).Select(Convert.ToHexStringLower)], Subtrees(log, 13));
        TreeHeads.CheckConsistency(older, TreeHeads.Sign(key, 20, log.Root(20), DateTimeOffset.UnixEpoch), proof).Consistent.ShouldBeTrue();

        // A log rebuilt with leaf 9 rewritten: the proof fails and the subtree of leaves 8–11 is named.
        var forged = new MemoryMerkleLog();
        for (var i = 0; i < 20; i++)
        {
            forged.Append(i == 9 ? MerkleTree.LeafHash([0xff]) : i < 13 ? leaves[i] : MerkleTree.LeafHash([(byte)i]));
        }
        var forgedProof = new ConsistencyProofView(13, 20, [.. forged.ConsistencyProof(13, 20).Select(Convert.ToHexStringLower)], Subtrees(forged, 13));
        var report = TreeHeads.CheckConsistency(older, TreeHeads.Sign(key, 20, forged.Root(20), DateTimeOffset.UnixEpoch), forgedProof);
        report.Consistent.ShouldBeFalse();
        report.Rewritten.Select(r => (r.FirstLeaf, r.Leaves)).ShouldBe([(8L, 4L)]);
    }

    private static (MemoryMerkleLog Log, List<byte[]> Leaves) Log(int size)
    {
        var log = new MemoryMerkleLog();
        var leaves = new List<byte[]>();
        for (var i = 0; i < size; i++)
        {
            var leaf = MerkleTree.EventLeaf(EventHash.Sha256($"event {i}"));
            leaves.Add(leaf);
            log.Append(leaf);
        }
        return (log, leaves);
    }

    private static byte[] Mth(List<byte[]> leaves, int start, int end)
    {
        if (end - start == 1)
        {
            return leaves[start];
        }
        var k = 1;
        while (k * 2 < end - start)
        {
            k *= 2;
        }
        return MerkleTree.NodeHash(Mth(leaves, start, start + k), Mth(leaves, start + k, end));
    }

    private static List<byte[]> FlipBit(List<byte[]> proof, Random random)
    {
        var copy = proof.Select(p => p.ToArray()).ToList();
        var i = random.Next(copy.Count);
        copy[i] = Flip(copy[i], random);
        return copy;
    }

    private static byte[] Flip(byte[] hash, Random random)
    {
        var copy = hash.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
