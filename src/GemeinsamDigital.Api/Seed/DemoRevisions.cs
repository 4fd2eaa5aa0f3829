using GemeinsamDigital.Domain.Revisions;

namespace GemeinsamDigital.Api.Seed;

/// <summary>A demo revision phase: its opening and office lessons, and whether it is closed.</summary>
public sealed record DemoRevision(Guid Id, OpenRevisionPhase Opening, IReadOnlyList<RecordRevisionLesson> Lessons, bool Closed);

/// <summary>
/// Demo revision phases, one after the other: the measures' events of each period are stored while
/// its phase is open, then its lessons, then (except for the last) it closes with its snapshot.
/// Ids and times are fixed, so a fresh database always gets the same snapshots and hashes.
/// </summary>
public static class DemoRevisions
{
    public static IReadOnlyList<DemoRevision> All() =>
    [
        Phase("Revisionsphase 2023", new(2023, 1, 1), new(2023, 12, 31), closed: true,
            new RecordRevisionLesson("Erste Piloten zeigen: Mandat und Zuständigkeiten vor dem Start klären spart Monate.", null, ["kooperativ"], ["zp7"]),
            new RecordRevisionLesson("Beteiligung vor Ort erreicht mehr Menschen als reine Online-Formate.", null, ["gemeinwohlorientiert"], ["zp5"])),
        Phase("Revisionsphase 2024", new(2024, 1, 1), new(2024, 12, 31), closed: true,
            new RecordRevisionLesson("Gestoppte Maßnahmen sind Ergebnisse: ihre Lehren fließen in die Strategie zurück.", null, ["resilient"], []),
            new RecordRevisionLesson("Kennzahlen schon bei der Zieldefinition messbar machen.", null, ["nachhaltig"], ["zp7"])),
        Phase("Revisionsphase 2025/26", new(2025, 1, 1), new(2026, 12, 31), closed: false,
            new RecordRevisionLesson("Skalierung braucht früh eingebundene Bezirke.", null, ["kooperativ"], ["zp1"])),
    ];

    private static DemoRevision Phase(string name, DateOnly from, DateOnly to, bool closed, params RecordRevisionLesson[] lessons) =>
        new(DemoMeasures.IdFor(name), new OpenRevisionPhase(name, from, to, null), lessons, closed);
}
