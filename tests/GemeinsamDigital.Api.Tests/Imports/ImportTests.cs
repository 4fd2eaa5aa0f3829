using System.Net;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Tests.Imports;

/// <summary>Imports over HTTP against PostgreSQL: upsert by external id, no-op re-imports, dry runs, rejected rows, who may import what.</summary>
public class ImportTests(PooledApiFixture api) : IClassFixture<PooledApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private static HttpContent Csv(string text) => new StringContent(text, new UTF8Encoding(false), "text/csv");

    internal static async Task<JsonElement> ImportAsync(HttpClient client, HttpContent content, HttpStatusCode? expected = null, string query = "")
    {
        var response = await client.PostAsync("/api/imports" + query, content);
        var body = await response.Json();
        if (expected is { } status)
        {
            response.StatusCode.ShouldBe(status, body.ToString());
        }
        response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted], body.ToString());
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return body;
        }
        response.Headers.Location!.ToString().ShouldBe($"/api/imports/{body.GetProperty("id").GetGuid()}");
        return await WaitAsync(client, response.Headers.Location.ToString());
    }

    internal static async Task<JsonElement> WaitAsync(HttpClient client, string location, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(10));
        while (true)
        {
            var job = await (await client.GetAsync(location)).Json();
            if (job.GetProperty("status").GetString() == "completed")
            {
                return job;
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Import not completed: {job}");
            }
            await Task.Delay(200);
        }
    }

    private static ImportCountsView Counts(JsonElement import) => import.GetProperty("counts").Deserialize<ImportCountsView>(HttpExtensions.JsonOptions)!;

    private sealed record ImportCountsView(int Create, int Update, int Unchanged, int Rejected, int Failed);

    private async Task<List<JsonElement>> RowsAsync(Guid importId, string? outcome = null)
    {
        var rows = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var found = await (await _client.GetAsync($"/api/imports/{importId}/rows?pageSize=200&page={page}" + (outcome is null ? "" : $"&outcome={outcome}"))).Json();
            rows.AddRange(found.GetProperty("items").EnumerateArray());
            if (page >= found.GetProperty("pageCount").GetInt32())
            {
                return rows;
            }
        }
    }

    private async Task<long> EventCountAsync()
    {
        await using var session = api.Store.QuerySession();
        // Not Marten's tombstones, which fill gaps in the sequence left by rolled-back appends, seconds later.
        return (await session.QueryAsync<long>("select count(*) from gd.mt_events where type <> 'tombstone'")).Single();
    }

    private async Task<List<MeasureState>> MeasuresAsync(string prefix)
    {
        await using var session = api.Store.QuerySession();
        return [.. await session.Query<MeasureState>().Where(m => m.ExternalId!.StartsWith(prefix + "-")).ToListAsync()];
    }

    [Fact]
    public async Task A_German_spreadsheet_creates_500_measures_in_their_stages_and_the_same_file_again_appends_nothing_and_20_edited_rows_exactly_their_events()
    {
        var rows = Enumerable.Range(1, 500).Select(i => ImportFiles.Row("DE", i)).ToList();
        var file = ImportFiles.GermanCsv(rows);
        var first = await ImportAsync(_client, Csv(file));
        Counts(first).ShouldBe(new ImportCountsView(500, 0, 0, 0, 0));
        first.GetProperty("processed").GetInt32().ShouldBe(500);

        var measures = (await MeasuresAsync("DE")).ToDictionary(m => m.ExternalId!);
        measures.Count.ShouldBe(500);
        for (var i = 1; i <= 500; i++)
        {
            var m = measures[$"DE-{i:D4}"];
            m.Stage.ShouldBe(ImportFiles.StageOf(i));
            m.Version.ShouldBe(ImportFiles.EventsFor(ImportFiles.StageOf(i)));
            m.Title.ShouldBe($"Grünfläche Nr. {i} in Köpenick: größer, schöner, übersichtlicher");
            m.Description.ShouldBe("Zeile 1 der Beschreibung\nZeile 2; mit Semikolon");
            m.Lead.ShouldBe(ImportFiles.Leads[i % ImportFiles.Leads.Length]);
            if (m.Stage >= MeasureStage.Mandated)
            {
                m.Budget!.Amount.ShouldBe(250000.50m);
            }
        }

        // Every event carries the import as correlation and the row in its reason.
        var importId = first.GetProperty("id").GetGuid();
        var events = await new MeasureDriver(_client).Events(measures["DE-0004"].Id);
        events.Count.ShouldBe(5);
        events.ShouldAllBe(e => e.CorrelationId == importId.ToString("D") && e.Reason == $"Import {importId:D}, row 5");

        var before = await EventCountAsync();
        var again = await ImportAsync(_client, Csv(file));
        Counts(again).ShouldBe(new ImportCountsView(0, 0, 500, 0, 0));
        (await EventCountAsync()).ShouldBe(before);

        // 10 titles amended (one event each), 10 measures one step further (one event each).
        var edited = rows.Select(r => new Dictionary<string, string>(r)).ToList();
        for (var i = 0; i < 10; i++)
        {
            edited[100 + i][ImportColumns.Title] = $"Neuer Titel {i}: Straßenbäume";
        }
        var advanced = Enumerable.Range(0, 500).Where(i => ImportFiles.StageOf(i + 1) == MeasureStage.Idea).Take(10).ToList();
        foreach (var i in advanced)
        {
            edited[i] = ImportFiles.Row("DE", i + 1, MeasureStage.ProblemUnderstood);
        }
        var editedFile = ImportFiles.GermanCsv(edited);

        var plan = await ImportAsync(_client, Csv(editedFile), HttpStatusCode.OK, "?dryRun=true");
        plan.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        Counts(plan).ShouldBe(new ImportCountsView(0, 20, 480, 0, 0));
        (await EventCountAsync()).ShouldBe(before);
        var planned = plan.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "update")
            .ToDictionary(r => r.GetProperty("row").GetInt32(), r => string.Join(",", r.GetProperty("commands").Deserialize<string[]>()!));
        planned[102].ShouldBe(AmendDetails.Name);
        planned[advanced[0] + 2].ShouldBe(UnderstandProblem.Name);

        var real = await ImportAsync(_client, Csv(editedFile));
        Counts(real).ShouldBe(new ImportCountsView(0, 20, 480, 0, 0));
        (await EventCountAsync()).ShouldBe(before + 20);
        var done = (await RowsAsync(real.GetProperty("id").GetGuid(), "update"))
            .ToDictionary(r => r.GetProperty("row").GetInt32(), r => string.Join(",", r.GetProperty("commands").Deserialize<string[]>()!));
        done.OrderBy(d => d.Key).ShouldBe(planned.OrderBy(p => p.Key));
        (await MeasuresAsync("DE")).Single(m => m.ExternalId == "DE-0101").Title.ShouldBe("Neuer Titel 0: Straßenbäume");
    }

    [Fact]
    public async Task Malformed_rows_are_rejected_with_their_row_numbers_and_the_rest_are_imported()
    {
        var columns = ImportColumns.All.Select(c => c.Name).Append("bemerkung").ToList();
        var good = ImportFiles.Row("BAD", 1, MeasureStage.Idea);
        var badCode = ImportFiles.Row("BAD", 2, MeasureStage.Idea);
        badCode[ImportColumns.Type] = "quantencomputer";
        var noTitle = ImportFiles.Row("BAD", 3, MeasureStage.Idea);
        noTitle[ImportColumns.Title] = "";
        var unknownColumn = ImportFiles.Row("BAD", 5, MeasureStage.Idea);
        unknownColumn["bemerkung"] = "nicht im Format";
        var badGoals = ImportFiles.Row("BAD", 6, MeasureStage.GoalsDefined);
        badGoals[ImportColumns.Indicators] = "[{\"code\": \"x\"";
        var alsoGood = ImportFiles.Row("BAD", 7, MeasureStage.ProblemUnderstood);
        var text = ImportFiles.GermanCsv([good, badCode, noTitle], columns)
            // Row 5: a quote inside a cell that is not quoted as a whole.
            + $"BAD-0004;ba-mitte;idea;Titel mit \"Zitat\" drin;Problem;;dezentral;zp1{new string(';', columns.Count - 8)}\r\n"
            + ImportFiles.GermanCsv([unknownColumn, badGoals, alsoGood], columns).Split("\r\n", 2)[1];

        var import = await ImportAsync(_client, Csv(text), HttpStatusCode.Created);
        Counts(import).ShouldBe(new ImportCountsView(2, 0, 0, 5, 0));
        import.GetProperty("unknownColumns").Deserialize<string[]>().ShouldBe(["bemerkung"]);
        var rejected = (await RowsAsync(import.GetProperty("id").GetGuid(), "rejected"))
            .ToDictionary(r => r.GetProperty("row").GetInt32(), r => r.GetProperty("errors"));
        rejected.Keys.ShouldBe([3, 4, 5, 6, 7]);
        rejected[3].GetProperty("type").ToString().ShouldContain("quantencomputer");
        rejected[4].GetProperty("title").ToString().ShouldContain("required");
        rejected[5].GetProperty("row").ToString().ShouldContain("broken quoting");
        rejected[6].GetProperty("bemerkung").ToString().ShouldContain("not a column");
        rejected[7].TryGetProperty("indicators", out _).ShouldBeTrue(rejected[7].ToString());
        (await MeasuresAsync("BAD")).Select(m => m.ExternalId).ShouldBe(["BAD-0001", "BAD-0007"], ignoreOrder: true);
    }

    [Fact]
    public async Task Json_lines_and_the_template_import_as_they_are()
    {
        var lines = ImportFiles.JsonLines([ImportFiles.Row("JL", 1, MeasureStage.Pilot), ImportFiles.Row("JL", 2, MeasureStage.Idea)]);
        var import = await ImportAsync(_client, new StringContent(lines, Encoding.UTF8, "application/jsonl"), HttpStatusCode.Created);
        Counts(import).ShouldBe(new ImportCountsView(2, 0, 0, 0, 0));
        (await MeasuresAsync("JL")).Select(m => m.Stage).ShouldBe([MeasureStage.Pilot, MeasureStage.Idea], ignoreOrder: true);

        var template = await api.AnonymousClient().GetAsync("/api/imports/template.csv");
        template.StatusCode.ShouldBe(HttpStatusCode.OK);
        template.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await template.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var fromTemplate = await ImportAsync(_client, new ByteArrayContent(bytes) { Headers = { ContentType = new("text/csv") } }, HttpStatusCode.Created);
        Counts(fromTemplate).ShouldBe(new ImportCountsView(2, 0, 0, 0, 0));
    }

    [Fact]
    public async Task An_editor_imports_only_what_its_administration_may_change_and_the_rest_is_refused_as_single_commands_are()
    {
        var editor = api.ClientFor("ba-mitte", Roles.Editor);
        var own = ImportFiles.Row("ED", 1, MeasureStage.ProblemUnderstood);
        own[ImportColumns.Lead] = "";
        var foreign = ImportFiles.Row("ED", 2, MeasureStage.Idea);
        foreign[ImportColumns.Lead] = "ba-pankow";
        var mandate = ImportFiles.Row("ED", 3, MeasureStage.Mandated);
        mandate[ImportColumns.Lead] = "ba-mitte";

        var import = await ImportAsync(editor, Csv(ImportFiles.GermanCsv([own, foreign, mandate])), HttpStatusCode.Created);
        Counts(import).ShouldBe(new ImportCountsView(1, 0, 0, 2, 0));
        var rows = (await RowsAsync(import.GetProperty("id").GetGuid())).ToDictionary(r => r.GetProperty("row").GetInt32());
        rows[2].GetProperty("lead").GetString().ShouldBe("ba-mitte");
        rows[3].GetProperty("problem").GetProperty("type").GetString().ShouldEndWith("/proposal-forbidden");
        rows[4].GetProperty("problem").GetProperty("type").GetString().ShouldEndWith("/command-not-permitted");
        (await MeasuresAsync("ED")).Single().Lead.ShouldBe("ba-mitte");

        // Another administration does not see the import.
        (await api.ClientFor("ba-pankow", Roles.Editor).GetAsync($"/api/imports/{import.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientFor("ba-pankow", Roles.Auditor).PostAsync("/api/imports", Csv(ImportFiles.GermanCsv([own])))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_as_a_whole_is_one_problem()
    {
        var notUtf8 = new ByteArrayContent([0x74, 0x69, 0x74, 0x6C, 0x65, 0x0A, 0xE4, 0x0A]) { Headers = { ContentType = new("text/csv") } };
        await (await _client.PostAsync("/api/imports", notUtf8)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "import-unreadable");
        await (await _client.PostAsync("/api/imports", Csv(""))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "import-unreadable");
        await (await _client.PostAsync("/api/imports", Csv("title;title\r\nx;y\r\n"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "import-unreadable");
        (await _client.PostAsync("/api/imports", new StringContent("{}", Encoding.UTF8, "application/xml"))).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_taken_external_id_is_a_409_naming_the_measure_that_carries_it()
    {
        var measures = new MeasureDriver(_client);
        var first = await measures.Propose(SampleCommands.Propose("ba-mitte") with { ExternalId = "BA-Mitte-2024-017" });
        (await measures.Read(first)).ExternalId.ShouldBe("BA-Mitte-2024-017");

        var again = await _client.PostJson("/api/measures", SampleCommands.Propose("ba-mitte") with { ExternalId = " BA-Mitte-2024-017 " });
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "external-id-taken");
        problem.GetProperty("measureId").GetGuid().ShouldBe(first);

        // The key is per lead: another administration may use it.
        await measures.Propose(SampleCommands.Propose("ba-pankow") with { ExternalId = "BA-Mitte-2024-017" });

        var second = await measures.Propose(SampleCommands.Propose("ba-mitte"));
        var taken = await measures.Post(second, new AssignExternalId("BA-Mitte-2024-017"));
        (await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict, "external-id-taken")).GetProperty("measureId").GetGuid().ShouldBe(first);
        (await measures.Send(second, new AssignExternalId("BA-Mitte-2024-018"))).Events.ShouldBe(["external-id-assigned"]);
        (await measures.Read(second)).ExternalId.ShouldBe("BA-Mitte-2024-018");
    }
}
