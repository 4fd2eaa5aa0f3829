using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Histories;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Plans a measure serves: where the commands are allowed is in <see cref="LifecycleTableSpecs"/>, their refusals in <see cref="ValidationRuleSpecs"/>; here the events and the state.</summary>
public class PlanSpecs
{
    [Fact]
    public void Linking_records_the_plan_and_a_trimmed_contribution()
    {
        When(StateIn(MeasureStage.Pilot), new LinkPlan("egovg-bln", "  Digitale Terminbuchung nach § 4 EGovG Bln.  ")).ThenEvents()
            .ShouldBe([new PlanLinked("egovg-bln", "Digitale Terminbuchung nach § 4 EGovG Bln.")]);
        When(StateIn(MeasureStage.Idea), new LinkPlan("bek-2030", " ")).ThenEvents().ShouldBe([new PlanLinked("bek-2030", null)]);
    }

    [Fact]
    public void The_state_lists_the_plans_in_linking_order_and_unlinking_removes_one()
    {
        var history = Then(For(MeasureStage.Pilot), SampleCommands.LinkPlan());
        history = Then(history, new LinkPlan("step-klima-2", null));
        history = Then(history, new LinkPlan("egovg-bln", "Register."));
        var linked = Given(history);
        linked.Plans.Select(p => (p.Plan, p.Contribution)).ShouldBe([("bek-2030", SampleCommands.LinkPlan().Contribution), ("step-klima-2", null), ("egovg-bln", "Register.")]);
        linked.Plans[2].Version.ShouldBe(linked.Version);

        var unlinked = Given(Then(history, new UnlinkPlan("step-klima-2", null)));
        unlinked.Plans.Select(p => p.Plan).ShouldBe(["bek-2030", "egovg-bln"]);
        When(unlinked, new UnlinkPlan("step-klima-2", null)).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["plan"]);
        When(unlinked, new LinkPlan("step-klima-2", "Wieder dabei.")).ThenEvents().ShouldBe([new PlanLinked("step-klima-2", "Wieder dabei.")]);
    }
}
