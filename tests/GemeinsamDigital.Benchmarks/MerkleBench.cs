using System.Diagnostics;
using System.Text.Json;
using GemeinsamDigital.Audit;

/// <summary>
/// The transparency log's proof costs at scale, offline (no database): a log of N leaves built in
/// memory, inclusion and consistency proofs of random leaves, their size as the API answers them
/// (JSON, hex) and the time to verify one.
/// </summary>
public static class MerkleBench
{
    public static object Run(int leaves)
    {
        var watch = Stopwatch.StartNew();
        var log = new MemoryMerkleLog();
        for (var i = 0; i < leaves; i++)
        {
            log.Append(MerkleTree.EventLeaf(EventHash.Sha256(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        var build = watch.Elapsed.TotalSeconds;
        var root = log.Root(leaves);
        var random = new Random(1);
        var samples = 10_000;
        var proofs = Enumerable.Range(0, samples).Select(_ => random.Next(leaves)).Select(i => (Index: (long)i, Leaf: log.Node(new MerkleNode(0, i)), Path: log.InclusionProof(i, leaves))).ToList();
        var jsonBytes = proofs.Select(p => JsonSerializer.SerializeToUtf8Bytes(new InclusionProofView(p.Index + 1, p.Index, leaves, new string('0', 64),
            [.. p.Path.Select(Convert.ToHexStringLower)])).Length).ToList();
        watch.Restart();
        foreach (var p in proofs)
        {
            if (!MerkleTree.VerifyInclusion(p.Index, leaves, p.Leaf, p.Path, root))
            {
                throw new InvalidOperationException("A proof failed.");
            }
        }
        var verifyMicroseconds = watch.Elapsed.TotalMicroseconds / samples;
        var from = leaves / 3;
        var consistency = log.ConsistencyProof(from, leaves);
        watch.Restart();
        for (var i = 0; i < 1000; i++)
        {
            MerkleTree.VerifyConsistency(from, leaves, log.Root(from), root, consistency);
        }
        return new
        {
            leaves,
            buildSeconds = Math.Round(build, 2),
            inclusionPathHashes = proofs.Max(p => p.Path.Count),
            inclusionProofJsonBytesMax = jsonBytes.Max(),
            inclusionVerifyMicroseconds = Math.Round(verifyMicroseconds, 1),
            consistencyProofHashes = consistency.Count,
            consistencyVerifyMicroseconds = Math.Round(watch.Elapsed.TotalMicroseconds / 1000, 1),
        };
    }
}
