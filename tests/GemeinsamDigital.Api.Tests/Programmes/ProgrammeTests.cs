using System.Globalization;
using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Dashboards;
using GemeinsamDigital.Api.Tests.Infrastructure;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Programmes;

/// <summary>Programmes over HTTP: attach and detach through the one command pipeline, cycles and depth refused, the roll-up now and as of a moment.</summary>
public class ProgrammeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    private Task<CommandAccepted> Attach(Guid measure, Guid programme) => _measures.Send(measure, new AttachToProgramme(programme));

    private async Task<JsonElement> Rollup(Guid programme, string? asOf = null)
    {
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var response = await api.Client.Get($"/api/measures/{programme}/rollup" + (asOf is null ? "" : "?asOf=" + Uri.EscapeDataString(asOf)), "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Json();
        body.GetProperty("freshness").GetProperty("basis").GetString().ShouldBe(asOf is null ? "projection" : "events");
        return body.GetProperty("figures");
    }

    private static string Stages(JsonElement figures) =>
        string.Join(",", figures.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("measures").GetInt32() > 0)
            .Select(s => $"{s.GetProperty("code").GetString()}={s.GetProperty("measures").GetInt32()}"));

    [Fact]
    public async Task A_programme_with_five_parts_in_different_stages_rolls_up_now_and_as_of_an_earlier_moment()
    {
        var programme = await _measures.Propose(SampleCommands.Propose(title: "Modellprojekt Smart City"));
        var idea = await _measures.ProposeIn(MeasureStage.Idea);
        var understood = await _measures.ProposeIn(MeasureStage.ProblemUnderstood);
        var mandated = await _measures.ProposeIn(MeasureStage.Mandated);
        var pilot = await _measures.ProposeIn(MeasureStage.Pilot);
        var evaluated = await _measures.ProposeIn(MeasureStage.Evaluated);
        foreach (var part in new[] { idea, understood, mandated, pilot, evaluated })
        {
            (await Attach(part, programme)).Events.ShouldBe(["attached-to-programme"]);
        }
        (await _measures.Read(idea)).ProgrammeId.ShouldBe(programme);

        // A moment between the two halves of the story, on a whole second (what asOf is written as).
        var then = DateTimeOffset.UtcNow.AddSeconds(1);
        then = new DateTimeOffset(then.Year, then.Month, then.Day, then.Hour, then.Minute, then.Second, TimeSpan.Zero);
        await Task.Delay(then.AddMilliseconds(50) - DateTimeOffset.UtcNow);

        await _measures.Send(understood, SampleCommands.DefineGoals());
        await _measures.Send(mandated, SampleCommands.StartPilot());
        await _measures.Send(mandated, SampleCommands.ReachMilestone());
        await _measures.Send(mandated, SampleCommands.MissMilestone());
        await _measures.Send(mandated, new RecordMeasurement("aufenthalt", 12m, new DateOnly(2024, 9, 1), "Sensorzählung"));
        await _measures.Send(pilot, SampleCommands.StartEvaluation());
        await _measures.Send(pilot, SampleCommands.CompleteEvaluation());
        await _measures.Send(evaluated, SampleCommands.Scale());

        // Now: progress (0 + 0.2 + (0.3 + 0.4 × 1/2) + 0.9 + 1) / 5 = 0.52.
        var now = await Rollup(programme);
        now.GetProperty("title").GetString().ShouldBe("Modellprojekt Smart City");
        now.GetProperty("parts").GetInt32().ShouldBe(5);
        Stages(now).ShouldBe("idea=1,goals-defined=1,pilot=1,evaluated=1,scaled=1");
        now.GetProperty("milestones").Rows("reached", "missed", "open").ShouldBe(["1|1|4"]);
        now.GetProperty("indicators").Rows("indicators", "measured", "onTrack", "behind", "noData").ShouldBe(["4|1|1|0|3"]);
        now.GetProperty("budgets").Rows("currency", "amount", "measures").ShouldBe(["EUR|750000|3"]);
        now.GetProperty("progress").GetDecimal().ShouldBe(0.52m);
        now.GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("progress").GetDecimal()).Order().ShouldBe([0m, 0.2m, 0.5m, 0.9m, 1m]);

        // Then: (0 + 0.1 + 0.3 + 0.3 + 0.9) / 5 = 0.32; only the pilots planned so far, nothing measured.
        var earlier = await Rollup(programme, then.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        earlier.GetProperty("parts").GetInt32().ShouldBe(5);
        Stages(earlier).ShouldBe("idea=1,problem-understood=1,mandated=1,pilot=1,evaluated=1");
        earlier.GetProperty("milestones").Rows("reached", "missed", "open").ShouldBe(["0|0|4"]);
        earlier.GetProperty("indicators").Rows("indicators", "measured", "noData").ShouldBe(["3|0|3"]);
        earlier.GetProperty("budgets").Rows("currency", "amount", "measures").ShouldBe(["EUR|750000|3"]);
        earlier.GetProperty("progress").GetDecimal().ShouldBe(0.32m);

        // The dashboards' programme filter selects the same five measures.
        var portfolio = await (await api.Client.Get($"/api/dashboard/portfolio?programme={programme}", "application/json")).Json();
        portfolio.GetProperty("figures").GetProperty("measures").GetInt32().ShouldBe(5);
        portfolio.GetProperty("filter").GetProperty("programme").GetGuid().ShouldBe(programme);

        var csv = await api.Client.Csv($"/api/measures/{programme}/rollup");
        csv.ShouldStartWith("section,code,label,measures,amount,progress,measure_id,title,lead,event_sequence,projection_lag\r\n");
        csv.ShouldContain("\r\nbudget,EUR,,3,750000,,,,,");
    }

    [Fact]
    public async Task A_cycle_is_refused_with_422_and_appends_nothing()
    {
        var programme = await _measures.Propose();
        var part = await _measures.Propose();
        await Attach(part, programme);

        var response = await _measures.Post(programme, new AttachToProgramme(part));
        var body = await response.ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId");
        body.GetProperty("errors").GetProperty("programmeId")[0].GetString()!.ShouldContain("cycle");
        (await _measures.Read(programme)).Version.ShouldBe(1);

        await (await _measures.Post(part, new AttachToProgramme(part))).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId");
        await (await _measures.Post(part, new AttachToProgramme(Guid.CreateVersion7()))).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId");
        await (await api.Client.PostJson($"/api/measures/{part}/attach-to-programme", new { })).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "programmeId");
    }

    [Fact]
    public async Task Programmes_nest_three_levels_deep_and_a_part_can_be_detached()
    {
        var root = await _measures.Propose();
        var sub = await _measures.Propose();
        var leaf = await _measures.Propose();
        await Attach(sub, root);
        await Attach(leaf, sub);

        var deeper = await _measures.Propose();
        var response = await _measures.Post(deeper, new AttachToProgramme(leaf));
        (await response.ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId"))
            .GetProperty("errors").GetProperty("programmeId")[0].GetString()!.ShouldContain("at most 3 levels");
        // A tree of three levels cannot go beneath another root either.
        var other = await _measures.Propose();
        await (await _measures.Post(root, new AttachToProgramme(other))).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId");

        (await _measures.Send(leaf, new DetachFromProgramme())).Events.ShouldBe(["detached-from-programme"]);
        (await _measures.Read(leaf)).ProgrammeId.ShouldBeNull();
        await (await _measures.Post(leaf, new DetachFromProgramme())).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "programmeId");
        (await Rollup(sub)).GetProperty("parts").GetInt32().ShouldBe(0);
        (await Rollup(root)).GetProperty("parts").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_strategy_office_changes_the_programme_tree_and_an_unknown_programme_has_no_rollup()
    {
        var programme = await _measures.Propose();
        var part = await _measures.Propose();
        var lead = api.ClientFor(SampleCommands.Lead, "editor");
        await (await lead.PostJson($"/api/measures/{part}/attach-to-programme", new AttachToProgramme(programme)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "command-not-permitted");
        await (await api.Client.GetAsync($"/api/measures/{Guid.CreateVersion7()}/rollup")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "measure-not-found");
        await (await api.Client.GetAsync($"/api/dashboard/portfolio?programme=nope")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "programme");
    }
}
