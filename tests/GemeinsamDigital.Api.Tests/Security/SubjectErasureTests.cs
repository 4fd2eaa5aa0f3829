using System.Net;
using System.Net.Http.Json;
using System.Text;
using GemeinsamDigital.Api.Tests.Http;
using GemeinsamDigital.Api.Tests.Imports;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Security;

/// <summary>
/// Who acts is recorded under a pseudonym; the strategy office can erase the identity behind it,
/// after which nothing in the database, the exports or the log names the person, and every chain
/// still verifies.
/// </summary>
public class SubjectErasureTests(LogCapturingApiFixture api) : IClassFixture<LogCapturingApiFixture>
{
    private const string Name = "Erika Zauberwald-Testperson";
    private const string Sub = "erika.zauberwald-7f3a9c";

    private HttpClient Erika() => api.WithBearer(api.Tokens.Create(Sub, StrategyCatalog.SenateChancellery, [Roles.StrategyOffice], name: Name));

    private async Task<List<MeasureEventView>> History(Guid id) =>
        [.. (await (await api.ClientFor("skzl", Roles.Auditor).GetAsync($"/api/measures/{id}/history?limit=1000")).Read<HistoryPage>()).Items];

    private static Task<HttpResponseMessage> Erase(HttpClient client, string id, string? reason)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/subjects/{id}/erase");
        if (reason is not null)
        {
            request.Headers.Add(CommandMetadata.ReasonHttpHeader, Uri.EscapeDataString(reason));
        }
        return client.SendAsync(request);
    }

    [Fact]
    public async Task An_erased_subject_leaves_no_trace_and_every_chain_still_verifies()
    {
        // Erika acts: proposes, changes with a reason and an Idempotency-Key, imports a measure.
        var erika = Erika();
        var driver = new MeasureDriver(erika);
        var measure = await driver.Propose();
        var step = new HttpRequestMessage(HttpMethod.Post, MeasureDriver.Url<UnderstandProblem>(measure))
        {
            Content = JsonContent.Create(SampleCommands.UnderstandProblem(), options: HttpExtensions.JsonOptions),
        };
        step.Headers.Add("Idempotency-Key", "erika-step-1");
        step.Headers.Add(CommandMetadata.ReasonHttpHeader, "Begehung ausgewertet");
        (await erika.SendAsync(step)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var import = await ImportTests.ImportAsync(erika,
            new StringContent(ImportFiles.JsonLines([ImportFiles.Row("ERIKA", 1, MeasureStage.Idea)]), Encoding.UTF8, "application/jsonl"));
        var imported = await ImportedMeasureAsync(import);
        // Someone else acts on the same measure.
        await new MeasureDriver(api.Client).Send(measure, SampleCommands.DefineGoals());

        // Before: history readers see her pseudonym and her name.
        var before = await History(measure);
        var pseudonym = before[0].Actor.ShouldNotBeNull();
        pseudonym.ShouldMatch("^subj_[A-Za-z0-9_-]{22}$");
        before.Take(2).ShouldAllBe(e => e.Actor == pseudonym && e.ActorName == Name);
        before[2].ShouldSatisfyAllConditions(e => e.Actor.ShouldNotBe(pseudonym), e => e.ActorName.ShouldBe(ApiFixture.DefaultActor));
        (await History(imported)).ShouldAllBe(e => e.Actor == pseudonym && e.ActorName == Name);

        // The office finds and reads the subject.
        var found = await (await api.Client.PostAsJsonAsync("/api/admin/subjects/lookup", new FindSubject(Sub, TestTokens.Issuer))).Read<SubjectView>();
        (found.Id, found.Name, found.Erased).ShouldBe((pseudonym, Name, false));
        (await (await api.Client.GetAsync($"/api/admin/subjects/{pseudonym}")).Read<SubjectView>()).Name.ShouldBe(Name);

        // Refusals: no reason, not the office, unknown pseudonym.
        await (await Erase(api.Client, pseudonym, null)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", CommandMetadata.ReasonErrorKey);
        (await Erase(api.ClientFor("skzl", Roles.Auditor), pseudonym, "Antrag")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await Erase(api.Client, "subj_AAAAAAAAAAAAAAAAAAAAAA", "Antrag")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subject-not-found");

        var erased = await Erase(api.Client, pseudonym, "Antrag auf Löschung nach Art. 17 DSGVO");
        erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        var answer = await erased.Read<SubjectErasedView>();
        (answer.Subject.Id, answer.Subject.Erased, answer.Subject.Name).ShouldBe((pseudonym, true, null));
        await (await Erase(api.Client, pseudonym, "noch einmal")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "subject-erased");
        (await (await api.Client.GetAsync($"/api/admin/subjects/{pseudonym}")).Read<SubjectView>()).ShouldSatisfyAllConditions(
            s => s.Erased.ShouldBeTrue(), s => s.Name.ShouldBeNull(), s => s.ErasedAt.ShouldNotBeNull());
        (await api.Client.PostAsJsonAsync("/api/admin/subjects/lookup", new FindSubject(Sub, TestTokens.Issuer))).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // After: the pseudonym stays, the name is gone, in history, events and the change feed.
        var after = await History(measure);
        after.Select(e => e.Hash).ShouldBe(before.Select(e => e.Hash));
        after.Take(2).ShouldAllBe(e => e.Actor == pseudonym && e.ActorName == null);
        after[2].ActorName.ShouldBe(ApiFixture.DefaultActor);
        var events = await (await api.Client.GetAsync($"/api/measures/{imported}/events")).Read<ItemList<MeasureEventView>>();
        events.Items.ShouldAllBe(e => e.Actor == pseudonym && e.ActorName == null);
        var feed = (await (await api.ClientFor("skzl", Roles.Auditor).GetAsync("/api/changes?limit=1000")).Json()).GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("actor").GetString() == pseudonym).ToList();
        feed.Count.ShouldBe(3);
        feed.ShouldAllBe(c => c.GetProperty("actorName").ValueKind == System.Text.Json.JsonValueKind.Null);

        // Every chain still verifies, in the service and offline.
        foreach (var id in (Guid[])[measure, imported])
        {
            (await (await api.Client.GetAsync($"/api/measures/{id}/integrity")).Read<IntegrityReport>()).Intact.ShouldBeTrue();
            var bundle = await (await api.Client.GetAsync($"/api/measures/{id}/export")).Content.ReadAsByteArrayAsync();
            AuditBundle.Verify(bundle).Valid.ShouldBeTrue();
            ShouldNotName(Encoding.UTF8.GetString(bundle), $"export of {id}");
        }

        // Nowhere in the database (events, documents, every other table), nor in the log.
        var audit = await TextOfEveryRowAsync();
        audit.ShouldContain(t => t.Text.Contains("Begehung ausgewertet"), "the scan reads the events' headers");
        audit.ShouldContain(t => t.Text.Contains("erika-step-1"), "the scan reads the documents");
        foreach (var (table, text) in audit)
        {
            ShouldNotName(text, table);
        }
        audit.Where(t => t.Table.EndsWith("mt_events", StringComparison.Ordinal)).ShouldContain(t => t.Text.Contains("subject-erased") && t.Text.Contains(pseudonym));
        api.Logs.Entries.ShouldNotBeEmpty();
        foreach (var entry in api.Logs.Entries)
        {
            ShouldNotName(entry.Message + entry.Exception, $"log {entry.Category}");
        }

        // Acting again, she is a new subject: nothing links her to the erased pseudonym.
        var again = await new MeasureDriver(Erika()).Propose();
        var fresh = (await History(again)).Single();
        fresh.Actor.ShouldNotBe(pseudonym);
        fresh.ActorName.ShouldBe(Name);
    }

    [Fact]
    public async Task Concurrent_first_commands_of_one_subject_agree_on_one_pseudonym()
    {
        var token = api.Tokens.Create("first-sight-" + Guid.NewGuid().ToString("N"), StrategyCatalog.SenateChancellery, [Roles.StrategyOffice]);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => new MeasureDriver(api.WithBearer(token)).Propose()));
        var actors = new HashSet<string?>();
        foreach (var id in ids)
        {
            actors.Add((await History(id)).Single().Actor);
        }
        actors.ShouldHaveSingleItem().ShouldNotBeNull().ShouldStartWith(SubjectDirectory.Prefix);
    }

    [Fact]
    public async Task Reads_need_the_strategy_office_and_name_no_unknown_subject()
    {
        (await api.ClientFor("skzl", Roles.Auditor).GetAsync("/api/admin/subjects/subj_AAAAAAAAAAAAAAAAAAAAAA")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await api.Client.GetAsync("/api/admin/subjects/subj_AAAAAAAAAAAAAAAAAAAAAA")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subject-not-found");
        await (await api.Client.GetAsync("/api/admin/subjects/key%3Adev-editor")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subject-not-found");
        await (await api.Client.PostAsJsonAsync("/api/admin/subjects/lookup", new { issuer = "x" })).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "subject");
    }

    private async Task<Guid> ImportedMeasureAsync(System.Text.Json.JsonElement import)
    {
        var rows = await (await api.Client.GetAsync($"/api/imports/{import.GetProperty("id").GetGuid()}/rows")).Json();
        return rows.GetProperty("items")[0].GetProperty("measureId").GetGuid();
    }

    private static void ShouldNotName(string text, string where)
    {
        text.ShouldNotContain(Name, Case.Insensitive, where);
        text.ShouldNotContain(Sub, Case.Insensitive, where);
    }

    /// <summary>Every row of every table of the service's database as text (bytea columns as hex and as text).</summary>
    private async Task<List<(string Table, string Text)>> TextOfEveryRowAsync()
    {
        var result = new List<(string, string)>();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        tables.ShouldContain(t => t.EndsWith("mt_events", StringComparison.Ordinal));
        tables.ShouldContain(t => t.Contains("mt_doc_importjob", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"select row_to_json(t)::text from {table} t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var json = reader.GetString(0);
                result.Add((table, json));
                // bytea columns appear as \x…: their bytes as text too.
                foreach (System.Text.RegularExpressions.Match hex in System.Text.RegularExpressions.Regex.Matches(json, @"\\\\x([0-9a-f]+)"))
                {
                    result.Add((table, Encoding.Latin1.GetString(Convert.FromHexString(hex.Groups[1].Value))));
                }
            }
        }
        return result;
    }
}
