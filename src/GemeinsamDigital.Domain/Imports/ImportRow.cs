using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Imports;

/// <summary>
/// One row of an import, read into typed values. Null means "not given" (an empty cell, a missing
/// member): a new measure needs what its steps require, an existing one keeps what it has.
/// </summary>
public sealed record ImportRow
{
    /// <summary>The row as spreadsheet programs number it (the header is row 1) or the line of a JSON Lines file.</summary>
    public int Row { get; init; }

    public string? ExternalId { get; init; }
    public string? Lead { get; init; }
    public MeasureStage? Stage { get; init; }

    public string? Title { get; init; }
    public string? ProblemStatement { get; init; }
    public string? Description { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<string>? Perspectives { get; init; }

    public IReadOnlyList<AffectedGroupInput>? AffectedGroups { get; init; }
    public string? Evidence { get; init; }

    public IReadOnlyList<ContributionInput>? Contributions { get; init; }
    public IReadOnlyList<IndicatorInput>? Indicators { get; init; }

    public IReadOnlyList<string>? Participating { get; init; }
    public decimal? Budget { get; init; }
    public string? FundingSource { get; init; }
    public IReadOnlyList<ResponsibilityInput>? Responsibilities { get; init; }

    public string? Plan { get; init; }
    public DateOnly? PilotStart { get; init; }
    public DateOnly? PilotEnd { get; init; }
    public IReadOnlyList<MilestoneInput>? Milestones { get; init; }
}
