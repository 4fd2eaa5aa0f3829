using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

public class ProposalAndProblemSpecs
{
    private static MeasureProposed Proposed() =>
        (MeasureProposed)MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose()).ThenEvents().Single();

    [Fact]
    public void Proposing_starts_the_stream_in_stage_idea()
    {
        var proposed = Proposed();
        proposed.MeasureId.ShouldBe(MeasureId);
        proposed.Lead.ShouldBe("ba-charlottenburg-wilmersdorf");
        proposed.Source.Kind.ShouldBe("verwaltung");

        var state = Given(proposed);
        state.Stage.ShouldBe(MeasureStage.Idea);
        state.Version.ShouldBe(1);
        state.StageHistory.Single().Stage.ShouldBe(MeasureStage.Idea);
    }

    [Fact]
    public void A_proposal_without_source_comes_from_the_lead_administration()
    {
        var e = (MeasureProposed)MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose() with { Source = null }).ThenEvents().Single();
        e.Source.ShouldBe(new IdeaSource("verwaltung", "ba-charlottenburg-wilmersdorf", null));
    }

    [Fact]
    public void Unknown_catalogue_codes_are_refused_naming_the_field()
    {
        var rejection = MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose() with { Type = "quantum", Perspectives = ["zp1", "zp8"] })
            .ThenRejected<InvalidCommand>();
        rejection.Errors.Keys.ShouldBe(["type", "perspectives[1]"], ignoreOrder: true);
    }

    [Fact]
    public void Understanding_the_problem_moves_idea_to_problem_understood()
    {
        var state = Given(Proposed());
        var events = When(state, SampleCommands.UnderstandProblem()).ThenEvents();
        var understood = events.ShouldHaveSingleItem().ShouldBeOfType<ProblemUnderstood>();
        understood.AffectedGroups.Count(g => g.UnderHeardGroup is not null).ShouldBe(1);

        Given(Proposed(), understood).Stage.ShouldBe(MeasureStage.ProblemUnderstood);
    }

    [Fact]
    public void An_under_heard_group_must_be_filed_under_stille_gruppen()
    {
        var state = Given(Proposed());
        var rejection = When(state, new UnderstandProblem([new AffectedGroupInput("Kinder", "zivilgesellschaft", "kinder-jugendliche")], "x"))
            .ThenRejected<RuleViolated>();
        rejection.Errors.Keys.ShouldBe(["affectedGroups[0].underHeardGroup"]);
    }

    [Fact]
    public void A_step_out_of_order_is_refused_with_the_allowed_commands()
    {
        var rejection = When(Given(Proposed()), SampleCommands.StartPilot()).ThenRejected<TransitionNotAllowed>();
        rejection.CurrentStage.ShouldBe(MeasureStage.Idea);
        rejection.AllowedCommands.ShouldBe(["understand-problem", "withdraw", "amend-details", "change-team", "assign-external-id", "attach-to-programme", "detach-from-programme", "link-plan", "unlink-plan"], ignoreOrder: true);
    }
}
