using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Imports;

/// <summary>What a column holds, for the documentation and the template.</summary>
public enum ColumnKind
{
    Text,
    Code,
    Codes,
    Number,
    Date,
    Stage,
    JsonList,
}

/// <summary>One column of the import format: its name (CSV header or JSON member), the step it feeds, and what it holds.</summary>
/// <param name="Name">The column's name, as the CSV header and the JSON Lines member (camelCase, case-insensitive on input).</param>
/// <param name="Step">The command it feeds (null: identifies the measure or names the target stage).</param>
/// <param name="Kind">What the cell holds.</param>
/// <param name="Description">For the documentation.</param>
public sealed record ImportColumn(string Name, string? Step, ColumnKind Kind, string Description);

/// <summary>
/// The import format's columns, in template order. The same names as the commands' JSON members
/// where there is one, so a JSON Lines row reads like the commands it stands for.
/// </summary>
public static class ImportColumns
{
    public const string ExternalId = "externalId";
    public const string Lead = "lead";
    public const string Stage = "stage";
    public const string Title = "title";
    public const string ProblemStatement = "problemStatement";
    public const string Description = "description";
    public const string Type = "type";
    public const string Perspectives = "perspectives";
    public const string AffectedGroups = "affectedGroups";
    public const string Evidence = "evidence";
    public const string Contributions = "contributions";
    public const string Indicators = "indicators";
    public const string Participating = "participating";
    public const string Districts = "districts";
    public const string Budget = "budget";
    public const string FundingSource = "fundingSource";
    public const string Responsibilities = "responsibilities";
    public const string Plan = "plan";
    public const string PilotStart = "pilotStart";
    public const string PilotEnd = "pilotEnd";
    public const string Milestones = "milestones";

    public static readonly IReadOnlyList<ImportColumn> All =
    [
        new(ExternalId, null, ColumnKind.Text, "Required. The lead administration's own key for the measure (at most 64 characters, one line): how a later import finds it again."),
        new(Lead, null, ColumnKind.Code, "The lead administration (catalogue code, e.g. ba-mitte). Empty: the importing editor's own administration."),
        new(Stage, null, ColumnKind.Stage, "The stage the measure should reach: idea, problem-understood, goals-defined, mandated or pilot. Empty: the furthest step whose columns are filled."),
        new(Title, ProposeMeasure.Name, ColumnKind.Text, "Title (required for a new measure)."),
        new(ProblemStatement, ProposeMeasure.Name, ColumnKind.Text, "The problem as first seen (required for a new measure)."),
        new(Description, ProposeMeasure.Name, ColumnKind.Text, "Description (optional)."),
        new(Type, ProposeMeasure.Name, ColumnKind.Code, "Measure type (catalogue code, required for a new measure)."),
        new(Perspectives, ProposeMeasure.Name, ColumnKind.Codes, "Zukunftsperspektiven (codes, e.g. zp1;zp3; required for a new measure); also the perspectives of the goals."),
        new(AffectedGroups, UnderstandProblem.Name, ColumnKind.JsonList, "Problem understood: who is affected, a JSON array of {\"name\", \"stakeholderGroup\", \"underHeardGroup\"?}."),
        new(Evidence, UnderstandProblem.Name, ColumnKind.Text, "Problem understood: the evidence."),
        new(Contributions, DefineGoals.Name, ColumnKind.JsonList, "Goals: the contribution to every Leitgedanke, a JSON array of {\"principle\", \"weight\" (0-3), \"rationale\"}."),
        new(Indicators, DefineGoals.Name, ColumnKind.JsonList, "Goals: impact indicators, a JSON array of {\"code\", \"name\", \"unit\", \"baseline\", \"target\"}."),
        new(Participating, MandateMeasure.Name, ColumnKind.Codes, "Mandate: participating administrations (codes). After the mandate a change is a change of the team."),
        new(Districts, MandateMeasure.Name, ColumnKind.Codes, "Mandate: districts (Bezirksamt codes) taking part; added to the participating administrations."),
        new(Budget, MandateMeasure.Name, ColumnKind.Number, "Mandate: the budget in EUR (1234.5, or 1234,5 in a file separated by ';')."),
        new(FundingSource, MandateMeasure.Name, ColumnKind.Text, "Mandate: the funding source."),
        new(Responsibilities, MandateMeasure.Name, ColumnKind.JsonList, "Mandate: a JSON array of {\"administration\", \"description\"}, the lead's included. After the mandate a change is a change of the team."),
        new(Plan, StartPilot.Name, ColumnKind.Text, "Pilot: the plan."),
        new(PilotStart, StartPilot.Name, ColumnKind.Date, "Pilot: first day (2025-03-01 or 01.03.2025)."),
        new(PilotEnd, StartPilot.Name, ColumnKind.Date, "Pilot: last day."),
        new(Milestones, StartPilot.Name, ColumnKind.JsonList, "Pilot: a JSON array of {\"id\", \"title\", \"due\"}. Later a changed due date of an open milestone reschedules it."),
    ];

    /// <summary>The stages an import may bring a measure to, in order: the steps whose fields are columns.</summary>
    public static readonly IReadOnlyList<MeasureStage> Stages =
        [MeasureStage.Idea, MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated, MeasureStage.Pilot];

    private static readonly Dictionary<string, ImportColumn> _byName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The column of this name (any casing); null for an unknown one.</summary>
    public static ImportColumn? Find(string name) => _byName.GetValueOrDefault(name.Trim());

    /// <summary>The column of a command's field (as its problems name it: "start", "budget.amount", "milestones[1].due").</summary>
    public static string ColumnOf(string step, string field)
    {
        var head = field.Split('.', '[')[0];
        var column = (step, head) switch
        {
            (_, "") => Stage,
            (var s, "start") when s == StartPilot.Name => PilotStart,
            (var s, "end") when s == StartPilot.Name => PilotEnd,
            (var s, "budget") when s == MandateMeasure.Name => Budget,
            _ => head,
        };
        // Keep the path inside the column (milestones[1].due), with the column's name in front.
        return column == head ? field : column + field[head.Length..].Replace(".amount", "");
    }
}
