using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;

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
            .Where(t => t.IsClass && typeof(IMeasureCommand).IsAssignableFrom(t))
            .Concat([typeof(ProposeMeasure), typeof(OpenRevisionPhase), typeof(RecordRevisionLesson), typeof(GemeinsamDigital.Domain.Controlling.SetReportingCadence),
                typeof(GemeinsamDigital.Domain.Catalog.AddCatalogEntry), typeof(GemeinsamDigital.Domain.Catalog.RelabelCatalogEntry),
                typeof(GemeinsamDigital.Domain.Catalog.RetireCatalogEntry), typeof(GemeinsamDigital.Domain.Catalog.ReplaceCatalogEntry)]);
        SampleCommands.ByRequestType.Keys.ShouldBe(commandTypes, ignoreOrder: true);
        foreach (var (type, example) in SampleCommands.ByRequestType)
        {
            example.ShouldBeOfType(type);
            ValidationErrors(example).ShouldBeEmpty(type.Name);
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

    private async Task<JsonNode> Document() => JsonNode.Parse(await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync())!;

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    private static JsonObject Resolve(JsonNode doc, JsonNode schema) =>
        schema["$ref"] is { } reference ? doc["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]!.AsObject() : schema.AsObject();

    /// <summary>Every schema a client sends: request bodies with everything they nest, and parameters; with where each is.</summary>
    private static List<(string Where, JsonObject Schema)> RequestSchemas(JsonNode doc)
    {
        var found = new List<(string, JsonObject)>();
        void Walk(JsonNode schema, string where, int depth)
        {
            var resolved = Resolve(doc, schema);
            found.Add((where, resolved));
            if (depth > 10)
            {
                return;
            }
            foreach (var (name, member) in resolved["properties"]?.AsObject() ?? [])
            {
                Walk(member!, $"{where}.{name}", depth + 1);
            }
            foreach (var part in resolved["allOf"]?.AsArray() ?? [])
            {
                Walk(part!, where, depth + 1);
            }
            if (resolved["items"] is { } items)
            {
                Walk(items, where + "[]", depth + 1);
            }
        }
        foreach (var (path, method, operation) in Operations(doc))
        {
            foreach (var (type, media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                Walk(media!["schema"]!, $"{method} {path} body", 0);
            }
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                found.Add(($"{method} {path} {parameter!["in"]} {parameter["name"]}", parameter["schema"]!.AsObject()));
            }
        }
        return found;
    }

    private static string? Type(JsonObject schema) => schema["type"]?.GetValue<string>();

    [Fact]
    public async Task Every_string_array_and_integer_a_client_sends_states_its_bounds()
    {
        var schemas = RequestSchemas(await Document());
        schemas.Count(s => Type(s.Schema) == "string").ShouldBeGreaterThan(100);
        schemas.Where(s => Type(s.Schema) == "string" && s.Schema["maxLength"] is null && s.Schema["enum"] is null)
            .Select(s => s.Where).ShouldBeEmpty();
        schemas.Where(s => Type(s.Schema) == "array" && s.Schema["maxItems"] is null).Select(s => s.Where).ShouldBeEmpty();
        schemas.Where(s => Type(s.Schema) == "integer" && (s.Schema["minimum"] is null || s.Schema["maximum"] is null)).Select(s => s.Where).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bounds_are_the_validations_own_constants()
    {
        var doc = await Document();
        var schemas = doc["components"]!["schemas"]!;
        var propose = schemas["ProposeMeasure"]!["properties"]!;
        propose["title"]!["maxLength"]!.GetValue<int>().ShouldBe(FieldErrors.MaxTitle);
        propose["problemStatement"]!["maxLength"]!.GetValue<int>().ShouldBe(FieldErrors.MaxText);
        propose["perspectives"]!["maxItems"]!.GetValue<int>().ShouldBe(FieldErrors.MaxItems);
        propose["perspectives"]!["minItems"]!.GetValue<int>().ShouldBe(1);
        propose["lead"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>())
            .ShouldBe(Domain.Catalog.StrategyCatalog.Administrations.Select(a => a.Code), ignoreOrder: true);
        schemas["RecordParticipation"]!["properties"]!["participants"]!["maximum"]!.GetValue<long>().ShouldBe(RecordParticipation.MaxParticipants);
        schemas["ContributionInput"]!["properties"]!["weight"]!["maximum"]!.GetValue<int>().ShouldBe(DefineGoals.MaxWeight);
        schemas["RecordRisk"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(RecordRisk.Kinds);
        schemas["StopMeasure"]!["properties"]!["lessons"]!["items"]!["maxLength"]!.GetValue<int>().ShouldBe(FieldErrors.MaxText);

        var headers = doc["paths"]!["/api/revisions/{id}/lessons"]!["post"]!["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == "header").ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);
        headers.Keys.ShouldBe([CommandMetadata.ReasonHttpHeader, CommandMetadata.CorrelationHttpHeader, "If-Match", IdempotencyRequest.Header], ignoreOrder: true);
        headers[IdempotencyRequest.Header]["maxLength"]!.GetValue<int>().ShouldBe(IdempotencyRequest.MaxKeyLength);
        headers["If-Match"]["pattern"]!.GetValue<string>().ShouldBe(ETags.IfMatchPattern);
    }

    /// <summary>
    /// What the document calls required is what the validation refuses when left out, and the longest
    /// text it allows is the longest the validation takes: checked member by member on every command's sample.
    /// </summary>
    [Fact]
    public async Task Required_members_and_lengths_are_the_ones_the_validation_enforces()
    {
        var schemas = (await Document())["components"]!["schemas"]!;
        // A mandate without a lead is refused as a broken rule (422), not as a malformed request.
        var refusedByRule = new HashSet<(Type, string)> { (typeof(MandateMeasure), "lead") };
        // A location's districts are required with a geometry, and refused without one (clearing): optional in the document.
        var requiredWithAnother = new HashSet<(Type, string)> { (typeof(SetLocation), "districts") };
        var checkedMembers = 0;
        // Amending needs at least one of its members: with all of them given, each one is optional.
        var samples = SampleCommands.ByRequestType.ToDictionary();
        samples[typeof(AmendDetails)] = new AmendDetails(SampleCommands.Title, "Neue Problembeschreibung.", "Neue Beschreibung.");
        foreach (var (type, sample) in samples)
        {
            var schema = schemas[type.Name]!.AsObject();
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            var constructor = type.GetConstructors().Single(c => c.GetParameters().Length > 0 && c.GetParameters()[0].ParameterType != type);
            var values = constructor.GetParameters().Select(p => type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)!.GetValue(sample)).ToArray();
            foreach (var (parameter, index) in constructor.GetParameters().Select((p, i) => (p, i)))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
                var member = schema["properties"]![name]!.AsObject();
                var withNull = (object[])values.Clone();
                withNull[index] = null!;
                var refusedWhenMissing = (ValidationErrors(constructor.Invoke(withNull)).ContainsKey(name) && !requiredWithAnother.Contains((type, name)))
                    || refusedByRule.Contains((type, name));
                refusedWhenMissing.ShouldBe(required.Contains(name), $"{type.Name}.{name}: required in the document, refused when missing");
                if (required.Contains(name))
                {
                    (member["nullable"]?.GetValue<bool>() ?? false).ShouldBeFalse($"{type.Name}.{name} is required and not nullable");
                }
                // A member with a pattern (a reporting period) takes no text of any letters at its length.
                if (parameter.ParameterType == typeof(string) && member["enum"] is null && member["pattern"] is null && member["maxLength"] is { } max)
                {
                    var longest = (object[])values.Clone();
                    longest[index] = new string('a', max.GetValue<int>());
                    ValidationErrors(constructor.Invoke(longest)).ContainsKey(name).ShouldBeFalse($"{type.Name}.{name} at its maxLength");
                    longest[index] = new string('a', max.GetValue<int>() + 1);
                    ValidationErrors(constructor.Invoke(longest)).ContainsKey(name).ShouldBeTrue($"{type.Name}.{name} past its maxLength");
                }
                checkedMembers++;
            }
        }
        checkedMembers.ShouldBeGreaterThan(50);
    }

    private static IReadOnlyDictionary<string, string[]> ValidationErrors(object command)
    {
        var errors = new FieldErrors();
        command.GetType().GetMethod("Validate", [typeof(FieldErrors)])!.Invoke(command, [errors]);
        return errors.ToDictionary();
    }

    [Fact]
    public async Task Ids_are_uuids_dates_are_dates_and_instants_date_times()
    {
        var doc = await Document();
        foreach (var (path, method, operation) in Operations(doc))
        {
            // A subject is addressed by its pseudonym (stated by a pattern).
            foreach (var parameter in (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "path" && p["name"]!.GetValue<string>() != "name"
                && p["schema"]?["pattern"]?.GetValue<string>() != SubjectDirectory.PseudonymPattern))
            {
                parameter!["schema"]!["format"]!.GetValue<string>().ShouldBe("uuid", $"{method} {path} {parameter["name"]}");
            }
        }
        var schemas = doc["components"]!["schemas"]!;
        schemas["RecordRevisionLesson"]!["properties"]!["measureId"]!["format"]!.GetValue<string>().ShouldBe("uuid");
        schemas["StartPilot"]!["properties"]!["start"]!["format"]!.GetValue<string>().ShouldBe("date");
        schemas["MeasureState"]!["properties"]!["proposedAt"]!["format"]!.GetValue<string>().ShouldBe("date-time");
    }

    [Fact]
    public async Task Answers_mark_what_is_always_there_as_required_and_what_can_be_null_as_nullable()
    {
        var schemas = (await Document())["components"]!["schemas"]!;
        var measure = schemas["MeasureState"]!.AsObject();
        var required = measure["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        // Nulls are written (not left out), so every member is there, null or not.
        required.ShouldBe(measure["properties"]!.AsObject().Select(p => p.Key), ignoreOrder: true);
        foreach (var nullable in new[] { "budget", "pilot", "outcome", "description" })
        {
            measure["properties"]![nullable]!["nullable"]!.GetValue<bool>().ShouldBeTrue(nullable);
        }
        (measure["properties"]!["title"]!["nullable"]?.GetValue<bool>() ?? false).ShouldBeFalse();
        schemas["IntegrityReport"]!["properties"]!["firstMismatch"]!["nullable"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Stages_are_the_values_the_wire_carries()
    {
        var stages = (await Document())["components"]!["schemas"]!["MeasureStage"]!["enum"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        stages.ShouldBe(Enum.GetValues<MeasureStage>().Select(s => JsonSerializer.SerializeToNode(s, ApiJson.Options)!.GetValue<string>()));
        var created = await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>();
        var read = await (await api.Client.GetAsync($"/api/measures/{created.MeasureId}")).Json();
        stages.ShouldContain(read.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Every_error_is_a_typed_problem_and_a_stale_If_Match_states_the_current_version()
    {
        var doc = await Document();
        foreach (var (path, method, each) in Operations(doc))
        {
            foreach (var (status, response) in each["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?[Problems.ContentType]?["schema"]?["$ref"]?.GetValue<string>();
                schema.ShouldNotBeNull($"{method} {path} {status} is no problem");
            }
        }
        var stale = operation("/api/measures/{id}/start-pilot")["responses"]!["412"]!["content"]![Problems.ContentType]!["schema"]!;
        var typed = Resolve(doc, stale);
        var extension = typed["allOf"]!.AsArray().Select(p => p!.AsObject()).Single(p => p["properties"] is not null);
        extension["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain("currentVersion");
        typed["allOf"]!.AsArray().ShouldContain(p => p!["$ref"] != null && p["$ref"]!.GetValue<string>().EndsWith("/Problem"));

        var conflict = Resolve(doc, operation("/api/measures/{id}/start-pilot")["responses"]!["409"]!["content"]![Problems.ContentType]!["schema"]!);
        var members = conflict["allOf"]!.AsArray().SelectMany(p => p!["properties"]?.AsObject().Select(m => m.Key) ?? []).ToList();
        members.ShouldContain("allowedCommands");
        members.ShouldContain("openPhaseId");

        JsonObject operation(string path) => doc["paths"]![path]!["post"]!.AsObject();
    }

    [Fact]
    public async Task Every_answer_declares_its_headers_and_public_reads_their_401()
    {
        var doc = await Document();
        foreach (var (path, method, operation) in Operations(doc))
        {
            var responses = operation["responses"]!.AsObject();
            responses.ContainsKey("401").ShouldBeTrue($"{method} {path} documents no 401");
            responses.ContainsKey("500").ShouldBeTrue($"{method} {path} documents no 500");
            if (!path.Contains('{'))
            {
                responses.ContainsKey("404").ShouldBeFalse($"{method} {path} cannot answer 404");
            }
            foreach (var (status, response) in responses)
            {
                var headers = response!["headers"]?.AsObject().Select(h => h.Key).ToList() ?? [];
                headers.ShouldContain("RateLimit-Policy", $"{method} {path} {status}");
                headers.ShouldContain("RateLimit", $"{method} {path} {status}");
                if (status is "429" or "503")
                {
                    headers.ShouldContain("Retry-After", $"{method} {path} {status}");
                }
                if (status == "401")
                {
                    headers.ShouldContain("WWW-Authenticate", $"{method} {path}");
                }
                if (status == "201")
                {
                    headers.ShouldContain("Location", $"{method} {path}");
                }
                if (status[0] == '2' && method == "post" && operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == IdempotencyRequest.Header) == true)
                {
                    headers.ShouldContain(IdempotencyRequest.ReplayedHeader, $"{method} {path} {status}");
                    // A command on one stream (named in the path, or started: 201) answers its version; a batch each item's, in its body.
                    if (path.Contains('{') || status == "201")
                    {
                        headers.ShouldContain("ETag", $"{method} {path} {status}");
                    }
                    else
                    {
                        headers.ShouldNotContain("ETag", $"{method} {path} {status}");
                    }
                }
                foreach (var (type, media) in response["content"]?.AsObject().Where(c => c.Key.StartsWith("text/csv")) ?? [])
                {
                    media!["schema"]!["type"]!.GetValue<string>().ShouldBe("string", $"{method} {path} {status}");
                }
            }
            if (operation["requestBody"] is { } body)
            {
                // JSON commands, or a file (imports): every media type the body may be sent as has an example.
                body["content"]!.AsObject().ShouldAllBe(c => c.Value!["example"] != null, $"{method} {path} has no request example");
            }
            operation["description"]!.GetValue<string>().ShouldContain(' ', customMessage: $"{method} {path}");
        }
        doc["paths"]!["/api/dashboard/funnel"]!["get"]!["responses"]!["200"]!["headers"]!.AsObject().ContainsKey("X-Event-Sequence").ShouldBeTrue();
        doc["servers"]!.AsArray().Count.ShouldBe(1);

        // A public read refuses bad credentials, as documented.
        var catalog = await api.WithApiKey("not-a-key").GetAsync("/api/catalog");
        catalog.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
