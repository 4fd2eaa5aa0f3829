using GemeinsamDigital.Domain.Measures;
using S = GemeinsamDigital.Domain.Measures.MeasureStage;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Every validation rule: each shape check in a command's Validate (400, InvalidCommand) and each
/// rule in its Decide (422, RuleViolated), one case each, naming exactly the field at fault.
/// Each case starts from a valid sample, so the field named is the only thing wrong.
/// </summary>
public class ValidationRuleSpecs
{
    public sealed record Case(string Command, Func<Decision> Decide, string Field);

    private static readonly string _tooLongText = new('x', FieldErrors.MaxText + 1);
    private static readonly string _tooLongShort = new('x', FieldErrors.MaxShortText + 1);
    private static readonly string _tooLongTitle = new('x', FieldErrors.MaxTitle + 1);

    private static Case P(ProposeMeasure command, string field) =>
        new(ProposeMeasure.Name, () => MeasureLifecycle.Propose(MeasureId, command), field);

    private static Case C<TCommand>(MeasureStage stage, TCommand command, string field) where TCommand : IMeasureCommand =>
        new(TCommand.Name, () => MeasureLifecycle.Decide(Histories.StateIn(stage), command), field);

    private static Case C<TCommand>(IMeasureEvent[] history, TCommand command, string field) where TCommand : IMeasureCommand =>
        new(TCommand.Name, () => MeasureLifecycle.Decide(Given(history), command), field);

    private static IReadOnlyList<T> At<T>(IReadOnlyList<T>? items, int index, Func<T, T> change) =>
        [.. items!.Select((item, i) => i == index ? change(item) : item)];

    private static IReadOnlyDictionary<string, Case> Index(params (string What, Case Case)[] cases) =>
        cases.ToDictionary(c => $"{c.Case.Command}: {c.What}", c => c.Case);

    private static readonly ProposeMeasure _propose = SampleCommands.Propose();
    private static readonly UnderstandProblem _understand = SampleCommands.UnderstandProblem();
    private static readonly DefineGoals _goals = SampleCommands.DefineGoals();
    private static readonly MandateMeasure _mandate = SampleCommands.Mandate();
    private static readonly StartPilot _pilot = SampleCommands.StartPilot();
    private static readonly RecordParticipation _participation = SampleCommands.RecordParticipation();
    private static readonly CompleteEvaluation _evaluation = SampleCommands.CompleteEvaluation();

