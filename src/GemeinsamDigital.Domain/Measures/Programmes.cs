using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>The measure became part of a programme (a parent measure); it may have moved from another.</summary>
public sealed record AttachedToProgramme(Guid ProgrammeId, Guid? PreviousProgrammeId) : IMeasureEvent;

/// <summary>The measure no longer belongs to the programme.</summary>
public sealed record DetachedFromProgramme(Guid ProgrammeId) : IMeasureEvent;

/// <summary>
/// Where a proposed programme stands in the tree of programmes, read by the service before the
/// decision (a programme is another stream): the decision itself stays pure.
/// </summary>
/// <param name="Exists">Whether the programme is a known measure.</param>
/// <param name="Archived">Whether the programme is archived (no new parts).</param>
/// <param name="Chain">The programme, then its programme, and so on up to the root (at most <see cref="Programmes.MaxLevels"/> + 1 ids).</param>
/// <param name="Height">Levels of parts beneath the measure to attach: 0 without parts, 1 with parts that have none, ….</param>
public sealed record ProgrammeTree(bool Exists, bool Archived, IReadOnlyList<Guid> Chain, int Height);

/// <summary>The rules of the programme tree.</summary>
public static class Programmes
{
    /// <summary>
    /// Levels of the tree, the root counting as level 1: a programme, its sub-programmes, their
    /// measures. A deeper tree is refused; roll-ups stay readable and every walk up or down is bounded.
    /// </summary>
    public const int MaxLevels = 3;
}

/// <summary>Make the measure a part of a programme (another measure), or move it to another one.</summary>
public sealed record AttachToProgramme([property: Required] Guid? ProgrammeId) : IMeasureCommand
{
    public static string Name => "attach-to-programme";

    /// <summary>The programme's place in the tree, filled in by the service before deciding; never sent by clients.</summary>
    [JsonIgnore]
    public ProgrammeTree? Tree { get; init; }

    public void Validate(FieldErrors errors)
    {
        if (ProgrammeId is null || ProgrammeId == Guid.Empty)
        {
            errors.Add("programmeId", "'programmeId' is required.");
        }
    }

    public Decision Decide(MeasureState state)
    {
        var tree = Tree ?? throw new InvalidOperationException($"{Name} is decided with the programme's place in the tree.");
        var programme = ProgrammeId!.Value;
        if (programme == state.Id || tree.Chain.Contains(state.Id))
        {
            return Decision.Violation("programmeId", programme == state.Id
                ? "A measure cannot be its own programme."
                : $"Measure '{programme}' is part of this measure's programme tree: attaching would make a cycle.");
        }
        if (!tree.Exists)
        {
            return Decision.Violation("programmeId", $"There is no measure '{programme}'.");
        }
        if (tree.Archived)
        {
            return Decision.Violation("programmeId", $"Programme '{programme}' is archived.");
        }
        if (state.ProgrammeId == programme)
        {
            return Decision.Violation("programmeId", $"The measure already belongs to programme '{programme}'.");
        }
        var levels = tree.Chain.Count + 1 + tree.Height;
        return levels > Programmes.MaxLevels
            ? Decision.Violation("programmeId", $"Programmes nest at most {Programmes.MaxLevels} levels deep; attaching here would make {levels}.")
            : Decision.Accept(new AttachedToProgramme(programme, state.ProgrammeId));
    }
}

/// <summary>Take the measure out of its programme; naming the programme guards against leaving another one it was moved to meanwhile.</summary>
public sealed record DetachFromProgramme(Guid? ProgrammeId = null) : IMeasureCommand
{
    public static string Name => "detach-from-programme";

    public void Validate(FieldErrors errors)
    {
    }

    public Decision Decide(MeasureState state) =>
        state.ProgrammeId is not { } programme ? Decision.Violation("programmeId", "The measure belongs to no programme.")
        : ProgrammeId is { } named && named != programme ? Decision.Violation("programmeId", $"The measure belongs to programme '{programme}', not '{named}'.")
        : Decision.Accept(new DetachedFromProgramme(programme));
}
