using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Tests.Catalog;

/// <summary>Given a catalogue version, when the strategy office sends a command, then one event or a refusal.</summary>
public class CatalogSpecs
{
    private static readonly DateTimeOffset _at = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static CatalogState Then(CatalogState state, CatalogDecision decision)
    {
        decision.Rejection.ShouldBeNull();
        return decision.Events.Aggregate(state, (s, e) => CatalogState.Evolve(s, e, new EventInfo(s.Version + 1, _at), CatalogState.StreamId));
    }

    private static IReadOnlyDictionary<string, string[]> Refused<TRejection>(CatalogDecision decision) where TRejection : Rejection
    {
        decision.Events.ShouldBeEmpty();
        return decision.Rejection.ShouldBeOfType<TRejection>() switch
        {
            RuleViolated r => r.Errors,
            InvalidCommand r => r.Errors,
            _ => throw new InvalidOperationException(),
        };
    }

    [Fact]
    public void Version_1_is_the_shipped_catalogue_with_every_list()
    {
        var shipped = CatalogState.Shipped;
        shipped.Version.ShouldBe(1);
        shipped.Of(CatalogLists.FuturePerspectives).Select(e => e.Code).ShouldBe(StrategyCatalog.FuturePerspectives.Select(e => e.Code));
        shipped.Of(CatalogLists.Administrations).Count().ShouldBe(StrategyCatalog.Administrations.Count);
        shipped.Entries.ShouldAllBe(e => e.IsActive);
        shipped.Find(CatalogLists.FuturePerspectives, "zp1")!.EnglishLabel.ShouldBe("Healthy, diverse neighbourhoods");
    }

    [Fact]
    public void Adding_an_entry_makes_a_new_active_code_and_a_new_version()
    {
        var state = Then(CatalogState.Shipped, new AddCatalogEntry(CatalogLists.FuturePerspectives, "zp8", "Digitale Souveränität", "Digital sovereignty", "Berlin entscheidet selbst über seine Technik", "Fähigkeit").Decide(CatalogState.Shipped));
        state.Version.ShouldBe(2);
        state.IsActive(CatalogLists.FuturePerspectives, "zp8").ShouldBeTrue();
        state.Of(CatalogLists.FuturePerspectives).Last().Code.ShouldBe("zp8");
    }

    [Fact]
    public void A_code_the_list_has_or_had_is_not_added_again()
    {
        Refused<RuleViolated>(new AddCatalogEntry(CatalogLists.MeasureTypes, "zentral", "Noch einmal", null, null, null).Decide(CatalogState.Shipped)).Keys.ShouldBe(["code"]);
        var retired = Then(CatalogState.Shipped, new RetireCatalogEntry(CatalogLists.MeasureTypes, "netzwerk").Decide(CatalogState.Shipped));
        Refused<RuleViolated>(new AddCatalogEntry(CatalogLists.MeasureTypes, "netzwerk", "Neu", null, null, null).Decide(retired))["code"][0].ShouldContain("never reused");
    }

    [Fact]
    public void Bad_input_is_a_field_error()
    {
        var errors = Refused<InvalidCommand>(new AddCatalogEntry("perspectives", "Zp 8", new string('x', 201), null, null, null).Decide(CatalogState.Shipped));
        errors.Keys.ShouldBe(["list", "code", "label"], ignoreOrder: true);
        Refused<InvalidCommand>(new RelabelCatalogEntry(CatalogLists.MeasureTypes, "zentral", null, null, null).Decide(CatalogState.Shipped)).Keys.ShouldBe(["label"]);
    }

    [Fact]
    public void Relabelling_changes_the_labels_sent_and_keeps_the_others()
    {
        var state = Then(CatalogState.Shipped, new RelabelCatalogEntry(CatalogLists.FuturePerspectives, "zp2", null, null, "Eine Stadt für alle Menschen").Decide(CatalogState.Shipped));
        var zp2 = state.Find(CatalogLists.FuturePerspectives, "zp2")!;
        (zp2.Label, zp2.EnglishLabel, zp2.EasyLabel).ShouldBe(("Inklusiver Stadtraum", "Inclusive urban space", "Eine Stadt für alle Menschen"));
        Refused<RuleViolated>(new RelabelCatalogEntry(CatalogLists.FuturePerspectives, "zp2", "Inklusiver Stadtraum", null, null).Decide(state)).Keys.ShouldBe(["label"]);
    }

