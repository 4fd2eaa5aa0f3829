using System.Net;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Api.Tests.Revisions;
using GemeinsamDigital.Domain.Measures;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>
/// One style across the contract: codes in kebab-case with the German label beside stages and
/// statuses, one envelope for every list, unknown query parameters refused, one asOf contract, while
/// what is stored keeps its form.
/// </summary>
public class OneStyleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);
    private readonly RevisionDriver _revisions = new(api.Client);

    [Fact]
    public async Task A_measure_answers_its_stage_as_a_kebab_code_with_the_German_label_beside()
    {
        var id = await _measures.Propose();
        var accepted = await (await _measures.Post(id, SampleCommands.UnderstandProblem())).Json();
        (accepted.GetProperty("stage").GetString(), accepted.GetProperty("stageLabel").GetString()).ShouldBe(("problem-understood", "Problem verstanden"));

        var measure = await (await api.Client.GetAsync($"/api/measures/{id}")).Json();
        (measure.GetProperty("stage").GetString(), measure.GetProperty("stageLabel").GetString()).ShouldBe(("problem-understood", "Problem verstanden"));
        measure.GetProperty("stageHistory").EnumerateArray().Select(h => $"{h.GetProperty("stage").GetString()}|{h.GetProperty("stageLabel").GetString()}")
            .ShouldBe(["idea|Idee", "problem-understood|Problem verstanden"]);

        // The same code filters the list; the old name is refused, and the error lists the codes.
        var page = await (await api.Client.GetAsync("/api/measures?stage=problem-understood&pageSize=200")).Json();
        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ShouldContain(id);
        var refused = await (await api.Client.GetAsync("/api/measures?stage=ProblemUnderstood")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        refused.GetProperty("errors").GetProperty("stage")[0].GetString()!.ShouldContain("idea, problem-understood, goals-defined");
    }

    [Fact]
    public async Task What_is_stored_keeps_the_enum_names_and_no_labels()
    {
        var id = await _measures.Propose();
        var phase = await _revisions.OpenNext("Speicherform");
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using (var measure = new NpgsqlCommand("select data::text from gd.mt_doc_measurestate where id = @id", connection))
        {
            measure.Parameters.AddWithValue("id", id);
            using var stored = JsonDocument.Parse((string)(await measure.ExecuteScalarAsync())!);
            stored.RootElement.GetProperty("stage").GetString().ShouldBe("Idea");
            stored.RootElement.GetProperty("stageHistory")[0].GetProperty("stage").GetString().ShouldBe("Idea");
            stored.RootElement.TryGetProperty("stageLabel", out _).ShouldBeFalse();
        }
        await using (var revision = new NpgsqlCommand("select data::text from gd.mt_doc_revisionphasestate where id = @id", connection))
        {
            revision.Parameters.AddWithValue("id", phase);
            using var stored = JsonDocument.Parse((string)(await revision.ExecuteScalarAsync())!);
            stored.RootElement.GetProperty("status").GetString().ShouldBe("Open");
            stored.RootElement.TryGetProperty("statusLabel", out _).ShouldBeFalse();
        }
        // And it still loads (the wire's converter is not the store's).
        (await _measures.Read(id)).Stage.ShouldBe(MeasureStage.Idea);
    }

    [Fact]
    public async Task A_revision_phase_answers_its_status_as_a_kebab_code_with_the_German_label_beside()
    {
        var phase = await _revisions.OpenNext("Stil");
        var read = await (await api.Client.GetAsync($"/api/revisions/{phase}")).Json();
        (read.GetProperty("status").GetString(), read.GetProperty("statusLabel").GetString()).ShouldBe(("open", "Offen"));

        var listed = await (await api.Client.GetAsync("/api/revisions")).Json();
        listed.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == phase).GetProperty("status").GetString().ShouldBe("open");
    }

    [Theory]
    [InlineData("/api/revisions")]
    [InlineData("/api/admin/api-keys")]
    [InlineData("/api/admin/projections")]
    [InlineData("/api/measures/{id}/events")]
    public async Task Every_whole_list_is_an_object_with_items_and_a_null_next(string path)
    {
        var id = await _measures.Propose();
        await _revisions.OpenNext("Liste");
        (await api.Client.PostJson("/api/admin/api-keys", new CreateApiKey("Liste", "ba-spandau", [Roles.Editor]))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var response = await api.Client.GetAsync(path.Replace("{id}", id.ToString()));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Json();
        body.ValueKind.ShouldBe(JsonValueKind.Object);
        body.GetProperty("items").ValueKind.ShouldBe(JsonValueKind.Array);
        body.GetProperty("items").GetArrayLength().ShouldBeGreaterThan(0);
        body.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Past_the_last_page_the_list_answers_the_real_total_with_no_items()
    {
        await _measures.Propose();
        await _measures.Propose();
        var first = await (await api.Client.GetAsync("/api/measures?pageSize=1")).Json();
        var total = first.GetProperty("total").GetInt64();
        total.ShouldBeGreaterThanOrEqualTo(2);

        var response = await api.Client.GetAsync("/api/measures?pageSize=1&page=100000");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var past = await response.Json();
        past.GetProperty("items").GetArrayLength().ShouldBe(0);
        past.GetProperty("total").GetInt64().ShouldBe(total);
        past.GetProperty("pageCount").GetInt32().ShouldBe((int)total);
        past.GetProperty("page").GetInt32().ShouldBe(100000);
    }

    [Theory]
    [InlineData("/api/measures?district=ba-mitte&bezirk=ba-mitte&kind=zentral&page=1", "bezirk,kind")]
    [InlineData("/api/measures?stage=pilot&satge=pilot", "satge")]
    [InlineData("/api/dashboard/portfolio?lead=skzl&stage=pilot", "stage")]
    [InlineData("/api/dashboard/overdue?inactiveDays=30&days=30", "days")]
    [InlineData("/api/revisions/{phase}?version=1", "version")]
    [InlineData("/api/catalog?lang=de", "lang")]
    public async Task Unknown_query_parameters_are_refused_naming_each(string url, string unknown)
    {
        var phase = await _revisions.OpenNext("Parameter");
        var problem = await (await api.Client.GetAsync(url.Replace("{phase}", phase.ToString()))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ShouldBe(unknown.Split(','));
        errors.EnumerateObject().First().Value[0].GetString()!.ShouldContain("not a query parameter of this endpoint");
    }

    [Theory]
    [InlineData("/api/measures?stage=pilot&lead=skzl&q=Daten&sort=-title&page=1&pageSize=5")]
    [InlineData("/api/measures?district=ba-mitte&participating=skzl&type=zentral&perspective=zp1&principle=resilient&externalId=X-1&changedSince=2024-01-01&changedAfterSequence=0")]
    [InlineData("/api/measures?PAGE=1")] // bound as ASP.NET Core binds: ignoring case
    [InlineData("/api/dashboard/portfolio?from=2024-01-01&to=2024-12-31&lead=skzl&district=ba-mitte&type=zentral&perspective=zp7&asOf=2024-06-30")]
    [InlineData("/api/dashboard/overdue?inactiveDays=30")]
    [InlineData("/api/dashboard/indicators?measureId=0193a000-0000-7000-8000-00000000000a")]
    [InlineData("/api/revisions")]
    public async Task Known_query_parameters_are_still_taken(string url)
    {
        (await api.Client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_query_parameter_a_caller_may_not_use_is_not_judged_before_the_caller()
    {
        // Who may call the endpoint is decided first: an anonymous caller learns nothing about its parameters.
        await (await api.AnonymousClient().GetAsync("/api/admin/api-keys?x=1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_date_alone_as_asOf_on_a_measure_means_0000_UTC_that_day()
    {
        var id = Guid.CreateVersion7();
        var proposedAt = new DateTimeOffset(2024, 3, 10, 9, 30, 0, TimeSpan.Zero);
        await using (var session = api.Store.LightweightSession())
        {
            var proposal = MeasureLifecycle.Propose(id, SampleCommands.Propose("ba-spandau", "Stichtag"));
            EventLedger.StartStream(session, id, [(proposal.Events[0], proposedAt)], new CommandMetadata("test", "ba-spandau", null, "test"));
            await session.SaveChangesAsync();
        }

        var next = await (await api.Client.GetAsync($"/api/measures/{id}?asOf=2024-03-11")).Json();
        (next.GetProperty("stage").GetString(), next.GetProperty("version").GetInt64()).ShouldBe(("idea", 1L));

        // 2024-03-10 means 00:00 UTC, before the proposal at 09:30 that day.
        var sameDay = await (await api.Client.GetAsync($"/api/measures/{id}?asOf=2024-03-10")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "measure-not-yet-not-found");
        sameDay.GetProperty("detail").GetString()!.ShouldContain("2024-03-10T00:00:00");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_kebab_codes_and_the_label_members()
    {
        var schemas = (await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("components").GetProperty("schemas");
        schemas.GetProperty("MeasureStage").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(MeasureStages.Codes);
        schemas.GetProperty("RevisionPhaseStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(["open", "closed"]);
        schemas.GetProperty("MeasureState").GetProperty("properties").GetProperty("stageLabel").GetProperty("type").GetString().ShouldBe("string");
        schemas.GetProperty("StageEntry").GetProperty("properties").TryGetProperty("stageLabel", out _).ShouldBeTrue();
        schemas.GetProperty("RevisionPhaseState").GetProperty("properties").TryGetProperty("statusLabel", out _).ShouldBeTrue();
        schemas.GetProperty("MeasureMovement").GetProperty("properties").GetProperty("enteredLabels").GetProperty("type").GetString().ShouldBe("array");
    }
}
