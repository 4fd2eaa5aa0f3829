namespace GemeinsamDigital.Audit;

/// <summary>One stored event as the verifier sees it: its content and the hashes stored with it.</summary>
/// <param name="Content">What the hash covers.</param>
/// <param name="Sequence">Global sequence number, when known; must rise with the version.</param>
/// <param name="StoredHash">The hash stored with the event.</param>
/// <param name="StoredPrevious">The previous hash stored with the event (what it was chained to when written).</param>
public sealed record ChainRecord(EventContent Content, long? Sequence, string? StoredHash, string? StoredPrevious);

public enum ChainBreakReason
{
    /// <summary>The event's content (data, type, timestamp or metadata) no longer produces its hash, or was rewritten.</summary>
    DataChanged,

    /// <summary>Events were moved: versions swapped, or the global sequence no longer rises with the version.</summary>
    OrderChanged,

    /// <summary>An event was deleted.</summary>
    EventMissing,

    /// <summary>The event carries no hash.</summary>
    HashMissing,

    /// <summary>An event that was not there when a checkpoint was taken appears below its sequence.</summary>
    EventInserted,

    /// <summary>The event differs from what the transparency log took in at its sequence (e.g. a chain rewritten with recomputed hashes), or the log has no leaf for it.</summary>
    DiffersFromLog,
}

/// <summary>Where a stream's chain first fails.</summary>
/// <param name="Version">The first version that does not match.</param>
/// <param name="Sequence">That event's global sequence (null when the event is missing).</param>
/// <param name="Reason">What kind of change explains the failure.</param>
/// <param name="ExpectedHash">The hash the chain expects at this point.</param>
/// <param name="StoredHash">The hash stored there.</param>
/// <param name="Detail">One sentence for people.</param>
public sealed record ChainBreak(long Version, long? Sequence, ChainBreakReason Reason, string? ExpectedHash, string? StoredHash, string Detail);

