using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Measures;

/// <summary>Reads the programme tree around a measure from the measures' inline state, for the pure attach decision.</summary>
public static class ProgrammeTrees
{
    /// <summary>
    /// The proposed programme's chain up to its root and the height of the measure's own parts.
    /// Both walks are bounded by the depth limit: a longer chain or a deeper subtree is refused anyway.
    /// </summary>
    public static async Task<ProgrammeTree> ReadAsync(IQuerySession session, Guid? programmeId, Guid measureId, CancellationToken ct)
    {
        if (programmeId is not { } start)
        {
            return new ProgrammeTree(false, false, [], 0);
        }
        var programme = await session.LoadAsync<MeasureState>(start, ct);
        var chain = new List<Guid> { start };
        for (var next = programme?.ProgrammeId; next is { } id && chain.Count <= Programmes.MaxLevels && !chain.Contains(id); )
        {
            chain.Add(id);
            if (id == measureId)
            {
                break;
            }
            next = (await session.LoadAsync<MeasureState>(id, ct))?.ProgrammeId;
        }
        var height = 0;
        Guid?[] level = [measureId];
        while (height <= Programmes.MaxLevels)
        {
            var parts = await session.Query<MeasureState>().Where(m => level.Contains(m.ProgrammeId)).Select(m => m.Id).ToListAsync(ct);
            if (parts.Count == 0)
            {
                break;
            }
            height++;
            level = [.. parts.Select(p => (Guid?)p)];
        }
        return new ProgrammeTree(programme is not null, programme?.Stage == MeasureStage.Archived, chain, height);
    }

    /// <summary>The measures directly part of the programme.</summary>
    public static async Task<IReadOnlyList<MeasureState>> PartsAsync(IQuerySession session, Guid programmeId, CancellationToken ct) =>
        await session.Query<MeasureState>().Where(m => m.ProgrammeId == programmeId).ToListAsync(ct);
}