    [Fact]
    public void Unknown_codes_are_refused_with_422()
    {
        Refused<RuleViolated>(new RelabelCatalogEntry(CatalogLists.FuturePerspectives, "zp9", "X", null, null).Decide(CatalogState.Shipped)).Keys.ShouldBe(["code"]);
        Refused<RuleViolated>(new RetireCatalogEntry(CatalogLists.MeasureTypes, "zp1").Decide(CatalogState.Shipped)).Keys.ShouldBe(["code"]);
        Refused<RuleViolated>(new ReplaceCatalogEntry(CatalogLists.MeasureTypes, "zentral", "unbekannt").Decide(CatalogState.Shipped)).Keys.ShouldBe(["replacedBy"]);
    }

    [Fact]
    public void An_entry_is_retired_once()
    {
        var state = Then(CatalogState.Shipped, new RetireCatalogEntry(CatalogLists.UnderHeardGroups, "wohnungslose").Decide(CatalogState.Shipped));
        state.Find(CatalogLists.UnderHeardGroups, "wohnungslose")!.Status.ShouldBe(CatalogStatus.Retired);
        state.Knows(CatalogLists.UnderHeardGroups, "wohnungslose").ShouldBeTrue();
        state.IsActive(CatalogLists.UnderHeardGroups, "wohnungslose").ShouldBeFalse();
        Refused<RuleViolated>(new RetireCatalogEntry(CatalogLists.UnderHeardGroups, "wohnungslose").Decide(state))["code"][0].ShouldContain("retired already");
    }

    [Fact]
    public void Replacing_retires_the_entry_and_points_to_an_active_successor()
    {
        var state = Then(CatalogState.Shipped, new ReplaceCatalogEntry(CatalogLists.FuturePerspectives, "zp3", "zp4").Decide(CatalogState.Shipped));
        var zp3 = state.Find(CatalogLists.FuturePerspectives, "zp3")!;
        (zp3.Status, zp3.ReplacedBy).ShouldBe((CatalogStatus.Retired, "zp4"));
        Refused<RuleViolated>(new ReplaceCatalogEntry(CatalogLists.FuturePerspectives, "zp5", "zp3").Decide(state)).Keys.ShouldBe(["replacedBy"]);
        Refused<RuleViolated>(new ReplaceCatalogEntry(CatalogLists.FuturePerspectives, "zp5", "zp5").Decide(state)).Keys.ShouldBe(["replacedBy"]);
    }

    [Fact]
    public void Changes_between_versions_name_what_was_added_relabelled_retired_and_replaced()
    {
        var events = new List<(ICatalogEvent, EventInfo)> { (CatalogState.ShippedEvent(), new EventInfo(1, _at)) };
        var state = CatalogState.Shipped;
        foreach (var decision in new Func<CatalogState, CatalogDecision>[]
        {
            s => new RelabelCatalogEntry(CatalogLists.FuturePerspectives, "zp1", "Gesunde Kieze", null, null).Decide(s),
            s => new RetireCatalogEntry(CatalogLists.MeasureTypes, "netzwerk").Decide(s),
            s => new AddCatalogEntry(CatalogLists.FuturePerspectives, "zp8", "Digitale Souveränität", null, null, null).Decide(s),
            s => new ReplaceCatalogEntry(CatalogLists.FuturePerspectives, "zp3", "zp8").Decide(s),
        })
        {
            var e = decision(state).Events.Single();
            var info = new EventInfo(state.Version + 1, _at.AddDays(state.Version));
            events.Add((e, info));
            state = CatalogState.Evolve(state, e, info, CatalogState.StreamId);
        }

        var changes = CatalogChanges.Between(events, 1, 5);
        changes.Select(c => (c.Version, c.Kind, c.Code)).ShouldBe([(2L, "relabelled", "zp1"), (3L, "retired", "netzwerk"), (4L, "added", "zp8"), (5L, "replaced", "zp3")]);
        changes[0].PreviousLabel.ShouldBe("Gesunde, vielfältige Kieze");
        changes[0].Label.ShouldBe("Gesunde Kieze");
        changes[3].ReplacedBy.ShouldBe("zp8");
        CatalogChanges.Between(events, 2, 3).Select(c => c.Code).ShouldBe(["netzwerk"]);
        CatalogChanges.Between(events, 5, 5).ShouldBeEmpty();
    }
}
