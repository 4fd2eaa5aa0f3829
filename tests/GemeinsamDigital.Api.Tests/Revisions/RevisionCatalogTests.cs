using System.Net;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Api.Tests.Revisions;

/// <summary>A snapshot names the catalogue version it was taken against; comparing two phases lists the catalogue's changes between them.</summary>
public class RevisionCatalogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_closed_snapshot_still_verifies_and_names_its_catalogue_version_and_the_comparison_lists_the_catalogue_change()
    {
        var revisions = new RevisionDriver(api.Client);
        await new MeasureDriver(api.Client).Propose();
        var first = await revisions.Open("Fortschreibung 2024", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        await revisions.Close(first);
        var before = (await revisions.Snapshot(first)).Snapshot.CatalogVersion;
        before.ShouldNotBeNull();

        (await api.Client.PostJson("/api/catalog/relabel-entry", new RelabelCatalogEntry("futurePerspectives", "zp7", "Verwaltung, die ermöglicht", null, null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Client.PostJson("/api/catalog/retire-entry", new RetireCatalogEntry("participationFormats", "online-umfrage"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var second = await revisions.OpenNext("Fortschreibung 2025");
        await revisions.Close(second);

        (await revisions.Verify(first)).Matches.ShouldBeTrue();
        (await revisions.Snapshot(first)).Snapshot.CatalogVersion.ShouldBe(before);
        (await revisions.Verify(second)).Matches.ShouldBeTrue();
        (await revisions.Snapshot(second)).Snapshot.CatalogVersion.ShouldBe(before + 2);

        var comparison = await revisions.Compare(first, second);
        (comparison.From.CatalogVersion, comparison.To.CatalogVersion).ShouldBe((before, before + 2));
        comparison.CatalogChanges!.Select(c => (c.Kind, c.Code)).ShouldBe([("relabelled", "zp7"), ("retired", "online-umfrage")]);
        comparison.CatalogChanges![0].PreviousLabel.ShouldBe("Ermöglichende Verwaltung");
    }
}
