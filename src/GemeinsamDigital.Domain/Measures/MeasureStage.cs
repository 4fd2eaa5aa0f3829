using System.Text.Json;
using System.Text.Json.Serialization;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// Where a measure stands in its life. Stored by name (events, documents and snapshot hashes keep
/// "ProblemUnderstood"); on the wire the code is kebab-case (<see cref="MeasureStages.Code"/>: "problem-understood").
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasureStage>))]
public enum MeasureStage
{
    Idea,
    ProblemUnderstood,
    GoalsDefined,
    Mandated,
    Pilot,
    Evaluation,
    Evaluated,
    Scaled,
    Iterated,
    Stopped,
    Withdrawn,
    Archived,
}

public static class MeasureStages
{
    private static readonly Dictionary<string, MeasureStage> _byCode =
        Enum.GetValues<MeasureStage>().ToDictionary(Code, s => s, StringComparer.Ordinal);

    /// <summary>The stage's code as clients see it: kebab-case lower, like the catalogue's codes ("problem-understood").</summary>
    public static string Code(this MeasureStage stage) => JsonNamingPolicy.KebabCaseLower.ConvertName(stage.ToString());

    /// <summary>Every stage's code, in lifecycle order.</summary>
    public static IReadOnlyList<string> Codes { get; } = [.. Enum.GetValues<MeasureStage>().Select(Code)];

    /// <summary>The stage a code names; false for anything else (names in another casing and numbers included).</summary>
    public static bool TryParseCode(string? code, out MeasureStage stage) =>
        _byCode.TryGetValue(code ?? "", out stage);

    /// <summary>German labels for users.</summary>
    public static string Label(this MeasureStage stage) => stage switch
    {
        MeasureStage.Idea => "Idee",
        MeasureStage.ProblemUnderstood => "Problem verstanden",
        MeasureStage.GoalsDefined => "Ziele definiert",
        MeasureStage.Mandated => "Mandatiert",
        MeasureStage.Pilot => "Pilot",
        MeasureStage.Evaluation => "Evaluation",
        MeasureStage.Evaluated => "Evaluiert",
        MeasureStage.Scaled => "Skaliert/verstetigt",
        MeasureStage.Iterated => "Iteriert",
        MeasureStage.Stopped => "Gestoppt",
        MeasureStage.Withdrawn => "Zurückgezogen",
        MeasureStage.Archived => "Archiviert",
        _ => stage.ToString(),
    };

    /// <summary>English labels (Accept-Language: en).</summary>
    public static string EnglishLabel(this MeasureStage stage) => stage switch
    {
        MeasureStage.Idea => "Idea",
        MeasureStage.ProblemUnderstood => "Problem understood",
        MeasureStage.GoalsDefined => "Goals defined",
        MeasureStage.Mandated => "Mandated",
        MeasureStage.Pilot => "Pilot",
        MeasureStage.Evaluation => "Evaluation",
        MeasureStage.Evaluated => "Evaluated",
        MeasureStage.Scaled => "Scaled/made permanent",
        MeasureStage.Iterated => "Iterated",
        MeasureStage.Stopped => "Stopped",
        MeasureStage.Withdrawn => "Withdrawn",
        MeasureStage.Archived => "Archived",
        _ => stage.ToString(),
    };
}
