using System.Text.Json.Serialization;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>Where a measure stands in its life. Serialized by name; names are part of the API.</summary>
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
}
