using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Testing;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Event histories that put a measure in each stage. Every event comes from deciding a sample
/// command against the state so far, so each history is one the API itself could have written.
/// </summary>
public static class Histories
{
    /// <summary>The pilot's risk is a plain risk (not a conflict), so an evaluation may start with it open.</summary>
    public static RecordRisk OpenRisk() => Samples.RecordRisk() with { Kind = "risk" };

    public static IMeasureEvent[] For(MeasureStage stage, DefineGoals? goals = null) => stage switch
    {
        MeasureStage.Idea => Proposed(),
        MeasureStage.ProblemUnderstood => Then(For(MeasureStage.Idea), Samples.UnderstandProblem()),
        MeasureStage.GoalsDefined => Then(For(MeasureStage.ProblemUnderstood), goals ?? Samples.DefineGoals()),
        MeasureStage.Mandated => Then(For(MeasureStage.GoalsDefined, goals), Samples.Mandate()),
        MeasureStage.Pilot => Then(Then(For(MeasureStage.Mandated, goals), Samples.StartPilot()), OpenRisk()),
        MeasureStage.Evaluation => Then(For(MeasureStage.Pilot, goals), Samples.StartEvaluation()),
        MeasureStage.Evaluated => Then(For(MeasureStage.Evaluation, goals), Samples.CompleteEvaluation()),
        MeasureStage.Scaled => Then(For(MeasureStage.Evaluated), Samples.Scale()),
        MeasureStage.Iterated => Then(For(MeasureStage.Evaluated), Samples.Iterate()),
        MeasureStage.Stopped => Then(For(MeasureStage.Evaluated), Samples.Stop()),
        MeasureStage.Withdrawn => Then(For(MeasureStage.Idea), Samples.Withdraw()),
        MeasureStage.Archived => Then(For(MeasureStage.Stopped), Samples.Archive()),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    public static MeasureState StateIn(MeasureStage stage) => Given(For(stage));

    public static IMeasureEvent[] Proposed() => [.. MeasureLifecycle.Propose(MeasureId, Samples.Propose()).ThenEvents()];

    /// <summary>The history followed by the events of one more accepted command.</summary>
    public static IMeasureEvent[] Then<TCommand>(IMeasureEvent[] history, TCommand command) where TCommand : IMeasureCommand =>
        [.. history, .. When(Given(history), command).ThenEvents()];
}
