using System.Net;
using GemeinsamDigital.Api.Tests.Http;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// Five measures that differ in every filter of the list: lead, team (district, participating),
/// type, perspectives, declared contributions (one with weight 0) and external id (one key given by two leads).
/// </summary>
public sealed class ListFilterFixture : ApiFixture
{
    public const string SharedKey = "BA-Mitte-2024-017";

    private Task<IReadOnlyDictionary<string, Guid>>? _seeding;

    public IReadOnlyDictionary<string, Guid> Ids { get; private set; } = new Dictionary<string, Guid>();

    /// <summary>Seeds once; a failed seeding fails every test the same way.</summary>
    public async Task SeededAsync() => Ids = await LazyInitializer.EnsureInitialized(ref _seeding, SeedAsync);

    private async Task<IReadOnlyDictionary<string, Guid>> SeedAsync()
    {
        var measures = new MeasureDriver(Client);
        var ids = new Dictionary<string, Guid>();
        // A: an idea of a district with the shared key.
        ids["A"] = await measures.Propose(SampleCommands.Propose("ba-mitte", "A Kiezdaten") with { Type = "zentral", Perspectives = ["zp1"], ExternalId = SharedKey });
        // B: another district's idea, the same key (unique per lead only).
        ids["B"] = await measures.Propose(SampleCommands.Propose("ba-pankow", "B Schulwege") with { Type = "dezentral", Perspectives = ["zp2", "zp3"], ExternalId = SharedKey });
        // C: a senate department's measure, ba-mitte and sensbw participating, all four Leitgedanken weighted.
        ids["C"] = await measures.Propose(SampleCommands.Propose("senmvku", "C Lieferzonen") with { Type = "netzwerk", Perspectives = ["zp4"] });
        await measures.Send(ids["C"], SampleCommands.UnderstandProblem());
        await measures.Send(ids["C"], SampleCommands.DefineGoals() with { Perspectives = ["zp4", "zp7"] });
        await measures.Send(ids["C"], SampleCommands.Mandate("senmvku", "ba-mitte", "sensbw"));
        // D: every Leitgedanke declared, resilient and kooperativ with weight 0 (no contribution).
        ids["D"] = await measures.Propose(SampleCommands.Propose("skzl", "D Ideenwettbewerb") with { Type = "arena-der-ideen", Perspectives = ["zp5"] });
        await measures.Send(ids["D"], SampleCommands.UnderstandProblem());
        await measures.Send(ids["D"], SampleCommands.DefineGoals() with
        {
            Contributions =
            [
                new ContributionInput("nachhaltig", 3, "Weniger Wege."),
                new ContributionInput("gemeinwohlorientiert", 1, "Offen für alle."),
                new ContributionInput("resilient", 0, "Kein Beitrag."),
                new ContributionInput("kooperativ", 0, "Kein Beitrag."),
            ],
            Perspectives = ["zp5"],
        });
        // E: a partner leads, a district participates.
        ids["E"] = await measures.Propose(SampleCommands.Propose("tsb", "E Sensorik") with { Type = "netzwerk", Perspectives = ["zp6"] });
        await measures.Send(ids["E"], SampleCommands.UnderstandProblem());
        await measures.Send(ids["E"], SampleCommands.DefineGoals() with { Perspectives = ["zp6"] });
        await measures.Send(ids["E"], SampleCommands.Mandate("tsb", "ba-neukoelln"));
        return ids;
    }
}