    /// <summary>400: the command is malformed (missing, too long, unknown catalogue code, bad list).</summary>
    public static readonly IReadOnlyDictionary<string, Case> Invalid = Index(
        ("title is required", P(_propose with { Title = " " }, "title")),
        ("title is at most 200 characters", P(_propose with { Title = _tooLongTitle }, "title")),
        ("problem statement is required", P(_propose with { ProblemStatement = null }, "problemStatement")),
        ("problem statement is at most 4000 characters", P(_propose with { ProblemStatement = _tooLongText }, "problemStatement")),
        ("description is at most 4000 characters", P(_propose with { Description = _tooLongText }, "description")),
        ("type is required", P(_propose with { Type = null }, "type")),
        ("type is a known measure type", P(_propose with { Type = "quantum" }, "type")),
        ("lead is required", P(_propose with { Lead = null }, "lead")),
        ("lead is a known administration", P(_propose with { Lead = "ba-atlantis" }, "lead")),
        ("perspectives are required", P(_propose with { Perspectives = null }, "perspectives")),
        ("at least one perspective", P(_propose with { Perspectives = [] }, "perspectives")),
        ("a perspective is a known Zukunftsperspektive", P(_propose with { Perspectives = ["zp1", "zp8"] }, "perspectives[1]")),
        ("a perspective is listed once", P(_propose with { Perspectives = ["zp1", "zp1"] }, "perspectives")),
        ("at most 50 perspectives", P(_propose with { Perspectives = [.. Enumerable.Repeat("zp1", FieldErrors.MaxItems + 1)] }, "perspectives")),
        ("a given source names its kind", P(_propose with { Source = new IdeaSourceInput(null, null, null) }, "source.kind")),
        ("source kind is a known idea source", P(_propose with { Source = new IdeaSourceInput("twitter", null, null) }, "source.kind")),
        ("source administration is a known administration", P(_propose with { Source = new IdeaSourceInput("verwaltung", "ba-atlantis", null) }, "source.administration")),
        ("source detail is at most 500 characters", P(_propose with { Source = new IdeaSourceInput("stadtgremium", null, _tooLongShort) }, "source.detail")),

        ("affected groups are required", C(S.Idea, _understand with { AffectedGroups = null }, "affectedGroups")),
        ("at least one affected group", C(S.Idea, _understand with { AffectedGroups = [] }, "affectedGroups")),
        ("an affected group is not null", C(S.Idea, _understand with { AffectedGroups = [null!] }, "affectedGroups[0]")),
        ("an affected group has a name", C(S.Idea, _understand with { AffectedGroups = At(_understand.AffectedGroups, 0, g => g with { Name = "" }) }, "affectedGroups[0].name")),
        ("an affected group has a stakeholder group", C(S.Idea, _understand with { AffectedGroups = At(_understand.AffectedGroups, 0, g => g with { StakeholderGroup = null }) }, "affectedGroups[0].stakeholderGroup")),
        ("stakeholder group is of the Fünffach-Helix", C(S.Idea, _understand with { AffectedGroups = At(_understand.AffectedGroups, 0, g => g with { StakeholderGroup = "aliens" }) }, "affectedGroups[0].stakeholderGroup")),
        ("an under-heard group is one of the Stille Gruppen", C(S.Idea, _understand with { AffectedGroups = At(_understand.AffectedGroups, 1, g => g with { UnderHeardGroup = "lobbyisten" }) }, "affectedGroups[1].underHeardGroup")),
        ("evidence is required", C(S.Idea, _understand with { Evidence = null }, "evidence")),
        ("evidence is at most 4000 characters", C(S.Idea, _understand with { Evidence = _tooLongText }, "evidence")),

        ("contributions are required", C(S.ProblemUnderstood, _goals with { Contributions = null }, "contributions")),
        ("at least one contribution", C(S.ProblemUnderstood, _goals with { Contributions = [] }, "contributions")),
        ("a contribution names a Leitgedanke", C(S.ProblemUnderstood, _goals with { Contributions = At(_goals.Contributions, 0, c => c with { Principle = "schnell" }) }, "contributions[0].principle")),
        ("a contribution has a weight", C(S.ProblemUnderstood, _goals with { Contributions = At(_goals.Contributions, 0, c => c with { Weight = null }) }, "contributions[0].weight")),
        ("a weight is at most 3", C(S.ProblemUnderstood, _goals with { Contributions = At(_goals.Contributions, 0, c => c with { Weight = 4 }) }, "contributions[0].weight")),
        ("a weight is at least 0", C(S.ProblemUnderstood, _goals with { Contributions = At(_goals.Contributions, 0, c => c with { Weight = -1 }) }, "contributions[0].weight")),
        ("a contribution has a rationale", C(S.ProblemUnderstood, _goals with { Contributions = At(_goals.Contributions, 2, c => c with { Rationale = " " }) }, "contributions[2].rationale")),
        ("goals serve at least one perspective", C(S.ProblemUnderstood, _goals with { Perspectives = [] }, "perspectives")),
        ("goals serve known perspectives", C(S.ProblemUnderstood, _goals with { Perspectives = ["zp0"] }, "perspectives[0]")),
        ("at least one indicator", C(S.ProblemUnderstood, _goals with { Indicators = [] }, "indicators")),
        ("an indicator has a code", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Code = null }) }, "indicators[0].code")),
        ("an indicator has a name", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Name = "" }) }, "indicators[0].name")),
        ("an indicator has a unit", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Unit = null }) }, "indicators[0].unit")),
        ("an indicator has a baseline", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Baseline = null }) }, "indicators[0].baseline")),
        ("an indicator has a target", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Target = null }) }, "indicators[0].target")),

        ("a given lead is a known administration", C(S.GoalsDefined, _mandate with { Lead = "ba-atlantis" }, "lead")),
        ("participating administrations are known", C(S.GoalsDefined, _mandate with { Participating = ["senmvku", "senxyz"] }, "participating[1]")),
        ("a participating administration is listed once", C(S.GoalsDefined, _mandate with { Participating = ["senmvku", "senmvku"] }, "participating")),
        ("a budget is required", C(S.GoalsDefined, _mandate with { Budget = null }, "budget")),
        ("a budget has an amount", C(S.GoalsDefined, _mandate with { Budget = new BudgetInput(null, "EUR") }, "budget.amount")),
        ("a budget is in EUR", C(S.GoalsDefined, _mandate with { Budget = new BudgetInput(1000m, "USD") }, "budget.currency")),
        ("a funding source is required", C(S.GoalsDefined, _mandate with { FundingSource = "" }, "fundingSource")),
        ("at least one responsibility", C(S.GoalsDefined, _mandate with { Responsibilities = [] }, "responsibilities")),
        ("a responsibility names a known administration", C(S.GoalsDefined, _mandate with { Responsibilities = At(_mandate.Responsibilities, 0, r => r with { Administration = "ba-atlantis" }) }, "responsibilities[0].administration")),
        ("a responsibility is described", C(S.GoalsDefined, _mandate with { Responsibilities = At(_mandate.Responsibilities, 0, r => r with { Description = null }) }, "responsibilities[0].description")),

        ("a reason is required", C(S.Idea, new WithdrawMeasure(" "), "reason")),
        ("a reason is at most 4000 characters", C(S.Idea, new WithdrawMeasure(_tooLongText), "reason")),

        ("a plan is required", C(S.Mandated, _pilot with { Plan = null }, "plan")),
        ("a start is required", C(S.Mandated, _pilot with { Start = null }, "start")),
        ("an end is required", C(S.Mandated, _pilot with { End = null }, "end")),
        ("at least one milestone", C(S.Mandated, _pilot with { Milestones = [] }, "milestones")),
        ("a milestone has an id", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 0, m => m with { Id = "" }) }, "milestones[0].id")),
        ("a milestone has a title", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 1, m => m with { Title = null }) }, "milestones[1].title")),
        ("a milestone has a due date", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 0, m => m with { Due = null }) }, "milestones[0].due")),

        ("a milestone id is required", C(S.Pilot, SampleCommands.ReachMilestone() with { MilestoneId = null }, "milestoneId")),
        ("a date is required", C(S.Pilot, SampleCommands.ReachMilestone() with { On = null }, "on")),
        ("a milestone id is required", C(S.Pilot, SampleCommands.MissMilestone() with { MilestoneId = "" }, "milestoneId")),
        ("an explanation is required", C(S.Pilot, SampleCommands.MissMilestone() with { Explanation = null }, "explanation")),
        ("a milestone id is required", C(S.Pilot, SampleCommands.RescheduleMilestone() with { MilestoneId = null }, "milestoneId")),
        ("a new due date is required", C(S.Pilot, SampleCommands.RescheduleMilestone() with { NewDue = null }, "newDue")),

        ("a format is required", C(S.Pilot, _participation with { Format = null }, "format")),
        ("a format is a known participation format", C(S.Pilot, _participation with { Format = "party" }, "format")),
        ("a date is required", C(S.Pilot, _participation with { On = null }, "on")),
        ("at least one stakeholder group", C(S.Pilot, _participation with { StakeholderGroups = [] }, "stakeholderGroups")),
        ("stakeholder groups are of the Fünffach-Helix", C(S.Pilot, _participation with { StakeholderGroups = ["zivilgesellschaft", "aliens"] }, "stakeholderGroups[1]")),
        ("under-heard groups are Stille Gruppen", C(S.Pilot, _participation with { UnderHeardGroups = ["lobbyisten"] }, "underHeardGroups[0]")),
        ("a participant count is required", C(S.Pilot, _participation with { Participants = null }, "participants")),
        ("a participant count is not negative", C(S.Pilot, _participation with { Participants = -1 }, "participants")),
        ("a participant count is at most ten million", C(S.Pilot, _participation with { Participants = 10_000_001 }, "participants")),
        ("a summary is at most 4000 characters", C(S.Pilot, _participation with { Summary = _tooLongText }, "summary")),

        ("an indicator is required", C(S.Pilot, SampleCommands.RecordMeasurement() with { Indicator = null }, "indicator")),
        ("a value is required", C(S.Pilot, SampleCommands.RecordMeasurement() with { Value = null }, "value")),
        ("a date is required", C(S.Pilot, SampleCommands.RecordMeasurement() with { On = null }, "on")),
        ("a source is required", C(S.Pilot, SampleCommands.RecordMeasurement() with { Source = " " }, "source")),

        ("a risk id is required", C(S.Pilot, SampleCommands.RecordRisk() with { RiskId = null }, "riskId")),
        ("a kind is risk or conflict", C(S.Pilot, SampleCommands.RecordRisk() with { RiskId = "r2", Kind = "danger" }, "kind")),
        ("a description is required", C(S.Pilot, SampleCommands.RecordRisk() with { RiskId = "r2", Description = null }, "description")),
        ("a risk id is required", C(S.Pilot, SampleCommands.ResolveRisk() with { RiskId = "" }, "riskId")),
        ("a resolution is required", C(S.Pilot, SampleCommands.ResolveRisk() with { Resolution = null }, "resolution")),

        ("a note is at most 4000 characters", C(S.Pilot, new StartEvaluation(_tooLongText), "note")),

        ("at least one indicator finding", C(S.Evaluation, _evaluation with { IndicatorFindings = [] }, "indicatorFindings")),
        ("an indicator finding names its indicator", C(S.Evaluation, _evaluation with { IndicatorFindings = At(_evaluation.IndicatorFindings, 0, f => f with { Indicator = null }) }, "indicatorFindings[0].indicator")),
        ("an indicator finding has a finding", C(S.Evaluation, _evaluation with { IndicatorFindings = At(_evaluation.IndicatorFindings, 0, f => f with { Finding = "" }) }, "indicatorFindings[0].finding")),
        ("an indicator finding says whether the target was met", C(S.Evaluation, _evaluation with { IndicatorFindings = At(_evaluation.IndicatorFindings, 0, f => f with { TargetMet = null }) }, "indicatorFindings[0].targetMet")),
        ("at least one Leitgedanke finding", C(S.Evaluation, _evaluation with { PrincipleFindings = null }, "principleFindings")),
        ("a Leitgedanke finding names a Leitgedanke", C(S.Evaluation, _evaluation with { PrincipleFindings = At(_evaluation.PrincipleFindings, 3, f => f with { Principle = "schnell" }) }, "principleFindings[3].principle")),
        ("a Leitgedanke finding has a finding", C(S.Evaluation, _evaluation with { PrincipleFindings = At(_evaluation.PrincipleFindings, 0, f => f with { Finding = null }) }, "principleFindings[0].finding")),
        ("at least one lesson", C(S.Evaluation, _evaluation with { Lessons = [] }, "lessons")),
        ("a lesson is not blank", C(S.Evaluation, _evaluation with { Lessons = ["Früh beteiligen.", " "] }, "lessons[1]")),

        ("a mode is required", C(S.Evaluated, SampleCommands.Scale() with { Mode = null }, "mode")),
        ("a mode is scaled or permanent", C(S.Evaluated, SampleCommands.Scale() with { Mode = "bigger" }, "mode")),
        ("roll-out targets are known administrations", C(S.Evaluated, SampleCommands.Scale() with { RolloutTo = ["ba-mitte", "ba-atlantis"] }, "rolloutTo[1]")),
        ("a plan is required", C(S.Evaluated, SampleCommands.Scale() with { Plan = null }, "plan")),
        ("the changes are required", C(S.Evaluated, new IterateMeasure(""), "changes")),
        ("a reason is required", C(S.Evaluated, SampleCommands.Stop() with { Reason = null }, "reason")),
        ("at least one lesson", C(S.Evaluated, SampleCommands.Stop() with { Lessons = null }, "lessons")),
        ("a lesson is not blank", C(S.Evaluated, SampleCommands.Stop() with { Lessons = [""] }, "lessons[0]")),
        ("a note is at most 4000 characters", C(S.Scaled, new ArchiveMeasure(_tooLongText), "note")),

        ("something is amended", C(S.Idea, new AmendDetails(null, null, null), "title")),
        ("a given title is not blank", C(S.Idea, new AmendDetails(" ", null, null), "title")),
        ("a title is at most 200 characters", C(S.Idea, new AmendDetails(_tooLongTitle, null, null), "title")),
        ("a given problem statement is not blank", C(S.Idea, new AmendDetails(null, "", null), "problemStatement")),
        ("a description is at most 4000 characters", C(S.Idea, new AmendDetails(null, null, _tooLongText), "description")),

        ("participating is required", C(S.Mandated, new ChangeTeam(null, null), "participating")),
        ("participating administrations are known", C(S.Mandated, new ChangeTeam(["ba-atlantis"], null), "participating[0]")),
        ("a participating administration is listed once", C(S.Mandated, new ChangeTeam(["senmvku", "senmvku"], null), "participating")),
        ("a responsibility names a known administration", C(S.Mandated, new ChangeTeam(["senmvku"], [new ResponsibilityInput("ba-atlantis", "x")]), "responsibilities[0].administration")),
        ("a responsibility is described", C(S.Mandated, new ChangeTeam(["senmvku"], [new ResponsibilityInput("senmvku", null)]), "responsibilities[0].description")),

        ("an external id is not blank", C(S.Idea, new AssignExternalId(" "), "externalId")),
        ("an external id is one line", C(S.Pilot, new AssignExternalId("BA\r\n1"), "externalId")),
        ("an external id is at most 64 characters", C(S.Scaled, new AssignExternalId(new string('x', 65)), "externalId")),

        ("a programme is named", C(S.Idea, new AttachToProgramme(null), "programmeId")),
        ("a period is a quarter or a month", C(S.Pilot, SampleCommands.ReportStatus() with { Period = "2024-Q5" }, "period")),
        ("a week is no reporting period", C(S.Pilot, SampleCommands.ReportStatus() with { Period = "2024-W12" }, "period")),
        ("a period is required", C(S.Pilot, SampleCommands.ReportStatus() with { Period = null }, "period")),
        ("a health is on-track, at-risk, off-track or paused", C(S.Pilot, SampleCommands.ReportStatus() with { Health = "green" }, "health")),
        ("a narrative is required", C(S.Pilot, SampleCommands.ReportStatus() with { Narrative = " " }, "narrative")),
        ("a narrative is at most 2000 characters", C(S.Pilot, SampleCommands.ReportStatus() with { Narrative = new string('x', 2001) }, "narrative")),
        ("a blocker is not blank", C(S.Pilot, SampleCommands.ReportStatus() with { Blockers = [" "] }, "blockers[0]")),
        ("a next step is at most 500 characters", C(S.Pilot, SampleCommands.ReportStatus() with { NextSteps = [new string('x', 501)] }, "nextSteps[0]")),
        ("progress is at most 100 percent", C(S.Pilot, SampleCommands.ReportStatus() with { Progress = 101 }, "progress")),
        ("progress is not negative", C(S.Pilot, SampleCommands.ReportStatus() with { Progress = -1 }, "progress")),
        ("a plan is required", C(S.Idea, SampleCommands.LinkPlan() with { Plan = null }, "plan")),
        ("a plan is a catalogue plan", C(S.Idea, SampleCommands.LinkPlan() with { Plan = "zp1" }, "plan")),
        ("a contribution is at most 500 characters", C(S.Idea, SampleCommands.LinkPlan() with { Contribution = new string('x', 501) }, "contribution")),
        ("the plan to unlink is named", C(S.Idea, SampleCommands.UnlinkPlan() with { Plan = " " }, "plan")),
        ("a reason to unlink is at most 500 characters", C(S.Idea, SampleCommands.UnlinkPlan() with { Reason = new string('x', 501) }, "reason")),
        ("a report's date is required", C(S.Pilot, SampleCommands.ReportStatus() with { On = null }, "on")));

    private static readonly IMeasureEvent[] _milestoneReached = Histories.Then(Histories.For(S.Pilot), SampleCommands.ReachMilestone());
    private static readonly IMeasureEvent[] _milestoneMissed = Histories.Then(Histories.For(S.Pilot), SampleCommands.MissMilestone());
    private static readonly IMeasureEvent[] _riskResolved = Histories.Then(Histories.For(S.Pilot), SampleCommands.ResolveRisk());
    private static readonly IMeasureEvent[] _openConflict = Histories.Then(Histories.Then(Histories.For(S.Mandated), SampleCommands.StartPilot()), SampleCommands.RecordRisk());
    private static readonly IMeasureEvent[] _twoIndicators = Histories.For(S.Evaluation,
        _goals with { Indicators = [.. _goals.Indicators!, new IndicatorInput("zufriedenheit", "Zufriedenheit", "%", 40, 70)] });

    /// <summary>422: well-formed and allowed now, but breaks a rule of the domain.</summary>
    public static readonly IReadOnlyDictionary<string, Case> Broken = Index(
        ("an under-heard group is filed under stille-gruppen", C(S.Idea, _understand with { AffectedGroups = At(_understand.AffectedGroups, 1, g => g with { StakeholderGroup = "zivilgesellschaft" }) }, "affectedGroups[1].underHeardGroup")),

        ("every Leitgedanke gets a contribution", C(S.ProblemUnderstood, _goals with { Contributions = [.. _goals.Contributions!.Take(3)] }, "contributions")),
        ("a Leitgedanke is given once", C(S.ProblemUnderstood, _goals with { Contributions = [.. _goals.Contributions!, new ContributionInput("nachhaltig", 1, "Nochmal.")] }, "contributions")),
        ("an indicator code is used once", C(S.ProblemUnderstood, _goals with { Indicators = [.. _goals.Indicators!, _goals.Indicators![0] with { Name = "Nochmal" }] }, "indicators")),
        ("an indicator's target differs from its baseline", C(S.ProblemUnderstood, _goals with { Indicators = At(_goals.Indicators, 0, i => i with { Target = i.Baseline }) }, "indicators[0].target")),

        ("a mandate without a lead", C(S.GoalsDefined, _mandate with { Lead = null }, "lead")),
        ("a mandate with a blank lead", C(S.GoalsDefined, _mandate with { Lead = "  " }, "lead")),
        ("the lead is not also participating", C(S.GoalsDefined, _mandate with { Participating = ["senmvku", "ba-charlottenburg-wilmersdorf"] }, "participating")),
        ("a budget is not negative", C(S.GoalsDefined, _mandate with { Budget = new BudgetInput(-1m, "EUR") }, "budget.amount")),
        ("responsibilities stay within the team", C(S.GoalsDefined, _mandate with { Responsibilities = [.. _mandate.Responsibilities!, new ResponsibilityInput("ba-mitte", "Beratung")] }, "responsibilities[1].administration")),
        ("the lead's responsibility is stated", C(S.GoalsDefined, _mandate with { Responsibilities = [new ResponsibilityInput("senmvku", "Fachlich")] }, "responsibilities")),

        ("a pilot end before its start", C(S.Mandated, _pilot with { End = SampleCommands.PilotStart.AddDays(-1) }, "end")),
        ("a pilot ending the day it starts", C(S.Mandated, _pilot with { End = SampleCommands.PilotStart }, "end")),
        ("a milestone id is used once", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 1, m => m with { Id = "m1" }) }, "milestones")),
        ("a milestone is due within the pilot", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 1, m => m with { Due = SampleCommands.PilotEnd.AddDays(1) }) }, "milestones[1].due")),
        ("a milestone is not due before the pilot", C(S.Mandated, _pilot with { Milestones = At(_pilot.Milestones, 0, m => m with { Due = SampleCommands.PilotStart.AddDays(-1) }) }, "milestones[0].due")),

        ("an unknown milestone", C(S.Pilot, SampleCommands.ReachMilestone() with { MilestoneId = "m9" }, "milestoneId")),
        ("a milestone already reached", C(_milestoneReached, SampleCommands.ReachMilestone(), "milestoneId")),
        ("a milestone reached before the pilot starts", C(S.Pilot, SampleCommands.ReachMilestone() with { On = SampleCommands.PilotStart.AddDays(-1) }, "on")),
        ("an unknown milestone", C(S.Pilot, SampleCommands.MissMilestone() with { MilestoneId = "m9" }, "milestoneId")),
        ("a milestone already reached", C(_milestoneReached, SampleCommands.MissMilestone() with { MilestoneId = "m1" }, "milestoneId")),
        ("a milestone already missed", C(_milestoneMissed, SampleCommands.MissMilestone(), "milestoneId")),
        ("an unknown milestone", C(S.Pilot, SampleCommands.RescheduleMilestone() with { MilestoneId = "m9" }, "milestoneId")),
        ("a milestone already reached", C(_milestoneReached, SampleCommands.RescheduleMilestone() with { MilestoneId = "m1" }, "milestoneId")),
        ("the same due date", C(S.Pilot, SampleCommands.RescheduleMilestone() with { NewDue = new DateOnly(2024, 10, 1) }, "newDue")),
        ("a due date before the pilot starts", C(S.Pilot, SampleCommands.RescheduleMilestone() with { NewDue = SampleCommands.PilotStart.AddDays(-1) }, "newDue")),

        ("Stille Gruppen reached without stakeholder group stille-gruppen", C(S.Pilot, _participation with { StakeholderGroups = ["zivilgesellschaft"] }, "underHeardGroups")),
        ("participation before the pilot starts", C(S.Pilot, _participation with { On = SampleCommands.PilotStart.AddDays(-1) }, "on")),
        ("a measurement for an undefined indicator", C(S.Pilot, SampleCommands.RecordMeasurement() with { Indicator = "co2" }, "indicator")),
        ("a risk id is recorded once", C(S.Pilot, SampleCommands.RecordRisk(), "riskId")),
        ("an unknown risk", C(S.Pilot, SampleCommands.ResolveRisk() with { RiskId = "r9" }, "riskId")),
        ("a risk already resolved", C(_riskResolved, SampleCommands.ResolveRisk(), "riskId")),
        ("an open conflict blocks the evaluation", C(_openConflict, SampleCommands.StartEvaluation(), "note")),

        ("a finding for an undefined indicator", C(S.Evaluation, _evaluation with { IndicatorFindings = At(_evaluation.IndicatorFindings, 0, f => f with { Indicator = "co2" }) }, "indicatorFindings[0].indicator")),
        ("a finding for every indicator", C(_twoIndicators, _evaluation, "indicatorFindings")),
        ("one finding per indicator", C(S.Evaluation, _evaluation with { IndicatorFindings = [.. _evaluation.IndicatorFindings!, _evaluation.IndicatorFindings![0]] }, "indicatorFindings")),
        ("a finding for every Leitgedanke", C(S.Evaluation, _evaluation with { PrincipleFindings = [.. _evaluation.PrincipleFindings!.Skip(1)] }, "principleFindings")),
        ("one finding per Leitgedanke", C(S.Evaluation, _evaluation with { PrincipleFindings = [.. _evaluation.PrincipleFindings!, _evaluation.PrincipleFindings![0]] }, "principleFindings")),

        ("scaling names where it rolls out", C(S.Evaluated, SampleCommands.Scale() with { RolloutTo = [] }, "rolloutTo")),
        ("scaling without any roll-out list", C(S.Evaluated, SampleCommands.Scale() with { RolloutTo = null }, "rolloutTo")),

        ("nothing would change", C(S.Idea, new AmendDetails(SampleCommands.Propose().Title, null, null), "title")),

        ("the lead is not also participating", C(S.Mandated, new ChangeTeam(["ba-charlottenburg-wilmersdorf"], null), "participating")),
        ("responsibilities stay within the team", C(S.Mandated, new ChangeTeam(["senmvku"], [new ResponsibilityInput("ba-charlottenburg-wilmersdorf", "Leitung"), new ResponsibilityInput("ba-mitte", "Beratung")]), "responsibilities[1].administration")),
        ("nothing would change", C(S.Mandated, new ChangeTeam(["senmvku", "sensbw"], null), "participating")),
        ("the lead's responsibility stays after the mandate", C(S.Mandated, new ChangeTeam(["senmvku"], [new ResponsibilityInput("senmvku", "Fachlich")]), "responsibilities")),

        ("there is no key to remove", C(S.Idea, new AssignExternalId(null), "externalId")),

        ("a measure is not its own programme", C(S.Idea, SampleCommands.AttachToProgramme(MeasureId), "programmeId")),
        ("the measure is in no programme", C(S.Idea, SampleCommands.DetachFromProgramme(), "programmeId")),
        ("the measure is in another programme", C(Histories.Then(Histories.For(S.Idea), SampleCommands.AttachToProgramme()), new DetachFromProgramme(Guid.CreateVersion7()), "programmeId")),
        ("a report describes a date within its period", C(S.Pilot, SampleCommands.ReportStatus() with { On = new DateOnly(2024, 7, 1) }, "on")),
        ("a plan is linked once", C(Histories.Then(Histories.For(S.Idea), SampleCommands.LinkPlan()), SampleCommands.LinkPlan(), "plan")),
        ("only a plan the measure serves is unlinked", C(S.Idea, SampleCommands.UnlinkPlan(), "plan")));

    public static TheoryData<string> InvalidCases() => Names(Invalid);

    public static TheoryData<string> BrokenCases() => Names(Broken);

    private static TheoryData<string> Names(IReadOnlyDictionary<string, Case> cases)
    {
        var data = new TheoryData<string>();
        foreach (var name in cases.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void A_malformed_command_is_invalid_naming_the_field(string name)
    {
        var c = Invalid[name];
        var rejection = c.Decide().ThenRejected<InvalidCommand>();
        rejection.Errors.Keys.ShouldBe([c.Field]);
        rejection.Errors[c.Field].ShouldAllBe(message => !string.IsNullOrWhiteSpace(message));
    }

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void A_broken_rule_is_a_violation_naming_the_field(string name)
    {
        var c = Broken[name];
        var rejection = c.Decide().ThenRejected<RuleViolated>();
        rejection.Errors.Keys.ShouldBe([c.Field]);
        rejection.Detail.ShouldBe(rejection.Errors[c.Field].Single());
    }

    [Fact]
    public void Every_command_has_its_shape_checks_covered()
    {
        Invalid.Values.Select(c => c.Command).Distinct()
            // Detaching carries no more than an optional UUID (its format is the JSON reader's to check).
            .ShouldBe([ProposeMeasure.Name, .. MeasureLifecycle.Commands.Except([DetachFromProgramme.Name])], ignoreOrder: true);
    }

    [Fact]
    public void Every_command_that_has_domain_rules_has_them_covered()
    {
        // Withdraw, iterate, stop, archive and propose have no rule beyond their shape and the stage.
        Broken.Values.Select(c => c.Command).Distinct().ShouldBe(
            [.. MeasureLifecycle.Commands.Except([WithdrawMeasure.Name, IterateMeasure.Name, StopMeasure.Name, ArchiveMeasure.Name])],
            ignoreOrder: true);
    }

    [Fact]
    public void Shape_checks_come_before_the_stage_check()
    {
        // A malformed command is a 400 in any stage; the stage only matters for well-formed ones.
        MeasureLifecycle.Decide(Histories.StateIn(S.Archived), new WithdrawMeasure(null)).ThenRejected<InvalidCommand>()
            .Errors.Keys.ShouldBe(["reason"]);
    }
}