/// <summary>The result of recomputing one stream's chain.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="EventsChecked">Events read.</param>
/// <param name="HeadVersion">Version of the last event read (0 if none).</param>
/// <param name="HeadHash">The head hash recomputed from content alone (null when some content cannot be hashed).</param>
/// <param name="FirstBreak">The first place the stored chain does not match, or null when intact.</param>
public sealed record ChainReport(Guid StreamId, int EventsChecked, long HeadVersion, string? HeadHash, ChainBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>Recomputes a stream's hash chain and names the first event that does not match, and why.</summary>
public static class ChainVerifier
{
    /// <param name="streamId">The stream.</param>
    /// <param name="records">Its events in stored order (by version).</param>
    /// <param name="declaredHeadVersion">The version the stream claims to have (e.g. the stream table), to detect a deleted last event.</param>
    public static ChainReport Verify(Guid streamId, IReadOnlyList<ChainRecord> records, long? declaredHeadVersion = null)
    {
        var canonical = new string?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            canonical[i] = TryCanonicalize(records[i].Content.Data);
        }
        var headVersion = records.Count > 0 ? records[^1].Content.Version : 0;
        var found = FindBreak(records, canonical, declaredHeadVersion, out var intactHead);
        // An intact walk has computed the head already; only a broken chain needs it from content alone.
        var head = found is null || (found.Reason == ChainBreakReason.EventMissing && found.Sequence is null && intactHead is not null)
            ? intactHead
            : RecomputeHead(records, canonical);
        return new ChainReport(streamId, records.Count, headVersion, head, found);
    }

    private static string? RecomputeHead(IReadOnlyList<ChainRecord> records, string?[] canonical)
    {
        var hash = EventHash.Genesis;
        for (var i = 0; i < records.Count; i++)
        {
            if (canonical[i] is not { } data)
            {
                return null;
            }
            hash = EventHash.Compute(hash, records[i].Content, data);
        }
        return hash;
    }

    private static ChainBreak? FindBreak(IReadOnlyList<ChainRecord> records, string?[] canonical, long? declaredHeadVersion, out string? intactHead)
    {
        intactHead = null;
        var previous = EventHash.Genesis;
        long expectedVersion = 1;
        long? previousSequence = null;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var version = r.Content.Version;
            if (version != expectedVersion)
            {
                if (version > expectedVersion && !records.Skip(i + 1).Any(x => x.Content.Version == expectedVersion))
                {
                    return new ChainBreak(expectedVersion, null, ChainBreakReason.EventMissing, null, null,
                        version == expectedVersion + 1
                            ? $"Version {expectedVersion} is missing: the stream goes from version {expectedVersion - 1} to {version}."
                            : $"Versions {expectedVersion} to {version - 1} are missing: the stream goes from version {expectedVersion - 1} to {version}.");
                }
                return new ChainBreak(version, r.Sequence, ChainBreakReason.OrderChanged, null, r.StoredHash,
                    $"Version {version} stands where version {expectedVersion} belongs: events were reordered.");
            }
            if (r.Sequence is { } sequence && previousSequence is { } before && sequence <= before)
            {
                return new ChainBreak(version, sequence, ChainBreakReason.OrderChanged, null, r.StoredHash,
                    $"Version {version} has global sequence {sequence}, not above version {version - 1}'s {before}: events were reordered.");
            }
            if (canonical[i] is not { } data)
            {
                return new ChainBreak(version, r.Sequence, ChainBreakReason.DataChanged, null, r.StoredHash,
                    $"The data of version {version} is not valid JSON any more.");
            }
            var expected = EventHash.Compute(previous, r.Content, data);
            if (r.StoredHash is null)
            {
                return new ChainBreak(version, r.Sequence, ChainBreakReason.HashMissing, expected, null,
                    $"Version {version} carries no hash.");
            }
            if (expected != r.StoredHash)
            {
                return Classify(records, canonical, i, expected);
            }
            previous = expected;
            previousSequence = r.Sequence;
            expectedVersion++;
        }
        intactHead = previous;
        var last = records.Count > 0 ? records[^1].Content.Version : 0;
        if (declaredHeadVersion is { } declared && declared > last)
        {
            return new ChainBreak(last + 1, null, ChainBreakReason.EventMissing, null, null,
                $"The stream records version {declared}, but its last event is version {last}: events at its end are missing.");
        }
        return null;
    }

    // The stored chain fails at records[index]. The hashes stored with the events tell what happened.
    private static ChainBreak Classify(IReadOnlyList<ChainRecord> records, string?[] canonical, int index, string expected)
    {
        var r = records[index];
        var version = r.Content.Version;
        var data = canonical[index]!;
        var storedPrevious = r.StoredPrevious;
        bool WrittenAs(long v) => storedPrevious is not null
            && EventHash.Compute(storedPrevious, r.Content with { Version = v }, data) == r.StoredHash;
        bool IsKnownHash(string hash) => hash == EventHash.Genesis || records.Any(x => x.StoredHash == hash);

        if (WrittenAs(version))
        {
            // Its own content is intact; it was chained to something other than the event before it.
            var chainedTo = records.Select((x, i) => (x, i)).FirstOrDefault(p => p.i != index && p.x.StoredHash == storedPrevious);
            if (chainedTo.x is not null && chainedTo.i != index - 1)
            {
                return new ChainBreak(version, r.Sequence, ChainBreakReason.OrderChanged, expected, r.StoredHash,
                    $"Version {version} was written after the event now at version {chainedTo.x.Content.Version}: events were reordered.");
            }
            if (index > 0)
            {
                var before = records[index - 1];
                return new ChainBreak(before.Content.Version, before.Sequence, ChainBreakReason.DataChanged, storedPrevious, before.StoredHash,
                    $"Version {before.Content.Version} was rewritten and its hash recomputed: version {version} was chained to a different event.");
            }
            return new ChainBreak(version, r.Sequence, ChainBreakReason.EventMissing, expected, r.StoredHash,
                $"Version {version} was chained to an earlier event that is gone.");
        }

        var highest = Math.Max(records.Max(x => x.Content.Version), records.Count) * 2 + 16;
        for (long v = 1; v <= highest; v++)
        {
            if (v != version && WrittenAs(v))
            {
                return IsKnownHash(storedPrevious!)
                    ? new ChainBreak(version, r.Sequence, ChainBreakReason.OrderChanged, expected, r.StoredHash,
                        $"The event stored as version {version} was written as version {v}: events were reordered.")
                    : new ChainBreak(version, r.Sequence, ChainBreakReason.EventMissing, expected, r.StoredHash,
                        $"The event stored as version {version} was written as version {v} after an event that is gone: an event was deleted and later ones renumbered.");
            }
        }
        return new ChainBreak(version, r.Sequence, ChainBreakReason.DataChanged, expected, r.StoredHash,
            $"Version {version} no longer produces its stored hash: its data, type, timestamp or metadata were changed.");
    }

    private static string? TryCanonicalize(string json)
    {
        try
        {
            return CanonicalJson.Canonicalize(json);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
