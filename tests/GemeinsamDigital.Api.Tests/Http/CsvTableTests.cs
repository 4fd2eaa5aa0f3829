using System.Net;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Api.Tests.Revisions;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>
/// The one content negotiation for tables (docs/monitoring.md, "CSV"): format=json|csv|csv-de or
/// Accept, the same page as JSON, both CSV dialects, formula defusing, and 406 where no table is.
/// </summary>
public class CsvTableTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;
    private readonly MeasureDriver _measures = new(api.Client);

    [Fact]
    public async Task The_measure_list_is_the_same_page_in_json_csv_and_csv_de()
    {
        var mandated = await _measures.Propose(SampleCommands.Propose("ba-lichtenberg", "Haushalt, Plan; \"Entwurf\""));
        await _measures.Send(mandated, SampleCommands.UnderstandProblem());
        await _measures.Send(mandated, SampleCommands.DefineGoals());
        await _measures.Send(mandated, SampleCommands.Mandate("ba-lichtenberg") with { Budget = new BudgetInput(1234.5m, "EUR") });
        await _measures.Propose(SampleCommands.Propose("ba-lichtenberg", "Zweite"));
        await _measures.Propose(SampleCommands.Propose("ba-lichtenberg", "Dritte"));

        var json = await (await _client.GetAsync("/api/measures?lead=ba-lichtenberg&pageSize=2&sort=title")).Json();
        var items = json.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(2);

        var (csvBytes, csv) = await Csv("/api/measures?lead=ba-lichtenberg&pageSize=2&sort=title&format=csv");
        csvBytes.Take(3).ShouldNotBe(Bom);
        var rows = Parse(csv, ',');
        var header = rows[0];
        new[] { "id", "version", "stage", "title", "lead", "participating", "perspectives", "budget.amount", "budget.currency", "pilot.start", "pilot.cycle", "pilot_cycle", "milestones" }
            .ShouldAllBe(c => header.Contains(c));
        header.Distinct().Count().ShouldBe(header.Length);
        rows.Count.ShouldBe(1 + items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            Cell(rows, i, "id").ShouldBe(items[i].GetProperty("id").GetString());
            Cell(rows, i, "title").ShouldBe(items[i].GetProperty("title").GetString());
            Cell(rows, i, "stage").ShouldBe(items[i].GetProperty("stage").GetString());
            Cell(rows, i, "perspectives").ShouldBe(string.Join(';', items[i].GetProperty("perspectives").EnumerateArray().Select(p => p.GetString())));
        }
        var withBudget = rows.Skip(1).Single(r => r[Array.IndexOf(header, "id")] == mandated.ToString());
        withBudget[Array.IndexOf(header, "budget.amount")].ShouldBe("1234.5");
        withBudget[Array.IndexOf(header, "title")].ShouldBe("Haushalt, Plan; \"Entwurf\"");
        // Lists of objects are compact JSON, readable: letters are not escaped.
        var contributions = JsonSerializer.Deserialize<JsonElement>(withBudget[Array.IndexOf(header, "contributions")]);
        contributions.GetArrayLength().ShouldBe(4);
        withBudget[Array.IndexOf(header, "contributions")].ShouldContain("mehr Grün");
        csv.ShouldContain("\"Haushalt, Plan; \"\"Entwurf\"\"\"");

        var (germanBytes, german) = await Csv("/api/measures?lead=ba-lichtenberg&pageSize=2&sort=title&format=csv-de");
        germanBytes.Take(3).ShouldBe(Bom);
        var germanRows = Parse(german[1..], ';');
        germanRows[0].ShouldBe(header);
        germanRows.Count.ShouldBe(rows.Count);
        germanRows.Skip(1).Single(r => r[Array.IndexOf(header, "id")] == mandated.ToString())[Array.IndexOf(header, "budget.amount")].ShouldBe("1234,5");
        // Dates stay ISO 8601; everything but decimals is the same text.
        germanRows[1][Array.IndexOf(header, "proposed_at")].ShouldBe(rows[1][Array.IndexOf(header, "proposed_at")]);

        // The page parameters apply alike: the last page holds the rest.
        var total = json.GetProperty("total").GetInt32();
        var (_, last) = await Csv($"/api/measures?lead=ba-lichtenberg&pageSize=2&sort=title&page={(total + 1) / 2}&format=csv");
        Parse(last, ',').Count.ShouldBe(1 + (total % 2 == 0 ? 2 : 1));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+49 30 1234")]
    [InlineData("-1 Parkplatz")]
    [InlineData("@SUMME(A1)")]
    public async Task Text_that_a_spreadsheet_would_run_as_a_formula_is_defused(string title)
    {
        var id = await _measures.Propose(SampleCommands.Propose("ba-spandau", title));
        foreach (var (format, separator) in new[] { ("csv", ','), ("csv-de", ';') })
        {
            var (_, text) = await Csv($"/api/measures?lead=ba-spandau&format={format}&pageSize=200");
            var rows = Parse(text.TrimStart('\uFEFF'), separator);
            rows.Skip(1).Single(r => r[Array.IndexOf(rows[0], "id")] == id.ToString())[Array.IndexOf(rows[0], "title")].ShouldBe("'" + title);
        }
    }

    [Fact]
    public void Every_formula_start_is_defused_tab_and_carriage_return_too()
    {
        // The service trims the texts it stores, so no measure starts with a tab or a line break: the writer itself.
        var table = new CsvTable(["text"], [["=1"], ["+1"], ["-a"], ["@a"], ["\tx"], ["\rx"], ["plain"], [-5m]]);
        foreach (var (dialect, separator) in new[] { (CsvDialect.Rfc4180, ','), (CsvDialect.German, ';') })
        {
            var rows = Parse(GemeinsamDigital.Api.Http.Csv.Write(table, dialect).TrimStart('\uFEFF'), separator);
            rows.Skip(1).Select(r => r[0]).ShouldBe(["'=1", "'+1", "'-a", "'@a", "'\tx", "'\rx", "plain", "-5"]);
        }
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("-2024-017")]
    [InlineData("+49-MITTE")]
    [InlineData("@A1")]
    public async Task An_external_id_that_a_spreadsheet_would_run_as_a_formula_is_defused(string externalId)
    {
        var id = await _measures.Propose(SampleCommands.Propose("ba-steglitz-zehlendorf", "Schlüssel " + externalId) with { ExternalId = externalId });
        foreach (var (format, separator) in new[] { ("csv", ','), ("csv-de", ';') })
        {
            var (_, text) = await Csv($"/api/measures?externalId={Uri.EscapeDataString(externalId)}&lead=ba-steglitz-zehlendorf&format={format}");
            var rows = Parse(text.TrimStart('\uFEFF'), separator);
            var row = rows.Skip(1).ShouldHaveSingleItem();
            row[Array.IndexOf(rows[0], "id")].ShouldBe(id.ToString());
            row[Array.IndexOf(rows[0], "external_id")].ShouldBe("'" + externalId);
        }
    }

    [Theory]
    [InlineData(null, "format=csv", "text/csv")]
    [InlineData("text/csv", "format=json", "application/json")]
    [InlineData("application/xml", "format=csv-de", "text/csv")]
    [InlineData("text/csv", "", "text/csv")]
    [InlineData("text/csv;q=0.5, application/json", "", "application/json")]
    [InlineData(null, "format=CSV", "text/csv")]
    public async Task The_format_parameter_wins_over_accept(string? accept, string query, string expected)
    {
        var response = await Get($"/api/measures?{query}", accept);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe(expected);
        if (expected == "text/csv")
        {
            response.Content.Headers.ContentType.CharSet.ShouldBe("utf-8");
            response.Content.Headers.ContentDisposition!.FileName.ShouldBe("measures.csv");
        }
    }

    [Fact]
    public async Task An_unknown_format_is_a_400_and_an_accept_without_json_or_csv_a_406()
    {
        await (await Get("/api/measures?format=xlsx", null)).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "format");
        var refused = await (await Get("/api/measures", "application/xml")).ShouldBeProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
        refused.GetProperty("supported").EnumerateArray().Select(s => s.GetString()).ShouldBe(["application/json", "text/csv"]);
        // Before authorization: the answer is the same without credentials.
        await (await api.AnonymousClient().SendAsync(Request("/api/admin/api-keys", "image/png"))).ShouldBeProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
    }

    [Fact]
    public async Task Endpoints_that_answer_no_table_refuse_csv_with_a_406_naming_the_tables()
    {
        var id = await _measures.Propose();
        foreach (var (url, accept) in new[]
        {
            ($"/api/measures/{id}?format=csv", (string?)null),
            ($"/api/measures/{id}", "text/csv"),
            ("/api/catalog?format=csv-de", null),
            ($"/api/measures/{id}/integrity", "text/*"),
            ("/api/audit/checkpoint", "text/csv"),
        })
        {
            var problem = await (await Get(url, accept)).ShouldBeProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
            var tables = problem.GetProperty("csvEndpoints").EnumerateArray().Select(e => e.GetString()).ToList();
            tables.ShouldContain("/api/measures");
            tables.ShouldContain("/api/measures/{id}/history");
            tables.ShouldContain("/api/revisions/{id}/compare/{otherId}");
            tables.ShouldContain("/api/dashboard/portfolio");
            tables.ShouldNotContain("/api/measures/{id}");
        }
        // Anonymous callers get the same 406 where they would get a 401.
        await (await api.AnonymousClient().SendAsync(Request("/api/audit/checkpoint", "text/csv"))).ShouldBeProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
        // JSON still acceptable: JSON.
        (await Get($"/api/measures/{id}", "text/csv, application/json;q=0.1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task History_and_events_are_the_auditors_table()
    {
        var id = await _measures.Propose();
        await _measures.Send(id, SampleCommands.UnderstandProblem(), reason: "Begehung ausgewertet");
        await _measures.Send(id, SampleCommands.DefineGoals());

        var (_, history) = await Csv($"/api/measures/{id}/history?limit=2&format=csv");
        var rows = Parse(history, ',');
        rows[0].ShouldBe(["version", "sequence", "type", "timestamp", "actor", "actor_name", "administration", "reason", "correlation_id", "causation_id", "data", "hash"]);
        rows.Count.ShouldBe(3);
        var json = (await (await _client.GetAsync($"/api/measures/{id}/history?limit=2")).Json()).GetProperty("items");
        for (var i = 0; i < 2; i++)
        {
            var e = json[i];
            rows[i + 1][0].ShouldBe(e.GetProperty("version").GetInt64().ToString());
            rows[i + 1][2].ShouldBe(e.GetProperty("type").GetString());
            rows[i + 1][4].ShouldBe(e.GetProperty("actor").GetString());
            rows[i + 1][5].ShouldBe(ApiFixture.DefaultActor);
            rows[i + 1][11].ShouldBe(e.GetProperty("hash").GetString());
            // The same data, compact (the stored jsonb text has blanks after ':' and ',').
            System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(rows[i + 1][10]), System.Text.Json.Nodes.JsonNode.Parse(e.GetProperty("data").GetRawText())).ShouldBeTrue();
            rows[i + 1][10].ShouldNotContain("\": ");
        }
        rows[2][7].ShouldBe("Begehung ausgewertet");
        rows[1][10].ShouldContain("unübersichtlich");

        var response = await Get($"/api/measures/{id}/events", "text/csv");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe($"measure-{id}-events.csv");
        var events = Parse(await response.Content.ReadAsStringAsync(), ',');
        events.Count.ShouldBe(4);
        events[0].ShouldBe(rows[0]);
    }

    [Fact]
    public async Task Revision_phases_and_their_comparison_are_tables()
    {
        var revisions = new RevisionDriver(_client);
        var before = await _measures.Propose(SampleCommands.Propose("ba-mitte", "Vorher"));
        var first = await revisions.OpenNext("Erste");
        await revisions.Close(first);
        await _measures.Send(before, SampleCommands.UnderstandProblem());
        var added = await _measures.Propose(SampleCommands.Propose("ba-mitte", "Neu dazu"));
        var second = await revisions.OpenNext("Zweite");
        await revisions.Close(second);

        var phases = await revisions.List();
        var (_, list) = await Csv("/api/revisions?format=csv");
        var rows = Parse(list, ',');
        rows.Count.ShouldBe(1 + phases.Count);
        new[] { "id", "name", "from", "to", "scope.type", "status", "opened_at", "closed_at", "lessons", "snapshot_hash" }.ShouldAllBe(c => rows[0].Contains(c));
        rows[1][Array.IndexOf(rows[0], "id")].ShouldBe(phases[0].Id.ToString());

        var comparison = await revisions.Compare(first, second);
        var (_, text) = await Csv($"/api/revisions/{first}/compare/{second}?format=csv-de");
        var table = Parse(text[1..], ';');
        var header = table[0];
        header[0].ShouldBe("section");
        new[] { "phase_id", "measure_id", "title", "from_stage", "to_stage", "entered", "code", "delta", "direction" }.ShouldAllBe(c => header.Contains(c));
        string Of(string[] row, string column) => row[Array.IndexOf(header, column)];
        table.Count(r => r[0] == "from").ShouldBe(1);
        Of(table.Single(r => r[0] == "to"), "phase_id").ShouldBe(second.ToString());
        table.Where(r => r[0] == "added").Select(r => Of(r, "measure_id")).ShouldContain(added.ToString());
        var advanced = table.Single(r => r[0] == "advanced" && Of(r, "measure_id") == before.ToString());
        Of(advanced, "to_stage").ShouldBe(JsonSerializer.SerializeToElement(comparison.Advanced.Single(m => m.MeasureId == before).ToStage, HttpExtensions.JsonOptions).GetString());
        table.Count(r => r[0] == "stages").ShouldBe(comparison.Stages.Count);
    }

    [Fact]
    public async Task Admin_lists_are_tables_too()
    {
        var (_, keys) = await Csv("/api/admin/api-keys?format=csv");
        Parse(keys, ',')[0].ShouldBe(["id", "name", "administration", "roles", "created_at", "created_by", "revoked_at", "revoked_by", "key"]);
        var (_, projections) = await Csv("/api/admin/projections", "text/csv");
        var rows = Parse(projections, ',');
        rows[0].ShouldBe(["name", "lifecycle", "sequence", "lag", "status"]);
        rows.Count.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task OpenApi_lists_csv_as_a_string_and_the_format_values_on_every_table()
    {
        var paths = (await (await _client.GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/measures", "/api/measures/{id}/events", "/api/measures/{id}/history", "/api/revisions", "/api/revisions/{id}/snapshot",
            "/api/revisions/{id}/compare/{otherId}", "/api/admin/api-keys", "/api/admin/projections", "/api/dashboard/portfolio",
        })
        {
            var get = paths.GetProperty(path).GetProperty("get");
            var ok = get.GetProperty("responses").GetProperty("200").GetProperty("content");
            ok.TryGetProperty("application/json", out _).ShouldBeTrue(path);
            ok.GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString().ShouldBe("string", path);
            var format = get.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "format");
            format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()).ShouldBe(["json", "csv", "csv-de"], path);
            (format.TryGetProperty("description", out var description) ? description.GetString() : null).ShouldNotBeNullOrWhiteSpace(path);
            get.GetProperty("responses").TryGetProperty("406", out _).ShouldBeTrue(path);
        }
        var single = paths.GetProperty("/api/measures/{id}").GetProperty("get");
        single.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/csv", out _).ShouldBeFalse();
        single.GetProperty("responses").TryGetProperty("406", out _).ShouldBeTrue();
    }

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private async Task<(byte[] Bytes, string Text)> Csv(string url, string? accept = null)
    {
        var response = await Get(url, accept);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        text.ShouldEndWith("\r\n");
        return (bytes, text);
    }

    private Task<HttpResponseMessage> Get(string url, string? accept) => _client.SendAsync(Request(url, accept));

    private static HttpRequestMessage Request(string url, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return request;
    }

    private static string Cell(List<string[]> rows, int item, string column) => rows[item + 1][Array.IndexOf(rows[0], column)];

    /// <summary>RFC 4180 as a spreadsheet reads it: quoted cells may hold the separator, quotes ("") and line breaks.</summary>
    public static List<string[]> Parse(string text, char separator)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }
        rows.Count.ShouldBeGreaterThan(0);
        rows.ShouldAllBe(r => r.Length == rows[0].Length);
        return rows;
    }
}
