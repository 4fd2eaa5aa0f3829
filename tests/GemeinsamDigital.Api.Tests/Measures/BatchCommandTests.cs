using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;
using Xunit.Abstractions;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// POST /api/measures/batch on a real PostgreSQL: every item runs through the command pipeline as a
/// request of its own and is answered on its own; an Idempotency-Key covers the whole batch, also
/// when a batch is retried after it stopped half-way.
/// </summary>
public class BatchCommandTests(PooledApiFixture api, ITestOutputHelper output) : IClassFixture<PooledApiFixture>
{
    private const string Url = "/api/measures/batch";
    private const string Lead = SampleCommands.Lead;
    private const string OtherLead = "ba-mitte";

    /// <summary>A client that waits as long as a thousand commands may take on a loaded machine.</summary>
    private static HttpClient Patient(HttpClient client)
    {
        client.Timeout = TimeSpan.FromMinutes(10);
        return client;
    }

    private static JsonElement Body(object command) => JsonSerializer.SerializeToElement(command, command.GetType(), HttpExtensions.JsonOptions);

    private static BatchItem Item<TCommand>(Guid id, TCommand command, string? ifMatch = null) where TCommand : IMeasureCommand =>
        new(id, TCommand.Name, Body(command), ifMatch);

    private static Task<HttpResponseMessage> Send(HttpClient client, IEnumerable<BatchItem?> items, string? key = null, string? reason = null,
        string? correlationId = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = JsonContent.Create(new CommandBatch([.. items]), options: HttpExtensions.JsonOptions),
        };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyRequest.Header, key);
        }
        if (reason is not null)
        {
            request.Headers.Add(CommandMetadata.ReasonHttpHeader, reason);
        }
        if (correlationId is not null)
        {
            request.Headers.Add(CommandMetadata.CorrelationHttpHeader, correlationId);
        }
        return client.SendAsync(request, ct);
    }

    private static async Task<BatchAnswer> Answered(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<BatchAnswer>();
    }

    /// <summary>Measures proposed in one batch by the strategy office, one per lead given.</summary>
    private async Task<List<Guid>> Propose(IEnumerable<string> leads)
    {
        var answer = await Answered(await Send(api.Client, leads.Select((lead, n) =>
            new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose(lead, $"Stapel {Guid.NewGuid():N} {n}")), null))));
        answer.Items.ShouldAllBe(i => i.Status == 201 && i.Version == 1 && i.Location == $"/api/measures/{i.MeasureId}");
        return [.. answer.Items.Select(i => i.MeasureId!.Value)];
    }

    // Not Marten's tombstones: where its high water mark skips a gap (a command cut off by the
    // dropped connection rolled back), it fills the gap with one, seconds later.
    private async Task<long> EventCount()
    {
        await using var session = api.Store.QuerySession();
        return (await session.QueryAsync<long>("select count(*) from gd.mt_events where type <> 'tombstone'")).Single();
    }

    private async Task<IReadOnlyList<string>> EventTypes(Guid id)
    {
        await using var session = api.Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(id)).Select(e => e.EventTypeName)];
    }

    private static string ProblemType(BatchItemAnswer item) =>
        item.Problem!.Value.GetProperty("type").GetString()![Problems.TypeBase.Length..];

    /// <summary>What one measure of the lead's gets in the big batch, in order, with the answer each step must get.</summary>
    private static IEnumerable<(BatchItem Item, int Status, string? Problem, long? Version)> Steps(Guid id, int n)
    {
        yield return (Item(id, SampleCommands.UnderstandProblem(), ifMatch: ETags.For(1)), 200, null, 2);
        yield return (Item(id, SampleCommands.StartPilot()), 409, "transition-not-allowed", null);
        yield return (Item(id, SampleCommands.DefineGoals()), 200, null, 3);
        yield return (Item(id, new AmendDetails($"Titel {n}", null, null)), 200, null, 4);
        yield return (Item(id, new AmendDetails($"Titel {n}", null, null)), 422, "rule-violated", null);
        yield return (Item(id, new AmendDetails($"Anderer Titel {n}", null, null), ifMatch: ETags.For(2)), 412, "stale-version", null);
        yield return (Item(id, SampleCommands.Mandate()), 403, "command-not-permitted", null);
        yield return (Item(id, new AssignExternalId($"BA-CW-{n:D4}"), ifMatch: ETags.For(4)), 200, null, 5);
        yield return (Item(id, new ChangeTeam([Lead], null)), 422, "rule-violated", null);
        yield return (Item(id, SampleCommands.ChangeTeam()), 200, null, 6);
    }

    [Fact]
    public async Task A_thousand_commands_apply_every_legal_one_once_and_answer_every_illegal_one_on_its_own()
    {
        // 90 measures of the editor's administration, 10 of another's, each sent ten steps; the steps of
        // all measures interleave, as a client syncing its list would send them.
        var own = await Propose(Enumerable.Repeat(Lead, 90));
        var others = await Propose(Enumerable.Repeat(OtherLead, 10));
        var planned = own.Select((id, n) => Steps(id, n).ToList())
            .Concat(others.Select((id, n) => Steps(id, 1000 + n).Select(s => s with { Status = 403, Problem = "measure-forbidden", Version = null }).ToList()))
            .ToList();
        var items = Enumerable.Range(0, 10).SelectMany(step => planned.Select(steps => steps[step])).ToList();
        items.Count.ShouldBe(CommandBatch.MaxItems);
        var editor = Patient(api.ClientFor(Lead, Roles.Editor));
        var before = await EventCount();

        var clock = Stopwatch.StartNew();
        var response = await Send(editor, items.Select(i => i.Item), key: "sync-1000", reason: "Abgleich%20mit%20dem%20Fachverfahren", correlationId: "sync-1000");
        var answer = await Answered(response);
        output.WriteLine($"1,000 items: {clock.ElapsedMilliseconds} ms");

        response.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();
        response.Headers.ETag.ShouldBeNull();
        response.Headers.GetValues(CommandMetadata.CorrelationHttpHeader).ShouldBe(["sync-1000"]);
        answer.Items.Count.ShouldBe(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (item, status, problem, version) = items[i];
            var got = answer.Items[i];
            var text = $"item {i} ({item.Command}): {got.Status} {got.Problem}";
            (got.Index, got.MeasureId, got.Command, got.Status, got.Version).ShouldBe((i, item.MeasureId, item.Command, status, version), text);
            if (problem is null)
            {
                got.Problem.ShouldBeNull(text);
                got.Result!.Value.GetProperty("version").GetInt64().ShouldBe(version!.Value, text);
            }
            else
            {
                got.Result.ShouldBeNull(text);
                ProblemType(got).ShouldBe(problem, text);
                got.Problem!.Value.GetProperty("status").GetInt32().ShouldBe(status, text);
                got.Problem!.Value.GetProperty("correlationId").GetString().ShouldBe("sync-1000", text);
            }
        }
        answer.Counts.ShouldBe(new BatchCounts(90 * 5, 90 * 5 + 10 * 10));

        // Each legal step once, nothing else: five events on each own measure, none on the others'.
        (await EventCount()).ShouldBe(before + 90 * 5);
        foreach (var id in own)
        {
            (await EventTypes(id)).ShouldBe(["measure-proposed.v2", "problem-understood", "goals-defined", "details-amended", "external-id-assigned", "team-changed"]);
        }
        foreach (var id in others)
        {
            (await EventTypes(id)).ShouldBe(["measure-proposed.v2"]);
        }
        var events = await new MeasureDriver(api.Client).Events(own[17]);
        events.Skip(1).ShouldAllBe(e => e.Reason == "Abgleich mit dem Fachverfahren" && e.CorrelationId == "sync-1000" && e.ActorName == $"test:{Lead}:{Roles.Editor}");

        // The same batch again with its key: the first answer byte for byte, nothing recorded.
        var first = await response.Content.ReadAsStringAsync();
        clock.Restart();
        var again = await Send(editor, items.Select(i => i.Item), key: "sync-1000", reason: "Abgleich%20mit%20dem%20Fachverfahren", correlationId: "sync-1000");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        output.WriteLine($"replayed: {clock.ElapsedMilliseconds} ms");
        again.Headers.GetValues(IdempotencyRequest.ReplayedHeader).ShouldBe(["true"]);
        (await again.Content.ReadAsStringAsync()).ShouldBe(first);
        (await EventCount()).ShouldBe(before + 90 * 5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(CommandBatch.MaxItems + 1)]
    public async Task A_batch_of_no_items_or_more_than_a_thousand_is_refused_whole(int count)
    {
        var id = (await Propose([Lead]))[0];
        var before = await EventCount();
        var items = Enumerable.Range(0, count).Select(n => Item(id, new AmendDetails($"Titel {n}", null, null)));
        var problem = await (await Send(api.Client, items)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "items");
        problem.GetProperty("errors").GetProperty("items")[0].GetString()!.ShouldContain(count.ToString());
        (await EventCount()).ShouldBe(before);
    }

    [Theory]
    [InlineData("", "missing-body")]
    [InlineData("{}", "validation")]
    [InlineData("{\"items\":null}", "validation")]
    [InlineData("{\"items\":{}}", "validation")]
    [InlineData("{\"items\":[],\"more\":1}", "validation")]
    [InlineData("{\"items\":[{\"command\":\"withdraw\",\"measureId\":\"no-uuid\",\"body\":{}}]}", "validation")]
    [InlineData("{\"items\":[{\"command\":\"withdraw\",\"unknown\":1}]}", "validation")]
    public async Task A_malformed_envelope_is_refused_whole_and_runs_nothing(string body, string type)
    {
        var before = await EventCount();
        var response = await api.Client.PostRaw(Url, body);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe(Problems.TypeBase + type);
        (await EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Malformed_items_get_their_own_400_and_the_others_run()
    {
        var id = (await Propose([Lead]))[0];
        var before = await EventCount();
        var withdraw = Body(SampleCommands.Withdraw());
        var body = $$$"""
            {"items": [
              {"command": "teleport", "measureId": "{{{id}}}", "body": {}},
              {"measureId": "{{{id}}}", "body": {}},
              {"command": "withdraw", "body": {{{withdraw}}}},
              {"command": "withdraw", "measureId": "{{{id}}}"},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": null},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": [1, 2]},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": {"reason": 42}},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": {"reason": "Doppelt.", "typo": true}},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": {"reason": ""}},
              {"command": "withdraw", "measureId": "{{{id}}}", "body": {{{withdraw}}}, "ifMatch": "W/\"1\""},
              {"command": "propose", "measureId": "{{{id}}}", "body": {{{Body(SampleCommands.Propose())}}}},
              {"command": "propose", "ifMatch": "\"1\"", "body": {{{Body(SampleCommands.Propose())}}}},
              null,
              {"command": "amend-details", "measureId": "{{{id}}}", "body": {"title": "Neuer Titel", "problemStatement": null, "description": null}}
            ]}
            """;
        var response = await api.Client.PostRaw(Url, body);
        var answer = await Answered(response);

        (string Type, string? Field)[] expected =
        [
            ("validation", "command"), ("validation", "command"), ("validation", "measureId"), ("missing-body", null), ("missing-body", null),
            ("malformed-json", null), ("validation", "reason"), ("validation", "typo"), ("validation", "reason"), ("validation", "if-match"),
            ("validation", "measureId"), ("validation", "ifMatch"), ("validation", "command"),
        ];
        answer.Items.Count.ShouldBe(expected.Length + 1);
        foreach (var (item, (type, field)) in answer.Items.Zip(expected))
        {
            var text = $"item {item.Index}: {item.Problem}";
            item.Status.ShouldBe(400, text);
            ProblemType(item).ShouldBe(type, text);
            if (field is not null)
            {
                item.Problem!.Value.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
            }
        }
        answer.Items[0].Problem!.Value.GetProperty("instance").GetString().ShouldBe(Url);
        answer.Items[6].Problem!.Value.GetProperty("instance").GetString().ShouldBe($"/api/measures/{id}/withdraw");
        answer.Items[^1].Status.ShouldBe(200);
        answer.Items[^1].Version.ShouldBe(2);
        answer.Counts.ShouldBe(new BatchCounts(1, expected.Length));
        (await EventCount()).ShouldBe(before + 1);
    }

    [Fact]
    public async Task An_editor_proposes_only_for_its_own_administration_item_by_item()
    {
        var editor = api.ClientFor(Lead, Roles.Editor);
        var answer = await Answered(await Send(editor,
        [
            new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose(OtherLead)), null),
            new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose(Lead)), null),
        ]));
        (answer.Items[0].Status, ProblemType(answer.Items[0]), answer.Items[0].MeasureId).ShouldBe((403, "proposal-forbidden", null));
        answer.Items[1].Status.ShouldBe(201);
        answer.Items[1].Location.ShouldBe($"/api/measures/{answer.Items[1].MeasureId}");
        (await new MeasureDriver(api.Client).Read(answer.Items[1].MeasureId!.Value)).Lead.ShouldBe(Lead);
    }

    [Fact]
    public async Task Roles_that_may_not_run_commands_may_not_send_a_batch()
    {
        var id = (await Propose([Lead]))[0];
        var before = await EventCount();
        await (await Send(api.ClientFor("skzl", Roles.Auditor), [Item(id, SampleCommands.Withdraw())])).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await Send(api.AnonymousClient(), [Item(id, SampleCommands.Withdraw())])).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task The_same_key_with_another_batch_is_422_and_a_batch_that_recorded_nothing_is_not_remembered()
    {
        var id = (await Propose([Lead]))[0];
        (await Answered(await Send(api.Client, [Item(id, new AmendDetails("Erster Titel", null, null))], key: "batch-a"))).Counts.Succeeded.ShouldBe(1);
        await (await Send(api.Client, [Item(id, new AmendDetails("Zweiter Titel", null, null))], key: "batch-a"))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");

        // Refused throughout: nothing recorded, nothing remembered, so the same key runs it again.
        var refused = await Answered(await Send(api.Client, [Item(id, SampleCommands.StartPilot())], key: "batch-b"));
        refused.Counts.ShouldBe(new BatchCounts(0, 1));
        var again = await Send(api.Client, [Item(id, SampleCommands.StartPilot())], key: "batch-b");
        again.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();
        (await Answered(again)).Items[0].Status.ShouldBe(409);
        (await EventTypes(id)).ShouldBe(["measure-proposed.v2", "details-amended"]);
    }

    /// <summary>
    /// Each item's answer is stored with its events: with the batch's own answer gone (as after a crash
    /// between the last item and the batch's answer), the retry answers every item from its record.
    /// Recording a measurement twice would record two: it is recorded once.
    /// </summary>
    [Fact]
    public async Task Without_the_batch_answer_a_retry_answers_each_item_from_its_own_record()
    {
        var id = await new MeasureDriver(api.Client).ProposeIn(MeasureStage.Pilot);
        var before = (await EventTypes(id)).Count;
        BatchItem[] items =
        [
            Item(id, SampleCommands.RecordMeasurement()),
            Item(id, SampleCommands.RecordParticipation()),
            Item(id, SampleCommands.RescheduleMilestone()),
            Item(id, SampleCommands.StartPilot()),
        ];
        var first = await Send(api.Client, items, key: "records");
        var firstAnswer = await Answered(first);
        firstAnswer.Counts.ShouldBe(new BatchCounts(3, 1));

        await using (var session = api.Store.LightweightSession())
        {
            (await session.Query<IdempotencyRecord>().CountAsync(r => r.Key.StartsWith("records"))).ShouldBe(4);
            session.DeleteWhere<IdempotencyRecord>(r => r.Key == "records");
            await session.SaveChangesAsync();
        }
        var retried = await Send(api.Client, items, key: "records");
        retried.Headers.Contains(IdempotencyRequest.ReplayedHeader).ShouldBeFalse();
        var answer = await Answered(retried);
        answer.Items.Select(i => (i.Status, i.Version, i.Result?.GetRawText())).ShouldBe(firstAnswer.Items.Select(i => (i.Status, i.Version, i.Result?.GetRawText())));
        (await EventTypes(id)).Count.ShouldBe(before + 3);

        // Its answer is remembered again: the next retry is the stored answer.
        var third = await Send(api.Client, items, key: "records");
        third.Headers.GetValues(IdempotencyRequest.ReplayedHeader).ShouldBe(["true"]);
        (await third.Content.ReadAsStringAsync()).ShouldBe(await retried.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A batch the client gave up on half-way (the connection dropped) and sent again with its key:
    /// the items that were recorded are answered from their records, the rest run; the end state is
    /// that of one uninterrupted run, each step once.
    /// </summary>
    [Fact]
    public async Task A_batch_stopped_half_way_and_retried_with_its_key_applies_every_step_once()
    {
        var ids = await Propose(Enumerable.Repeat(Lead, 100));
        var items = Enumerable.Range(0, 4).SelectMany(step => ids.Select((id, n) => step switch
        {
            0 => Item(id, SampleCommands.UnderstandProblem()),
            1 => Item(id, SampleCommands.DefineGoals()),
            2 => Item(id, new AmendDetails($"Halb {n}", null, null)),
            _ => Item(id, SampleCommands.Withdraw()),
        })).ToList();
        var before = await EventCount();

        using (var cancel = new CancellationTokenSource())
        {
            var sent = Send(Patient(api.CreateClient()), items, key: "half-way", ct: cancel.Token);
            while (await EventCount() < before + 50 && !sent.IsCompleted)
            {
                await Task.Delay(10);
            }
            await cancel.CancelAsync();
            try
            {
                await sent;
            }
            catch (OperationCanceledException)
            {
                // The client gave up.
            }
        }
        // Let the service notice the dropped connection and stop.
        long stopped;
        for (var seen = -1L; ; seen = stopped)
        {
            await Task.Delay(1000);
            stopped = await EventCount();
            if (stopped == seen)
            {
                break;
            }
        }
        output.WriteLine($"{stopped - before} of {items.Count} steps recorded before the retry");
        (stopped - before).ShouldBeInRange(50, items.Count - 1);

        var answer = await Answered(await Send(Patient(api.CreateClient()), items, key: "half-way"));
        answer.Items.ShouldAllBe(i => i.Status == 200);
        answer.Items.Select(i => i.Version).ShouldBe(Enumerable.Range(2, 4).SelectMany(v => ids.Select(_ => (long?)v)));
        (await EventCount()).ShouldBe(before + items.Count);
        foreach (var id in ids)
        {
            (await EventTypes(id)).ShouldBe(["measure-proposed.v2", "problem-understood", "goals-defined", "details-amended", "measure-withdrawn"]);
        }
    }

    [Fact]
    public async Task A_batch_counts_as_one_request_against_the_rate_limit()
    {
        var id = (await Propose([Lead]))[0];
        static int Remaining(HttpResponseMessage r) =>
            int.Parse(r.Headers.GetValues(ContractResponses.RateLimitHeader).Single().Split(";r=")[1].Split(';')[0]);
        var items = Enumerable.Range(0, 5).Select(n => Item(id, new AmendDetails($"Zählung {n}", null, null))).ToList();
        var client = api.CreateClient();
        var first = Remaining(await Send(client, items));
        var second = Remaining(await Send(client, items));
        (first - second).ShouldBe(1);
    }

    [Fact]
    public async Task The_batch_is_documented_with_its_items_bounds_example_and_answer()
    {
        var doc = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json();
        var post = doc.GetProperty("paths").GetProperty(Url).GetProperty("post");
        post.GetProperty("operationId").GetString().ShouldBe("runCommandBatch");
        var parameters = post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        parameters.ShouldBe([CommandMetadata.ReasonHttpHeader, CommandMetadata.CorrelationHttpHeader, IdempotencyRequest.Header], ignoreOrder: true);
        var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        example.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("command").GetString()).ShouldBe([ProposeMeasure.Name, UnderstandProblem.Name, StartPilot.Name]);

        var ok = post.GetProperty("responses").GetProperty("200");
        ok.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldEndWith("/BatchAnswer");
        var headers = ok.GetProperty("headers").EnumerateObject().Select(h => h.Name).ToList();
        headers.ShouldContain(IdempotencyRequest.ReplayedHeader);
        headers.ShouldNotContain("ETag");
        post.GetProperty("responses").TryGetProperty("409", out _).ShouldBeFalse();

        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var items = schemas.GetProperty("CommandBatch").GetProperty("properties").GetProperty("items");
        (items.GetProperty("minItems").GetInt32(), items.GetProperty("maxItems").GetInt32()).ShouldBe((1, CommandBatch.MaxItems));
        schemas.GetProperty("BatchItem").GetProperty("properties").GetProperty("command").GetProperty("enum").EnumerateArray().Select(c => c.GetString())
            .ShouldBe(CommandBatch.Commands);
        var answer = schemas.GetProperty("BatchItemAnswer").GetProperty("properties");
        answer.GetProperty("result").GetProperty("$ref").GetString().ShouldEndWith("/CommandAccepted");
        answer.GetProperty("problem").GetProperty("$ref").GetString().ShouldEndWith("/Problem");
    }

    [Fact]
    public async Task A_thousand_long_proposals_fit_the_batch_body_limit_and_no_other_endpoint_takes_them()
    {
        // A thousand proposals with texts of a real measure's length: several megabytes. Sent by an
        // editor for another administration, each is read whole and refused on its own, without writing.
        var text = string.Concat(Enumerable.Repeat("Lärm, Hitze und fehlende Sitzplätze prägen den Platz. ", 40));
        var items = Enumerable.Range(0, CommandBatch.MaxItems)
            .Select(n => new BatchItem(null, ProposeMeasure.Name, Body(SampleCommands.Propose(OtherLead, $"Lang {n}") with { ProblemStatement = text, Description = text }), null))
            .ToList();
        var json = JsonSerializer.Serialize(new CommandBatch(items), HttpExtensions.JsonOptions);
        var bytes = Encoding.UTF8.GetByteCount(json);
        bytes.ShouldBeGreaterThan(4 * 1024 * 1024);
        var editor = Patient(api.ClientFor(Lead, Roles.Editor));

        var answer = await Answered(await editor.PostRaw(Url, json));
        answer.Items.ShouldAllBe(i => i.Status == 403 && i.Problem!.Value.GetProperty("type").GetString() == Problems.TypeBase + "proposal-forbidden");
        await (await editor.PostRaw("/api/measures", json)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        var tooLarge = await editor.PostRaw(Url, json + new string(' ', 8 * 1024 * 1024 - bytes + 1));
        (await tooLarge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large")).GetProperty("limit").GetInt64().ShouldBe(8 * 1024 * 1024);
    }
}
