using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>Given a measure and the programme tree around it, when attaching or detaching, then events or a rule broken.</summary>
public class ProgrammeSpecs
{
    private static readonly Guid _programme = Guid.Parse("0193b000-0000-7000-8000-0000000000a1");
    private static readonly Guid _root = Guid.Parse("0193b000-0000-7000-8000-0000000000a0");

    private static AttachToProgramme Attach(Guid programme, ProgrammeTree tree) => new(programme) { Tree = tree };

    private static ProgrammeTree RootProgramme => new(true, false, [_programme], 0);

    [Fact]
    public void Attaching_to_a_root_programme_records_it_and_the_state_names_the_programme()
    {
        var state = Histories.StateIn(MeasureStage.Pilot);
        var events = When(state, Attach(_programme, RootProgramme)).ThenEvents();
        events.ShouldBe([new AttachedToProgramme(_programme, null)]);
        Given([.. Histories.For(MeasureStage.Pilot), .. events]).ProgrammeId.ShouldBe(_programme);
    }

    [Fact]
    public void Moving_to_another_programme_names_the_one_it_leaves()
    {
        var history = Histories.Then(Histories.For(MeasureStage.Idea), Attach(_root, new(true, false, [_root], 0)));
        When(Given(history), Attach(_programme, RootProgramme)).ThenEvents().ShouldBe([new AttachedToProgramme(_programme, _root)]);
    }

    [Fact]
    public void A_measure_cannot_be_its_own_programme()
    {
        When(Histories.StateIn(MeasureStage.Idea), Attach(MeasureId, new(true, false, [MeasureId], 0)))
            .ThenRejected<RuleViolated>().Errors["programmeId"].Single().ShouldContain("its own programme");
    }

    [Fact]
    public void A_cycle_is_refused_when_the_programme_lies_beneath_the_measure()
    {
        // The programme is part of the measure (its chain up to the root passes through the measure).
        var tree = new ProgrammeTree(true, false, [_programme, MeasureId], 0);
        When(Histories.StateIn(MeasureStage.Mandated), Attach(_programme, tree))
            .ThenRejected<RuleViolated>().Errors["programmeId"].Single().ShouldContain("cycle");
    }

    [Theory]
    [InlineData(1, 0, true)]   // programme, measure: 2 levels
    [InlineData(2, 0, true)]   // root, sub-programme, measure: 3 levels
    [InlineData(1, 1, true)]   // programme, measure, its parts: 3 levels
    [InlineData(3, 0, false)]  // 4 levels
    [InlineData(2, 1, false)]  // 4 levels
    [InlineData(1, 2, false)]  // 4 levels
    public void Programmes_nest_at_most_three_levels(int chain, int height, bool accepted)
    {
        Guid[] ids = [_programme, _root, Guid.Parse("0193b000-0000-7000-8000-00000000009f")];
        var decision = When(Histories.StateIn(MeasureStage.Idea), Attach(_programme, new(true, false, ids[..chain], height)));
        if (accepted)
        {
            decision.ThenEvents().Single().ShouldBeOfType<AttachedToProgramme>();
        }
        else
        {
            decision.ThenRejected<RuleViolated>().Errors["programmeId"].Single().ShouldContain("at most 3 levels");
        }
        Programmes.MaxLevels.ShouldBe(3);
    }

    [Fact]
    public void An_unknown_or_archived_programme_is_refused()
    {
        var state = Histories.StateIn(MeasureStage.Idea);
        When(state, Attach(_programme, new(false, false, [_programme], 0))).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["programmeId"]);
        When(state, Attach(_programme, new(true, true, [_programme], 0))).ThenRejected<RuleViolated>().Errors["programmeId"].Single().ShouldContain("archived");
    }

    [Fact]
    public void Attaching_twice_to_the_same_programme_is_refused()
    {
        var history = Histories.Then(Histories.For(MeasureStage.Idea), Attach(_programme, RootProgramme));
        When(Given(history), Attach(_programme, RootProgramme)).ThenRejected<RuleViolated>().Errors["programmeId"].Single().ShouldContain("already");
    }

    [Fact]
    public void A_missing_programme_id_is_invalid()
    {
        When(Histories.StateIn(MeasureStage.Idea), new AttachToProgramme(null)).ThenRejected<InvalidCommand>().Errors.Keys.ShouldBe(["programmeId"]);
        When(Histories.StateIn(MeasureStage.Idea), new AttachToProgramme(Guid.Empty)).ThenRejected<InvalidCommand>().Errors.Keys.ShouldBe(["programmeId"]);
    }

    [Fact]
    public void Detaching_leaves_the_programme_and_a_measure_in_none_cannot_detach()
    {
        var attached = Histories.Then(Histories.For(MeasureStage.Pilot), Attach(_programme, RootProgramme));
        var events = When(Given(attached), new DetachFromProgramme()).ThenEvents();
        events.ShouldBe([new DetachedFromProgramme(_programme)]);
        Given([.. attached, .. events]).ProgrammeId.ShouldBeNull();
        When(Histories.StateIn(MeasureStage.Pilot), new DetachFromProgramme()).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["programmeId"]);
    }
}
