using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Measures;

public class ExternalIdSpecs
{
    private static MeasureProposed Proposed(string? externalId) =>
        (MeasureProposed)MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose() with { ExternalId = externalId }).ThenEvents().Single();

    [Fact]
    public void A_proposal_may_carry_the_lead_administrations_key_without_surrounding_blanks()
    {
        var proposed = Proposed("  BA-CW-2024-017 ");
        proposed.ExternalId.ShouldBe("BA-CW-2024-017");
        Given(proposed).ExternalId.ShouldBe("BA-CW-2024-017");
    }

    [Fact]
    public void A_proposal_without_a_key_has_none()
    {
        Given(Proposed(null)).ExternalId.ShouldBeNull();
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("BA\nMitte")]
    [InlineData("BA\tMitte")]
    [InlineData("A-very-long-external-id-that-goes-on-and-on-past-sixty-four-characters")]
    public void A_blank_multi_line_or_too_long_key_is_refused_naming_the_field(string externalId)
    {
        MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose() with { ExternalId = externalId })
            .ThenRejected<InvalidCommand>().Errors.Keys.ShouldBe(["externalId"]);
        When(Given(Proposed(null)), new AssignExternalId(externalId))
            .ThenRejected<InvalidCommand>().Errors.Keys.ShouldBe(["externalId"]);
    }

    [Fact]
    public void Assigning_records_the_new_key_and_the_one_it_replaces()
    {
        var assigned = When(Given(Proposed("alt-1")), new AssignExternalId("neu-1")).ThenEvents().ShouldHaveSingleItem().ShouldBeOfType<ExternalIdAssigned>();
        assigned.ShouldBe(new ExternalIdAssigned("neu-1", "alt-1"));
        Given(Proposed("alt-1"), assigned).ExternalId.ShouldBe("neu-1");
    }

    [Fact]
    public void Null_removes_the_key()
    {
        var removed = When(Given(Proposed("alt-1")), new AssignExternalId(null)).ThenEvents().ShouldHaveSingleItem();
        Given(Proposed("alt-1"), removed).ExternalId.ShouldBeNull();
    }

    [Fact]
    public void Assigning_the_key_the_measure_already_carries_is_a_broken_rule_not_an_event()
    {
        When(Given(Proposed("alt-1")), new AssignExternalId(" alt-1 ")).ThenRejected<RuleViolated>().Errors.Keys.ShouldBe(["externalId"]);
        When(Given(Proposed(null)), new AssignExternalId(null)).ThenRejected<RuleViolated>();
    }
}
