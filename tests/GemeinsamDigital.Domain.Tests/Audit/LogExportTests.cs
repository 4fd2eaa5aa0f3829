using System.Security.Cryptography;
using GemeinsamDigital.Audit;

namespace GemeinsamDigital.Domain.Tests.Audit;

/// <summary>The offline whole-log audit against a tree head signed before the change: every kind of tampering is caught.</summary>
public class LogExportTests
{
    private static readonly DateTimeOffset _start = new(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_export_round_trips_and_verifies_against_its_head()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var events = Log(new Random(1), streams: 12, count: 120);
        var head = Sign(key, events);
        var bytes = await Export(events);

        var read = LogExport.Read(bytes);
        read.Count.ShouldBe(events.Count);
        LogExport.Verify(read, head, key).Valid.ShouldBeTrue();

        // Events appended after the head do not matter; a head from another key does.
        LogExport.Verify([.. read, .. Log(new Random(2), 1, 3, firstSequence: 1000)], head, key).Valid.ShouldBeTrue();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        LogExport.Verify(read, head, other).Valid.ShouldBeFalse();
    }

    [Fact]
    public async Task A_changed_byte_in_the_export_is_refused()
    {
        var bytes = await Export(Log(new Random(3), 3, 20));
        var index = Array.IndexOf(bytes, (byte)'N', 300);
        bytes[index] = (byte)'M';
        Should.Throw<FormatException>(() => LogExport.Read(bytes)).Message.ShouldContain("bundleSha256");
    }

    [Fact]
    public void A_thousand_random_mutations_deletions_reorderings_and_truncations_are_each_detected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var random = new Random(2026);
        var original = Log(random, streams: 20, count: 200);
        var head = Sign(key, original);
        var kinds = new Dictionary<string, int>();
        for (var k = 0; k < 1000; k++)
        {
            var events = original.ToList();
            var kind = (k % 6) switch
            {
                0 => ChangeData(events, random),
                1 => ChangeMetadata(events, random),
                2 => RewriteChain(events, random),
                3 => Delete(events, random),
                4 => Reorder(events, random),
                _ => Truncate(events, random),
            };
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var report = LogExport.Verify(events, head, key);
            report.Valid.ShouldBeFalse($"mutation {k} ({kind}) went unnoticed");
        }
        kinds.Keys.Count.ShouldBe(6);
    }

    private static string ChangeData(List<ChainRecord> events, Random random)
    {
        var i = random.Next(events.Count);
        events[i] = events[i] with { Content = events[i].Content with { Data = $$"""{"title":"forged {{random.Next()}}"}""" } };
        return "data";
    }

    private static string ChangeMetadata(List<ChainRecord> events, Random random)
    {
        var i = random.Next(events.Count);
        var c = events[i].Content;
        events[i] = events[i] with
        {
            Content = random.Next(3) switch
            {
                0 => c with { Provenance = c.Provenance with { Actor = "someone-else" } },
                1 => c with { Timestamp = c.Timestamp.AddSeconds(1) },
                _ => c with { Type = "measure-stopped" },
            },
        };
        return "metadata";
    }

    // As a database administrator who knows the algorithm would: every hash from one version on recomputed.
    private static string RewriteChain(List<ChainRecord> events, Random random)
    {
        var stream = events[random.Next(events.Count)].Content.StreamId;
        var positions = Enumerable.Range(0, events.Count).Where(i => events[i].Content.StreamId == stream).ToList();
        var from = random.Next(positions.Count);
        var previous = events[positions[from]].StoredPrevious!;
        for (var p = from; p < positions.Count; p++)
        {
            var e = events[positions[p]];
            var content = p == from ? e.Content with { Data = """{"title":"rewritten"}""" } : e.Content;
            var hash = EventHash.Compute(previous, content);
            events[positions[p]] = e with { Content = content, StoredHash = hash, StoredPrevious = previous };
            previous = hash;
        }
        return "consistent rewrite";
    }

    private static string Delete(List<ChainRecord> events, Random random)
    {
        events.RemoveAt(random.Next(events.Count));
        return "deletion";
    }

    // Two rows swap their global sequence numbers (the export lists them in the new order).
    private static string Reorder(List<ChainRecord> events, Random random)
    {
        var i = random.Next(events.Count);
        var j = (i + 1 + random.Next(events.Count - 1)) % events.Count;
        (events[i], events[j]) = (events[j] with { Sequence = events[i].Sequence }, events[i] with { Sequence = events[j].Sequence });
        return "reordering";
    }

    private static string Truncate(List<ChainRecord> events, Random random)
    {
        var cut = 1 + random.Next(10);
        events.RemoveRange(events.Count - cut, cut);
        return "truncation";
    }

    private static TreeHead Sign(ECDsa key, List<ChainRecord> events)
    {
        var log = new MemoryMerkleLog();
        foreach (var e in events)
        {
            log.Append(MerkleTree.EventLeaf(e.StoredHash!));
        }
        var size = events.Count;
        return TreeHeads.Sign(key, size, log.Root(size), _start.AddYears(1)) with
        {
            Subtrees = [.. MerkleTree.Frontier(size).Select(n => new SubtreeHash(n.FirstLeaf, n.Leaves, Convert.ToHexStringLower(log.Node(n)),
                events[(int)n.FirstLeaf].Sequence, events[(int)(n.FirstLeaf + n.Leaves - 1)].Sequence))],
        };
    }

    /// <summary>Chained events of several streams, interleaved in global sequence order.</summary>
    private static List<ChainRecord> Log(Random random, int streams, int count, long firstSequence = 1)
    {
        var ids = Enumerable.Range(0, streams).Select(_ => new Guid(random.NextBytes(16))).ToList();
        var heads = ids.ToDictionary(id => id, _ => (Version: 0L, Hash: EventHash.Genesis));
        var events = new List<ChainRecord>();
        for (var i = 0; i < count; i++)
        {
            var id = ids[random.Next(streams)];
            var (version, previous) = heads[id];
            var content = new EventContent(id, version + 1, version == 0 ? "measure-proposed.v2" : "measure-goals-defined", _start.AddMinutes(i),
                $$"""{"title":"Nr. {{i}}","budget":{{random.Next(1000)}}.50}""", new Provenance("subj_" + random.Next(5), "senatskanzlei", null, "c" + i, null));
            var hash = EventHash.Compute(previous, content);
            events.Add(new ChainRecord(content, firstSequence + i, hash, previous));
            heads[id] = (version + 1, hash);
        }
        return events;
    }

    private static async Task<byte[]> Export(List<ChainRecord> events)
    {
        using var buffer = new MemoryStream();
        await LogExport.WriteAsync(buffer, _start, events.ToAsyncEnumerable(), CancellationToken.None);
        return buffer.ToArray();
    }
}

file static class Bytes
{
    public static byte[] NextBytes(this Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
