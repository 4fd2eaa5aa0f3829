using System.Net;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// The HTTP side of the validation rules (every rule itself is covered in the domain specs):
/// per endpoint family, a malformed command is 400 and a broken rule 422, each naming the field,
/// and neither appends anything.
/// </summary>
public class RuleResponseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    private const string Validation = "validation";
    private const string RuleViolated = "rule-violated";

    private async Task NothingAppended(Guid id, long version) => (await _measures.Read(id)).Version.ShouldBe(version);

    [Fact]
    public async Task Unknown_catalogue_codes_are_refused_with_400_naming_the_field()
    {
        var proposal = SampleCommands.Propose() with { Lead = "ba-atlantis", Perspectives = ["zp1", "zp9"] };
        var response = await api.Client.PostJson("/api/measures", proposal);
        var body = await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "lead");
        body.GetProperty("errors").GetProperty("perspectives[1]")[0].GetString()!.ShouldContain("zp9");

        var id = await _measures.Propose();
        var groups = SampleCommands.UnderstandProblem() with { AffectedGroups = [new AffectedGroupInput("Pendelnde", "pendler", null)] };
        await (await _measures.Post(id, groups)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "affectedGroups[0].stakeholderGroup");
        await NothingAppended(id, 1);

        var goalsAt = await _measures.ProposeIn(MeasureStage.ProblemUnderstood);
        var goals = SampleCommands.DefineGoals() with { Contributions = [new ContributionInput("schnell", 1, "x"), .. SampleCommands.DefineGoals().Contributions!] };
        await (await _measures.Post(goalsAt, goals)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "contributions[0].principle");

        var mandateAt = await _measures.ProposeIn(MeasureStage.GoalsDefined);
        await (await _measures.Post(mandateAt, SampleCommands.Mandate() with { Participating = ["senmvku", "senzukunft"] }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "participating[1]");
        await NothingAppended(mandateAt, 3);
    }

    [Fact]
    public async Task Idea_steps_answer_400_for_missing_fields_and_422_for_broken_rules()
    {
        var id = await _measures.Propose();
        await (await _measures.Post(id, new WithdrawMeasure(""))).ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "reason");
        var misfiled = new UnderstandProblem([new AffectedGroupInput("Kinder", "zivilgesellschaft", "kinder-jugendliche")], "Befragung.");
        await (await _measures.Post(id, misfiled)).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "affectedGroups[0].underHeardGroup");

        var goalsAt = await _measures.ProposeIn(MeasureStage.ProblemUnderstood);
        var threePrinciples = SampleCommands.DefineGoals() with { Contributions = [.. SampleCommands.DefineGoals().Contributions!.Take(3)] };
        await (await _measures.Post(goalsAt, threePrinciples)).ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "contributions");
        await NothingAppended(goalsAt, 2);
    }

    [Fact]
    public async Task A_mandate_without_a_lead_is_422()
    {
        var id = await _measures.ProposeIn(MeasureStage.GoalsDefined);
        var body = await (await _measures.Post(id, SampleCommands.Mandate() with { Lead = null }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "lead");
        body.GetProperty("detail").GetString().ShouldBe("A mandate needs a lead administration.");
        await (await _measures.Post(id, SampleCommands.Mandate() with { Lead = " " }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "lead");
        await (await _measures.Post(id, SampleCommands.Mandate() with { Budget = null }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "budget");
        await NothingAppended(id, 3);
    }

    [Fact]
    public async Task A_pilot_end_before_its_start_is_422()
    {
        var id = await _measures.ProposeIn(MeasureStage.Mandated);
        await (await _measures.Post(id, SampleCommands.StartPilot() with { End = SampleCommands.PilotStart.AddDays(-1) }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "end");
        await (await _measures.Post(id, SampleCommands.StartPilot() with { Start = null }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "start");
        await NothingAppended(id, 4);
    }

    [Fact]
    public async Task A_measurement_for_an_undefined_indicator_is_422()
    {
        var id = await _measures.ProposeIn(MeasureStage.Pilot);
        var body = await (await _measures.Post(id, SampleCommands.RecordMeasurement() with { Indicator = "co2" }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "indicator");
        body.GetProperty("detail").GetString()!.ShouldContain("co2");
        await (await _measures.Post(id, SampleCommands.RecordMeasurement() with { Value = null }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "value");
        await NothingAppended(id, 5);
    }

    [Fact]
    public async Task Pilot_steps_answer_400_for_missing_fields_and_422_for_broken_rules()
    {
        var id = await _measures.ProposeIn(MeasureStage.Pilot);
        await (await _measures.Post(id, new ReachMilestone("m9", SampleCommands.PilotStart)))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "milestoneId");
        await (await _measures.Post(id, SampleCommands.RescheduleMilestone() with { NewDue = null }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "newDue");
        await (await _measures.Post(id, SampleCommands.RecordParticipation() with { Format = "grillfest" }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "format");
        await (await _measures.Post(id, SampleCommands.RecordParticipation() with { StakeholderGroups = ["zivilgesellschaft"] }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "underHeardGroups");
        await (await _measures.Post(id, SampleCommands.RecordRisk() with { Kind = "gefahr" }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "kind");
        await (await _measures.Post(id, SampleCommands.ResolveRisk()))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "riskId");
        await NothingAppended(id, 5);

        await _measures.Send(id, SampleCommands.RecordRisk());
        await (await _measures.Post(id, SampleCommands.StartEvaluation()))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "note");
        await NothingAppended(id, 6);
    }

    [Fact]
    public async Task Evaluation_and_outcome_steps_answer_400_for_missing_fields_and_422_for_broken_rules()
    {
        var evaluating = await _measures.ProposeIn(MeasureStage.Evaluation);
        await (await _measures.Post(evaluating, SampleCommands.CompleteEvaluation() with { PrincipleFindings = [.. SampleCommands.CompleteEvaluation().PrincipleFindings!.Skip(1)] }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "principleFindings");
        await (await _measures.Post(evaluating, SampleCommands.CompleteEvaluation() with { Lessons = [] }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "lessons");
        await NothingAppended(evaluating, 6);

        var evaluated = await _measures.ProposeIn(MeasureStage.Evaluated);
        await (await _measures.Post(evaluated, SampleCommands.Scale() with { RolloutTo = [] }))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "rolloutTo");
        await (await _measures.Post(evaluated, SampleCommands.Scale() with { RolloutTo = ["ba-gotham"] }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "rolloutTo[0]");
        await (await _measures.Post(evaluated, SampleCommands.Stop() with { Lessons = null }))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "lessons");
        await (await _measures.Post(evaluated, new IterateMeasure(null)))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "changes");
        await NothingAppended(evaluated, 7);
    }

    [Fact]
    public async Task Amending_and_team_steps_answer_400_for_missing_fields_and_422_for_broken_rules()
    {
        var id = await _measures.ProposeIn(MeasureStage.Mandated);
        await (await _measures.Post(id, new AmendDetails(null, null, null)))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "title");
        await (await _measures.Post(id, new AmendDetails(SampleCommands.Propose().Title, null, null)))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "title");
        await (await _measures.Post(id, new ChangeTeam(["ba-charlottenburg-wilmersdorf"], null)))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "participating");
        await (await _measures.Post(id, new ChangeTeam(["senmvku"], [new ResponsibilityInput("senmvku", "Fachlich")])))
            .ShouldBeProblemNaming(HttpStatusCode.UnprocessableEntity, RuleViolated, "responsibilities");
        await NothingAppended(id, 4);
    }

    [Fact]
    public async Task A_malformed_command_in_a_stage_that_refuses_it_is_still_400()
    {
        var id = await _measures.Propose();
        await (await _measures.Post(id, new StopMeasure(null, null))).ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, "reason");
    }

    [Fact]
    public async Task Header_problems_name_the_header()
    {
        var id = await _measures.Propose();
        await (await _measures.Post(id, SampleCommands.UnderstandProblem(), reason: new string('x', 501)))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, CommandMetadata.ReasonErrorKey);
        await (await _measures.Post(id, SampleCommands.UnderstandProblem(), ifMatch: "W/\"1\""))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, CommandMetadata.IfMatchErrorKey);

        var proposal = new HttpRequestMessage(HttpMethod.Post, "/api/measures")
        {
            Content = System.Net.Http.Json.JsonContent.Create(SampleCommands.Propose(), options: HttpExtensions.JsonOptions),
        };
        proposal.Headers.TryAddWithoutValidation(CommandMetadata.ReasonHttpHeader, new string('x', CommandMetadata.MaxReason + 1));
        await (await api.Client.SendAsync(proposal)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, Validation, CommandMetadata.ReasonErrorKey);

        var stale = await _measures.Post(id, SampleCommands.UnderstandProblem(), ifMatch: "\"7\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var body = await stale.Json();
        (body.GetProperty("expectedVersion").GetInt64(), body.GetProperty("currentVersion").GetInt64()).ShouldBe((7L, 1L));
        await NothingAppended(id, 1);
    }
}
