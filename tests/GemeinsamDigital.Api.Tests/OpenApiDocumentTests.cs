using System.Net;
using System.Reflection;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests;

/// <summary>The OpenAPI document of the command endpoints: request examples, headers, problem responses.</summary>
public class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<JsonElement> Paths() => (await (await api.Client.GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("paths");

    private static IEnumerable<string> CommandPaths() =>
        MeasureLifecycle.Commands.Select(c => $"/api/measures/{{id}}/{c}").Prepend("/api/measures");

    [Fact]
    public async Task Every_lifecycle_command_has_a_request_example_and_its_problem_responses()
    {
        var paths = await Paths();
        foreach (var path in CommandPaths())
        {
            paths.TryGetProperty(path, out var item).ShouldBeTrue($"{path} is not documented");
            var post = item.GetProperty("post");
            post.GetProperty("operationId").GetString().ShouldNotBeNullOrWhiteSpace(path);
            post.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace(path);
            var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
            example.ValueKind.ShouldBe(JsonValueKind.Object, path);
            example.EnumerateObject().ShouldNotBeEmpty(path);

            var responses = post.GetProperty("responses");
            string[] statuses = path == "/api/measures" ? ["201", "400"] : ["200", "400", "404", "409", "412", "422"];
            foreach (var status in statuses)
            {
                responses.TryGetProperty(status, out var response).ShouldBeTrue($"{path} lacks {status}");
                if (status[0] == '4')
                {
                    var problem = response.GetProperty("content").GetProperty(Problems.ContentType);
                    problem.GetProperty("example").GetProperty("status").GetInt32().ShouldBe(int.Parse(status), path);
                }
            }
        }
    }

    [Fact]
    public async Task The_409_example_shows_the_current_stage_and_the_allowed_commands()
    {
        var conflict = (await Paths()).GetProperty("/api/measures/{id}/start-pilot").GetProperty("post").GetProperty("responses")
            .GetProperty("409").GetProperty("content").GetProperty(Problems.ContentType).GetProperty("example");
        conflict.GetProperty("currentStage").GetString().ShouldBe("idea");
        conflict.GetProperty("allowedCommands").EnumerateArray().Select(c => c.GetString()).ShouldBe(MeasureLifecycle.AllowedFrom(MeasureStage.Idea));
    }

    [Fact]
    public async Task Every_command_documents_the_optional_reason_and_correlation_headers_and_steps_document_If_Match()
    {
        var paths = await Paths();
        foreach (var path in CommandPaths())
        {
            var headers = paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "header").ToList();
            foreach (var header in headers)
            {
                (header.TryGetProperty("required", out var required) && required.GetBoolean()).ShouldBeFalse(path);
            }
            string[] expected = path == "/api/measures"
                ? [CommandMetadata.ReasonHttpHeader, CommandMetadata.CorrelationHttpHeader, IdempotencyRequest.Header]
                : [CommandMetadata.ReasonHttpHeader, CommandMetadata.CorrelationHttpHeader, IdempotencyRequest.Header, "If-Match"];
            headers.Select(h => h.GetProperty("name").GetString()).ShouldBe(expected, ignoreOrder: true, customMessage: path);
        }
    }

    [Fact]
    public async Task Reads_are_not_documented_as_commands()
    {
        var get = (await Paths()).GetProperty("/api/measures/{id}").GetProperty("get");
        get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldNotContain(CommandMetadata.ReasonHttpHeader);
    }

    [Fact]
    public void There_is_a_well_formed_example_for_every_command()
    {
        var commandTypes = typeof(IMeasureCommand).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IMeasureCommand).IsAssignableFrom(t)).Append(typeof(ProposeMeasure));
        SampleCommands.ByRequestType.Keys.ShouldBe(commandTypes, ignoreOrder: true);
        foreach (var (type, example) in SampleCommands.ByRequestType)
        {
            example.ShouldBeOfType(type);
            var errors = new FieldErrors();
            (example as IMeasureCommand)?.Validate(errors);
            (example as ProposeMeasure)?.Validate(errors);
            errors.ToDictionary().ShouldBeEmpty(type.Name);
        }
    }

    /// <summary>The documented examples are accepted by the API itself, in the order of a measure's life.</summary>
    [Fact]
    public async Task The_examples_walk_measures_through_every_path()
    {
        Type[] toEvaluated =
        [
            typeof(UnderstandProblem), typeof(DefineGoals), typeof(MandateMeasure), typeof(StartPilot), typeof(ReachMilestone),
            typeof(MissMilestone), typeof(RescheduleMilestone), typeof(RecordParticipation), typeof(RecordMeasurement), typeof(RecordRisk),
            typeof(ResolveRisk), typeof(AmendDetails), typeof(ChangeTeam), typeof(StartEvaluation), typeof(CompleteEvaluation),
        ];
        await Walk([.. toEvaluated, typeof(ScaleMeasure), typeof(ArchiveMeasure)], MeasureStage.Archived);
        await Walk([.. toEvaluated, typeof(IterateMeasure)], MeasureStage.Iterated);
        await Walk([.. toEvaluated, typeof(StopMeasure)], MeasureStage.Stopped);
        await Walk([typeof(WithdrawMeasure)], MeasureStage.Withdrawn);
    }

    private async Task Walk(Type[] steps, MeasureStage expected)
    {
        var created = await api.Client.PostJson("/api/measures", SampleCommands.ByRequestType[typeof(ProposeMeasure)]);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Read<CommandAccepted>()).MeasureId;
        CommandAccepted? last = null;
        foreach (var step in steps)
        {
            var name = (string)step.GetProperty(nameof(IMeasureCommand.Name), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var response = await api.Client.PostJson($"/api/measures/{id}/{name}", SampleCommands.ByRequestType[step]);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{name}: {await response.Content.ReadAsStringAsync()}");
            last = await response.Read<CommandAccepted>();
        }
        last!.Stage.ShouldBe(expected);
    }
}
