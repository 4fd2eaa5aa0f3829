using GemeinsamDigital.Audit;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>The hashing rules themselves, without a database: canonical JSON, the hash input, the chain verifier.</summary>
public class HashChainTests
{
    [Theory]
    [InlineData("{\"b\": 1, \"a\": [1, 2, {\"d\": null, \"c\": true}]}", "{\"a\":[1,2,{\"c\":true,\"d\":null}],\"b\":1}")]
    [InlineData("{\"é\":1,\"z\":2,\"A\":3,\"a\":4}", "{\"A\":3,\"a\":4,\"z\":2,\"é\":1}")]
    [InlineData("\"\\u00e4\\/\\u0001\\n\\u2028\\\"\\\\\"", "\"ä/\\u0001\\n\u2028\\\"\\\\\"")]
    [InlineData("[1.50, 1e3, -0.0, 2.5E-3, 100, 0.000, -12.340e1, 1E+2, 0.1, 123456789012345678901234567890.5]",
        "[1.5,1000,0,0.0025,100,0,-123.4,100,0.1,123456789012345678901234567890.5]")]
    [InlineData("  false ", "false")]
    public void Canonical_json_has_one_text_per_value(string json, string canonical)
    {
        CanonicalJson.Canonicalize(json).ShouldBe(canonical);
    }

    [Fact]
    public void Snapshot_hashes_leave_out_null_members_but_keep_null_items()
    {
        var json = "{\"b\": null, \"a\": [null, {\"d\": null, \"c\": 1.50}]}";
        CanonicalJson.Canonicalize(json, new CanonicalJsonOptions { OmitNullMembers = true }).ShouldBe("{\"a\":[null,{\"c\":1.5}]}");
        CanonicalJson.Canonicalize(json, CanonicalJsonOptions.Default).ShouldBe(CanonicalJson.Canonicalize(json));
        CanonicalJson.Canonicalize(json).ShouldBe("{\"a\":[null,{\"c\":1.5,\"d\":null}],\"b\":null}");
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 /* comment */}")]
    [InlineData("\"\\ud800\"")]
    [InlineData("[1e999]")]
    [InlineData("")]
    public void Ambiguous_or_invalid_json_has_no_canonical_form(string json)
    {
        Should.Throw<FormatException>(() => CanonicalJson.Canonicalize(json));
    }

    [Fact]
    public void The_hash_input_is_exactly_as_documented()
    {
        var content = new EventContent(
            Guid.Parse("0b7f4c2e-8d1a-4e5f-9a3b-2c1d0e9f8a7b"),
            1,
            "measure-proposed.v2",
            new DateTimeOffset(2024, 1, 15, 10, 0, 0, 123, TimeSpan.FromHours(1)).AddTicks(4567),
            "{\"title\": \"Straße\", \"budget\": 1.50, \"tags\": [\"a\",\"b\"]}",
            new Provenance("anonymous", null, "Prüfung", "abc", null));

        EventHash.Input(EventHash.Genesis, content).ShouldBe(
            "{\"actor\":\"anonymous\",\"administration\":null,\"causationId\":null,\"correlationId\":\"abc\","
            + "\"data\":{\"budget\":1.5,\"tags\":[\"a\",\"b\"],\"title\":\"Straße\"},"
            + "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"reason\":\"Prüfung\","
            + "\"stream\":\"0b7f4c2e-8d1a-4e5f-9a3b-2c1d0e9f8a7b\",\"timestamp\":\"2024-01-15T09:00:00.123456Z\","
            + "\"type\":\"measure-proposed.v2\",\"version\":1}");
        // Computed independently (Python hashlib) from the text above.
        EventHash.Compute(EventHash.Genesis, content).ShouldBe("66e022b57d9358aef485163f171c13d0eedfd6581e476ca95ab8fa337988a351");
    }

    private static readonly Guid _stream = Guid.Parse("0b7f4c2e-8d1a-4e5f-9a3b-2c1d0e9f8a7b");

