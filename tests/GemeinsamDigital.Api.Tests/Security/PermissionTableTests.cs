using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Security;

/// <summary>
/// The permission table over HTTP: real commands as the lead's editor, a participating editor and an
/// outsider. The full role × position × command table is the domain's PermissionTableSpecs.
/// </summary>
public class PermissionTableTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Lead = SampleCommands.Lead;
    private const string Participant = "senmvku";

    private readonly HttpClient _lead = api.ClientFor(Lead, Roles.Editor);
    private readonly HttpClient _participant = api.ClientFor(Participant, Roles.Editor);
    private readonly HttpClient _outsider = api.ClientFor("ba-neukoelln", Roles.Editor);
    private readonly HttpClient _office = api.Client;

    private static async Task Ok(Task<HttpResponseMessage> sent)
    {
        var response = await sent;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task NotPermitted(Task<HttpResponseMessage> sent, string command, string position, params string[] allowed)
    {
        var problem = await (await sent).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "command-not-permitted");
        problem.GetProperty("command").GetString().ShouldBe(command);
        problem.GetProperty("position").GetString().ShouldBe(position);
        problem.GetProperty("allowedPositions").EnumerateArray().Select(p => p.GetString()).ShouldBe(allowed);
    }

    [Fact]
    public async Task Lead_and_participating_editors_run_what_their_position_allows_and_outsiders_nothing()
    {
        var id = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        string Url(string command) => $"/api/measures/{id}/{command}";

        await Ok(_lead.PostJson(Url(UnderstandProblem.Name), SampleCommands.UnderstandProblem()));
        await Ok(_lead.PostJson(Url(DefineGoals.Name), SampleCommands.DefineGoals()));
        // The mandate commits budget and resources: the strategy office gives it, not the lead.
        await NotPermitted(_lead.PostJson(Url(MandateMeasure.Name), SampleCommands.Mandate(Lead, Participant)), "mandate", "lead");
        // Before the mandate the participant is not on the team: the measure is none of its business.
        await (await _participant.PostJson(Url(MandateMeasure.Name), SampleCommands.Mandate(Lead, Participant)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "measure-forbidden");
        await Ok(_office.PostJson(Url(MandateMeasure.Name), SampleCommands.Mandate(Lead, Participant)));

        await NotPermitted(_participant.PostJson(Url(StartPilot.Name), SampleCommands.StartPilot()), "start-pilot", "participating", "lead");
        await Ok(_lead.PostJson(Url(StartPilot.Name), SampleCommands.StartPilot()));

        // The project team's shared work is open to the participant.
        await Ok(_participant.PostJson(Url(ReachMilestone.Name), SampleCommands.ReachMilestone()));
        await Ok(_participant.PostJson(Url(RecordMeasurement.Name), SampleCommands.RecordMeasurement()));
        await Ok(_participant.PostJson(Url(RecordRisk.Name), SampleCommands.RecordRisk() with { Kind = "risk" }));
        await Ok(_participant.PostJson(Url(ResolveRisk.Name), SampleCommands.ResolveRisk()));

        // Steering the measure is not.
        await NotPermitted(_participant.PostJson(Url(ChangeTeam.Name), new ChangeTeam([Participant, "sensbw"], null)), "change-team", "participating", "lead");
        await NotPermitted(_participant.PostJson(Url(AmendDetails.Name), SampleCommands.AmendDetails()), "amend-details", "participating", "lead");
        await NotPermitted(_participant.PostJson(Url(StartEvaluation.Name), SampleCommands.StartEvaluation()), "start-evaluation", "participating", "lead");

        // An outsider learns nothing, whichever command it sends.
        foreach (var (command, body) in new (string, object)[] { (RecordMeasurement.Name, SampleCommands.RecordMeasurement()), (ChangeTeam.Name, SampleCommands.ChangeTeam()) })
        {
            await (await _outsider.PostJson(Url(command), body)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "measure-forbidden");
        }

        await Ok(_lead.PostJson(Url(ChangeTeam.Name), new ChangeTeam([Participant, "sensbw"], null)));
        await Ok(_lead.PostJson(Url(StartEvaluation.Name), SampleCommands.StartEvaluation()));
        await Ok(_lead.PostJson(Url(CompleteEvaluation.Name), SampleCommands.CompleteEvaluation()));
        // Rolling out commits resources like the mandate: the strategy office's.
        await NotPermitted(_lead.PostJson(Url(ScaleMeasure.Name), SampleCommands.Scale()), "scale", "lead");
        await NotPermitted(_participant.PostJson(Url(ScaleMeasure.Name), SampleCommands.Scale()), "scale", "participating");
        await Ok(_office.PostJson(Url(ScaleMeasure.Name), SampleCommands.Scale()));

        var state = await (await _office.GetAsync($"/api/measures/{id}")).Read<MeasureState>();
        state.Stage.ShouldBe(MeasureStage.Scaled);
    }

    [Fact]
    public async Task A_refused_command_appends_nothing_and_says_nothing_to_outsiders_about_positions()
    {
        var id = (await (await _office.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        var before = (await (await _office.GetAsync($"/api/measures/{id}")).Read<MeasureState>()).Version;
        var outsider = await (await _outsider.PostJson($"/api/measures/{id}/withdraw", SampleCommands.Withdraw()))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "measure-forbidden");
        outsider.TryGetProperty("allowedPositions", out _).ShouldBeFalse();
        (await (await _office.GetAsync($"/api/measures/{id}")).Read<MeasureState>()).Version.ShouldBe(before);
    }

    [Fact]
    public async Task What_happened_cannot_be_dated_after_tomorrow()
    {
        var id = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        string Url(string command) => $"/api/measures/{id}/{command}";
        await Ok(_lead.PostJson(Url(UnderstandProblem.Name), SampleCommands.UnderstandProblem()));
        await Ok(_lead.PostJson(Url(DefineGoals.Name), SampleCommands.DefineGoals()));
        await Ok(_office.PostJson(Url(MandateMeasure.Name), SampleCommands.Mandate(Lead, Participant)));
        await Ok(_lead.PostJson(Url(StartPilot.Name), SampleCommands.StartPilot()));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await (await _participant.PostJson(Url(RecordMeasurement.Name), SampleCommands.RecordMeasurement() with { On = today.AddDays(2) }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "on");
        await (await _participant.PostJson(Url(ReachMilestone.Name), SampleCommands.ReachMilestone() with { On = today.AddDays(30) }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "on");
        await (await _participant.PostJson(Url(RecordParticipation.Name), SampleCommands.RecordParticipation() with { On = today.AddYears(1) }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "on");
        // Tomorrow (UTC) is still today somewhere the clients are, or on a clock a little ahead.
        await Ok(_participant.PostJson(Url(RecordMeasurement.Name), SampleCommands.RecordMeasurement() with { On = today.AddDays(1) }));
        await (await _participant.PostJson(Url(RecordMeasurement.Name), SampleCommands.RecordMeasurement() with { On = SampleCommands.PilotStart.AddDays(-1) }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, "rule-violated", "on");
    }
}
