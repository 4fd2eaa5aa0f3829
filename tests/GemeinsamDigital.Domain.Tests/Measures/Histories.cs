using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Event histories that put a measure in each stage. Every event comes from deciding a sample
/// command against the state so far, so each history is one the API itself could have written.
/// </summary>
public static class Histories
{
    /// <summary>The pilot's risk is a plain risk (not a conflict), so an evaluation may start with it open.</summary>
    public static RecordRisk OpenRisk() => SampleCommands.RecordRisk() with { Kind = "risk" };

    public static IMeasureEvent[] For(MeasureStage stage, DefineGoals? goals = null) => stage switch
    {
        MeasureStage.Idea => Proposed(),
        MeasureStage.ProblemUnderstood => Then(For(MeasureStage.Idea), SampleCommands.UnderstandProblem()),
        MeasureStage.GoalsDefined => Then(For(MeasureStage.ProblemUnderstood), goals ?? SampleCommands.DefineGoals()),
        MeasureStage.Mandated => Then(For(MeasureStage.GoalsDefined, goals), SampleCommands.Mandate()),
        MeasureStage.Pilot => Then(Then(For(MeasureStage.Mandated, goals), SampleCommands.StartPilot()), OpenRisk()),
        MeasureStage.Evaluation => Then(For(MeasureStage.Pilot, goals), SampleCommands.StartEvaluation()),
        MeasureStage.Evaluated => Then(For(MeasureStage.Evaluation, goals), SampleCommands.CompleteEvaluation()),
        MeasureStage.Scaled => Then(For(MeasureStage.Evaluated), SampleCommands.Scale()),
        MeasureStage.Iterated => Then(For(MeasureStage.Evaluated), SampleCommands.Iterate()),
        MeasureStage.Stopped => Then(For(MeasureStage.Evaluated), SampleCommands.Stop()),
        MeasureStage.Withdrawn => Then(For(MeasureStage.Idea), SampleCommands.Withdraw()),
        MeasureStage.Archived => Then(For(MeasureStage.Stopped), SampleCommands.Archive()),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    public static MeasureState StateIn(MeasureStage stage) => Given(For(stage));

    public static IMeasureEvent[] Proposed() => [.. MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose()).ThenEvents()];

    /// <summary>The history followed by the events of one more accepted command.</summary>
    public static IMeasureEvent[] Then<TCommand>(IMeasureEvent[] history, TCommand command) where TCommand : IMeasureCommand =>
        [.. history, .. When(Given(history), command).ThenEvents()];
}