    private static List<ChainRecord> Chain(int count)
    {
        var records = new List<ChainRecord>();
        var previous = EventHash.Genesis;
        for (var v = 1; v <= count; v++)
        {
            var content = new EventContent(_stream, v, "milestone-reached", new DateTimeOffset(2024, 1, v, 0, 0, 0, TimeSpan.Zero),
                $"{{\"milestoneId\":\"m{v}\"}}", new Provenance("a", null, null, "c", null));
            var hash = EventHash.Compute(previous, content);
            records.Add(new ChainRecord(content, 100 + v, hash, previous));
            previous = hash;
        }
        return records;
    }

    private static ChainBreak Break(List<ChainRecord> records, long? declared = null) =>
        ChainVerifier.Verify(_stream, records, declared).FirstBreak.ShouldNotBeNull();

    [Fact]
    public void An_intact_chain_verifies_and_its_head_is_the_last_hash()
    {
        var records = Chain(5);
        var report = ChainVerifier.Verify(_stream, records, 5);
        report.Intact.ShouldBeTrue();
        report.HeadHash.ShouldBe(records[^1].StoredHash);
    }

    [Fact]
    public void The_verifier_names_version_and_reason_for_each_kind_of_change()
    {
        var records = Chain(6);
        var changed = records.ToList();
        changed[2] = changed[2] with { Content = changed[2].Content with { Data = "{\"milestoneId\":\"mX\"}" } };
        (Break(changed).Version, Break(changed).Reason).ShouldBe((3L, ChainBreakReason.DataChanged));

        var swapped = records.ToList();
        (swapped[2], swapped[3]) = (swapped[3] with { Content = swapped[3].Content with { Version = 3 } }, swapped[2] with { Content = swapped[2].Content with { Version = 4 } });
        (Break(swapped).Version, Break(swapped).Reason).ShouldBe((3L, ChainBreakReason.OrderChanged));

        var gap = records.Where(r => r.Content.Version != 4).ToList();
        (Break(gap).Version, Break(gap).Reason, Break(gap).Sequence).ShouldBe((4L, ChainBreakReason.EventMissing, (long?)null));

        var renumbered = records.Where(r => r.Content.Version != 4)
            .Select(r => r.Content.Version > 4 ? r with { Content = r.Content with { Version = r.Content.Version - 1 } } : r).ToList();
        (Break(renumbered).Version, Break(renumbered).Reason).ShouldBe((4L, ChainBreakReason.EventMissing));

        var truncated = records.Take(5).ToList();
        ChainVerifier.Verify(_stream, truncated).Intact.ShouldBeTrue();
        (Break(truncated, declared: 6).Version, Break(truncated, declared: 6).Reason).ShouldBe((6L, ChainBreakReason.EventMissing));

        var unhashed = records.ToList();
        unhashed[0] = unhashed[0] with { StoredHash = null };
        (Break(unhashed).Version, Break(unhashed).Reason).ShouldBe((1L, ChainBreakReason.HashMissing));

        var resequenced = records.ToList();
        resequenced[4] = resequenced[4] with { Sequence = 101 };
        (Break(resequenced).Version, Break(resequenced).Reason).ShouldBe((5L, ChainBreakReason.OrderChanged));
    }

    [Fact]
    public void Checkpoint_tokens_round_trip_and_digests_do_not_depend_on_input_order()
    {
        var heads = new[] { new StreamHead(Guid.NewGuid(), 3, new string('a', 64)), new StreamHead(Guid.NewGuid(), 1, null) };
        var digest = Checkpoint.Digest(42, heads);
        Checkpoint.Digest(42, heads.Reverse()).ShouldBe(digest);
        Checkpoint.Digest(43, heads).ShouldNotBe(digest);
        Checkpoint.TryParseToken(Checkpoint.Token(42, digest), out var sequence, out var parsed).ShouldBeTrue();
        (sequence, parsed).ShouldBe((42L, digest));
    }
}
