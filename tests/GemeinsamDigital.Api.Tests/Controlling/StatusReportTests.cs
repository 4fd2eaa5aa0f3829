using System.Net;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Controlling;

public class StatusReportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    [Fact]
    public async Task A_report_shows_on_the_measure_and_a_second_one_for_the_period_supersedes_it_keeping_both_in_the_history()
    {
        var id = await _measures.ProposeIn(MeasureStage.Pilot);
        await _measures.Send(id, SampleCommands.ReportStatus() with { Period = "2024-Q2", Health = "on-track", On = new DateOnly(2024, 6, 30) });
        await _measures.Send(id, SampleCommands.ReportStatus() with { Period = "2024-Q3", Health = "at-risk", On = new DateOnly(2024, 9, 30), Narrative = "Lieferverzug." });
        var corrected = await _measures.Send(id, SampleCommands.ReportStatus() with { Period = "2024-Q3", Health = "off-track", On = new DateOnly(2024, 9, 30), Narrative = "Korrigiert: Verzug größer." });

        var measure = await _measures.Read(id);
        measure.LatestStatusReport.ShouldNotBeNull();
        measure.LatestStatusReport.Period.ShouldBe("2024-Q3");
        measure.LatestStatusReport.Health.ShouldBe("off-track");
        measure.LatestStatusReport.Narrative.ShouldBe("Korrigiert: Verzug größer.");
        measure.LatestStatusReport.Revision.ShouldBe(2);
        measure.LatestStatusReport.Version.ShouldBe(corrected.Version);
        measure.HealthHistory.Select(h => (h.Period, h.Health, h.Revision)).ShouldBe([("2024-Q2", "on-track", 1), ("2024-Q3", "off-track", 2)]);

        var events = await _measures.Events(id);
        events.Count(e => e.Type == "status-reported").ShouldBe(3, "the superseded report stays in the history");
    }

    [Fact]
    public async Task Reports_start_with_the_mandate_and_malformed_ones_are_refused_naming_the_field()
    {
        var idea = await _measures.Propose();
        await (await _measures.Post(idea, SampleCommands.ReportStatus())).ShouldBeProblemAsync(HttpStatusCode.Conflict, "transition-not-allowed");

        var mandated = await _measures.ProposeIn(MeasureStage.Mandated);
        var invalid = await (await _measures.Post(mandated, SampleCommands.ReportStatus() with { Period = "2024-Q5", Health = "green" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ShouldBe(["health", "period"]);
        await (await _measures.Post(mandated, SampleCommands.ReportStatus() with { On = new DateOnly(2024, 7, 1) }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "rule-violated");
        await (await _measures.Post(mandated, SampleCommands.ReportStatus() with { Period = "2099-Q1", On = new DateOnly(2099, 1, 5) }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "rule-violated");
        (await _measures.Send(mandated, SampleCommands.ReportStatus())).Stage.ShouldBe(MeasureStage.Mandated);
    }
}