/// <summary>
/// GET /api/measures filters for clients that sync: each filter alone selects exactly the right
/// measures, they combine, bad values are 400 naming the parameter, an index serves each, and the
/// CSV has the same filters and one column set whatever the page holds.
/// </summary>
public class MeasureListFilterTests(ListFilterFixture api) : IClassFixture<ListFilterFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = api.AnonymousClient();

    public Task InitializeAsync() => api.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string[]> Titles(string query)
    {
        var response = await _client.GetAsync($"/api/measures?pageSize=200&sort=title&{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await response.Read<MeasurePage>();
        page.Total.ShouldBe(page.Items.Count);
        return [.. page.Items.Select(m => m.Title[..1])];
    }

    [Theory]
    [InlineData("", "A,B,C,D,E")]
    [InlineData("district=ba-mitte", "A,C")] // leads A, participates in C
    [InlineData("district=ba-neukoelln", "E")]
    [InlineData("district=ba-pankow", "B")]
    [InlineData("district=ba-spandau", "")]
    [InlineData("participating=ba-mitte", "C")] // leading A is no participation
    [InlineData("participating=sensbw", "C")]
    [InlineData("participating=ba-neukoelln", "E")]
    [InlineData("participating=senmvku", "")] // the lead of C
    [InlineData("type=netzwerk", "C,E")]
    [InlineData("type=zentral", "A")]
    [InlineData("perspective=zp3", "B")]
    [InlineData("perspective=zp7", "C")] // from the goals, not the proposal
    [InlineData("perspective=zp1", "A")]
    [InlineData("principle=nachhaltig", "C,D,E")]
    [InlineData("principle=resilient", "C,E")] // D declared it with weight 0
    [InlineData("principle=kooperativ", "C,E")]
    [InlineData("principle=gemeinwohlorientiert", "C,D,E")]
    [InlineData("lead=tsb", "E")]
    [InlineData("stage=mandated", "C,E")]
    public async Task Each_filter_selects_exactly_its_measures(string query, string expected)
    {
        (await Titles(query)).ShouldBe(expected.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("district=ba-mitte&type=netzwerk", "C")]
    [InlineData("district=ba-mitte&stage=idea&perspective=zp1", "A")]
    [InlineData("principle=nachhaltig&type=arena-der-ideen", "D")]
    [InlineData("principle=resilient&participating=ba-neukoelln&district=ba-neukoelln", "E")]
    [InlineData("type=netzwerk&perspective=zp4&lead=senmvku&q=Lieferzonen", "C")]
    [InlineData("district=ba-pankow&type=zentral", "")]
    [InlineData("externalId=BA-Mitte-2024-017&district=ba-mitte", "A")]
    public async Task Filters_combine(string query, string expected)
    {
        (await Titles(query)).ShouldBe(expected.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_external_id_finds_every_leads_measure_and_with_the_lead_that_leads_one()
    {
        var key = Uri.EscapeDataString(ListFilterFixture.SharedKey);
        (await Titles($"externalId={key}")).ShouldBe(["A", "B"]);
        (await Titles($"externalId={key}&lead=ba-mitte")).ShouldBe(["A"]);
        (await Titles($"externalId={key}&lead=ba-pankow")).ShouldBe(["B"]);
        (await Titles($"externalId={key}&lead=ba-spandau")).ShouldBeEmpty();
        // Compared as stored: exactly, blanks around it ignored (as when it was given).
        (await Titles($"externalId=%20{key}%20&lead=ba-mitte")).ShouldBe(["A"]);
        (await Titles($"externalId={key.ToLowerInvariant()}")).ShouldBeEmpty();
        (await Titles("externalId=BA-Mitte-2024-018")).ShouldBeEmpty();

        var found = await (await _client.GetAsync($"/api/measures?externalId={key}&lead=ba-mitte")).Read<MeasurePage>();
        found.Items.Single().Id.ShouldBe(api.Ids["A"]);
        found.Items.Single().ExternalId.ShouldBe(ListFilterFixture.SharedKey);
    }

    [Theory]
    [InlineData("district=senmvku", "district")] // an administration, not a district
    [InlineData("district=ba-atlantis", "district")]
    [InlineData("participating=nobody", "participating")]
    [InlineData("type=zentrale", "type")]
    [InlineData("perspective=zp8", "perspective")]
    [InlineData("principle=schnell", "principle")]
    [InlineData("lead=ba-atlantis", "lead")]
    public async Task Unknown_codes_are_400_naming_the_parameter_with_the_catalogue_message(string query, string parameter)
    {
        var problem = await (await _client.GetAsync($"/api/measures?{query}")).ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", parameter);
        var value = query[(query.IndexOf('=') + 1)..];
        problem.GetProperty("errors").GetProperty(parameter)[0].GetString()!.ShouldStartWith($"'{value}' is not a known ");
        problem.GetProperty("errors").GetProperty(parameter)[0].GetString()!.ShouldEndWith("code (see GET /api/catalog).");
    }

    [Theory]
    [InlineData("externalId=%01x", "externalId")]
    [InlineData("externalId=%20%20", "externalId")] // blank: not a key
    [InlineData("externalId=&district=", "")] // empty: no filter, as for every parameter
    [InlineData("changedSince=2024-13-01", "changedSince")]
    [InlineData("changedSince=2024-05-01T12:00:00", "changedSince")] // no offset: which moment?
    [InlineData("changedSince=yesterday", "changedSince")]
    [InlineData("changedAfterSequence=-1", "changedAfterSequence")]
    [InlineData("changedAfterSequence=abc", "changedAfterSequence")]
    [InlineData("changedAfterSequence=0&sort=title", "sort")]
    public async Task Bad_values_are_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _client.GetAsync($"/api/measures?{query}");
        if (parameter.Length == 0)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return;
        }
        await response.ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", parameter);
    }

    [Fact]
    public async Task An_overlong_external_id_and_several_bad_values_at_once_are_each_named()
    {
        await (await _client.GetAsync($"/api/measures?externalId={new string('k', ExternalIds.MaxLength + 1)}"))
            .ShouldBeProblemNaming(HttpStatusCode.BadRequest, "validation", "externalId");
        var problem = await (await _client.GetAsync("/api/measures?district=x&type=y&perspective=z&principle=w&participating=v&changedSince=u"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)
            .ShouldBe(["changedSince", "district", "participating", "perspective", "principle", "type"]);
    }

    [Fact]
    public async Task The_csv_has_the_same_filters_and_one_column_set_whatever_the_page_holds()
    {
        var (all, _) = await Csv("/api/measures?format=csv&pageSize=200");
        var header = all[0];
        // The columns documented in docs/monitoring.md (Measure list, CSV): a new member of the measure is a new column there too.
        header.ShouldBe(
        [
            "id", "version", "last_event_hash", "stage", "stage_label", "stage_entered_at", "proposed_at", "last_activity_at", "title",
            "problem_statement", "description", "type", "lead", "external_id", "participating", "perspectives", "source.kind",
            "source.administration", "source.detail", "affected_groups", "evidence", "contributions", "indicators", "budget.amount",
            "budget.currency", "funding_source", "responsibilities", "pilot_cycle", "pilot.cycle", "pilot.plan", "pilot.start", "pilot.end",
            "milestones", "participations", "measurements", "risks", "evaluations", "outcome.kind", "outcome.mode", "outcome.rollout_to",
            "outcome.detail", "outcome.lessons", "stage_history", "programme_id", "latest_status_report.period",
            "latest_status_report.health", "latest_status_report.narrative", "latest_status_report.blockers",
            "latest_status_report.next_steps", "latest_status_report.progress", "latest_status_report.on",
            "latest_status_report.revision", "latest_status_report.reported_at", "latest_status_report.version",
            "health_history", "plans", "team",
        ]);
        all.Count.ShouldBe(6);

        // Filtered: the JSON's measures, in the same order, under the same header.
        foreach (var query in new[] { "district=ba-mitte&sort=title", "principle=resilient&sort=title", "externalId=BA-Mitte-2024-017&lead=ba-pankow" })
        {
            var json = await (await _client.GetAsync($"/api/measures?{query}")).Read<MeasurePage>();
            var (rows, _) = await Csv($"/api/measures?{query}&format=csv");
            rows[0].ShouldBe(header);
            rows.Skip(1).Select(r => r[Array.IndexOf(header, "id")]).ShouldBe(json.Items.Select(m => m.Id.ToString()));
        }
        var (pankow, _) = await Csv("/api/measures?externalId=BA-Mitte-2024-017&lead=ba-pankow&format=csv");
        pankow[1][Array.IndexOf(header, "external_id")].ShouldBe(ListFilterFixture.SharedKey);

        // An empty page, with Accept and in the German dialect: the same header row, no other row.
        var (none, _) = await Csv("/api/measures?district=ba-spandau", accept: "text/csv");
        none.ShouldHaveSingleItem().ShouldBe(header);
        var (german, raw) = await Csv("/api/measures?type=zentral&district=ba-spandau&format=csv-de", separator: ';');
        raw.ShouldStartWith("\uFEFF");
        german.ShouldHaveSingleItem().ShouldBe(header);
        // Past the last page too.
        (await Csv("/api/measures?format=csv&page=99")).Rows.ShouldHaveSingleItem().ShouldBe(header);
    }

    [Fact]
    public async Task Every_filter_is_served_by_an_index()
    {
        // With sequential scans priced out, the plan shows whether an index can answer the filter's
        // expression at all (a table of a few rows would be scanned anyway).
        var filters = new (string What, MeasureFilter Filter, string Index)[]
        {
            ("type", new MeasureFilter { Type = "netzwerk" }, "mt_doc_measurestate_idx_type"),
            ("externalId", new MeasureFilter { ExternalId = ListFilterFixture.SharedKey }, "external_id"),
            ("changedSince", new MeasureFilter { ChangedSince = DateTimeOffset.UtcNow }, "mt_doc_measurestate_idx_last_activity_at"),
            ("participating", new MeasureFilter { Participating = "ba-mitte" }, "participating"),
            ("perspective", new MeasureFilter { Perspective = "zp1" }, "perspectives"),
            ("principle", new MeasureFilter { Principle = "resilient" }, "contributions"),
            ("district", new MeasureFilter { District = "ba-mitte" }, "participating"),
        };
        await using var session = api.Store.QuerySession();
        var names = (await session.QueryAsync<string>(
            "select indexname from pg_indexes where schemaname = 'gd' and tablename = 'mt_doc_measurestate'")).ToList();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        foreach (var (what, filter, index) in filters)
        {
            var query = session.Query<MeasureState>().Filter(filter, 0).ToCommand();
            await using var explain = new NpgsqlCommand("explain " + query.CommandText, connection);
            foreach (NpgsqlParameter parameter in query.Parameters)
            {
                explain.Parameters.Add(parameter.Clone());
            }
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }
            var text = string.Join(Environment.NewLine, plan);
            text.ShouldNotContain("Seq Scan", customMessage: $"{what}: {text}");
            names.ShouldContain(n => n.Contains(index) && text.Contains(n), $"{what} uses no index named like '{index}': {text} (indexes: {string.Join(", ", names)})");
        }
    }

    private async Task<(List<string[]> Rows, string Text)> Csv(string url, string? accept = null, char separator = ',')
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await _client.SendAsync(request);
        var text = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        return (CsvTableTests.Parse(text.TrimStart('\uFEFF'), separator), text);
    }
}
