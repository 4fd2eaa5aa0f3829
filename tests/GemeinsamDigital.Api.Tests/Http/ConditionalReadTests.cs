using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GemeinsamDigital.Api.Tests.Imports;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Events;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>
/// Conditional reads: lists, dashboards and the catalogue answer an ETag of their content and 304
/// without a body while If-None-Match still lists it; a change (after the projection caught up, for
/// dashboards) is a 200 with a new tag. Runs with the real clock, as in production.
/// </summary>
public partial class ConditionalReadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static async Task<HttpResponseMessage> Get(HttpClient client, string url, string? ifNoneMatch = null, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await client.SendAsync(request);
    }

    /// <summary>A 200 with a tag of ours and the caching headers; returns the tag.</summary>
    private static async Task<string> TaggedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var tag = response.Headers.ETag.ShouldNotBeNull().Tag;
        response.Headers.ETag.IsWeak.ShouldBeFalse();
        ContentTag().IsMatch(tag).ShouldBeTrue(tag);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.CacheControl.Private.ShouldBeTrue();
        response.Headers.Vary.ShouldContain("Authorization");
        response.Headers.Vary.ShouldContain("X-Api-Key");
        return tag;
    }

    private static async Task NotModifiedAsync(HttpResponseMessage response, string tag)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        response.Content.Headers.ContentType.ShouldBeNull();
        response.Headers.ETag!.Tag.ShouldBe(tag);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.Vary.ShouldContain("Authorization");
    }

    [Fact]
    public async Task The_catalogue_answers_a_tag_of_its_bytes_and_304_to_each_form_of_If_None_Match()
    {
        var anonymous = api.AnonymousClient();
        var first = await Get(anonymous, "/api/catalog");
        var tag = await TaggedAsync(first);
        // The tag is SHA-256 over the body, the Content-Type and X-Event-Sequence (none here): a client can check it.
        var body = await first.Content.ReadAsByteArrayAsync();
        // The whole answer is known before it is sent: its length too.
        first.Content.Headers.ContentLength.ShouldBe(body.Length);
        var hashed = body.Concat(new byte[] { 0 }).Concat(Encoding.UTF8.GetBytes(first.Content.Headers.ContentType!.ToString())).Concat(new byte[] { 0 }).ToArray();
        tag.ShouldBe("\"" + Base64Url.EncodeToString(SHA256.HashData(hashed).AsSpan(0, 18)) + "\"");

        foreach (var matching in (string[])[tag, "W/" + tag, $"\"other\", {tag}", "*", $" {tag} "])
        {
            await NotModifiedAsync(await Get(anonymous, "/api/catalog", matching), tag);
        }
        // The same bytes for an authenticated caller: the same tag.
        await NotModifiedAsync(await Get(api.Client, "/api/catalog", tag), tag);

        // Not matching: another tag, a malformed header (no 400), a tag without its quotes, a header longer than is read.
        var tooLong = string.Join(", ", Enumerable.Repeat("\"other\"", ConditionalReads.MaxIfNoneMatch / 7 + 1).Append(tag));
        foreach (var other in (string[])["\"other\"", "garbage", tag.Trim('"'), "W/", "\"unclosed", new string('"', 999), tooLong])
        {
            var full = await Get(anonymous, "/api/catalog", other);
            full.StatusCode.ShouldBe(HttpStatusCode.OK, other);
            (await full.Content.ReadAsByteArrayAsync()).ShouldBe(body);
            full.Headers.ETag!.Tag.ShouldBe(tag);
        }
    }

    [Fact]
    public async Task The_measure_list_as_JSON_and_CSV_answers_304_until_a_command_changes_a_measure()
    {
        var driver = new MeasureDriver(api.Client);
        await driver.Propose(SampleCommands.Propose("ba-mitte", "Bedingte Abfrage eins"));
        var newest = await driver.Propose(SampleCommands.Propose("ba-pankow", "Bedingte Abfrage zwei"));
        var anonymous = api.AnonymousClient();
        const string list = "/api/measures?pageSize=1";

        var json = await Get(anonymous, list);
        var jsonTag = await TaggedAsync(json);
        var again = await Get(anonymous, list, jsonTag);
        await NotModifiedAsync(again, jsonTag);
        // The paging links (and every other header of the answer) come with the 304.
        again.Headers.GetValues("Link").ShouldBe(json.Headers.GetValues("Link"));
        again.Headers.Vary.ShouldContain("Accept");

        var csv = await Get(anonymous, list, accept: "text/csv");
        var csvTag = await TaggedAsync(csv);
        csvTag.ShouldNotBe(jsonTag);
        await NotModifiedAsync(await Get(anonymous, list, csvTag, "text/csv"), csvTag);
        (await Get(anonymous, list, jsonTag, "text/csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Get(anonymous, list + "&format=csv-de", csvTag)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The syncing loop: the 304 carries the cursor.
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        const string sync = "/api/measures?changedAfterSequence=0&pageSize=1";
        var page = await Get(anonymous, sync);
        var pageTag = await TaggedAsync(page);
        var unchanged = await Get(anonymous, sync, pageTag);
        await NotModifiedAsync(unchanged, pageTag);
        unchanged.Headers.GetValues(DashboardResponder.SequenceHeader).ShouldBe(page.Headers.GetValues(DashboardResponder.SequenceHeader));

        // A command changes the measure on the page: the same If-None-Match is answered in full, with a new tag.
        await driver.Send(newest, new AmendDetails("Bedingte Abfrage (geändert)", null, null));
        var changed = await Get(anonymous, list, jsonTag);
        var changedTag = await TaggedAsync(changed);
        changedTag.ShouldNotBe(jsonTag);
        (await changed.Content.ReadAsStringAsync()).ShouldContain("Bedingte Abfrage (geändert)");
        (await Get(anonymous, list, csvTag, "text/csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await NotModifiedAsync(await Get(anonymous, list, changedTag), changedTag);
    }

    [Fact]
    public async Task A_dashboard_as_JSON_and_CSV_answers_304_until_the_projection_has_caught_up_with_a_change()
    {
        var driver = new MeasureDriver(api.Client);
        await driver.Propose(SampleCommands.Propose("ba-spandau", "Dashboard eins"));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var anonymous = api.AnonymousClient();
        const string portfolio = "/api/dashboard/portfolio?lead=ba-spandau";

        var (json, jsonTag) = await UnchangedTwiceAsync(anonymous, portfolio, "application/json");
        var (csv, csvTag) = await UnchangedTwiceAsync(anonymous, portfolio, "text/csv");
        csvTag.ShouldNotBe(jsonTag);
        // The freshness headers come with the 304.
        var again = await Get(anonymous, portfolio, csvTag, "text/csv");
        await NotModifiedAsync(again, csvTag);
        again.Headers.GetValues(DashboardResponder.SequenceHeader).ShouldBe(csv.Headers.GetValues(DashboardResponder.SequenceHeader));
        again.Headers.GetValues(DashboardResponder.LagHeader).ShouldBe(["0"]);

        await driver.Propose(SampleCommands.Propose("ba-spandau", "Dashboard zwei"));
        await api.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        foreach (var (accept, tag, before) in new[] { ("application/json", jsonTag, json), ("text/csv", csvTag, csv) })
        {
            var changed = await Get(anonymous, portfolio, tag, accept);
            (await TaggedAsync(changed)).ShouldNotBe(tag, accept);
            long.Parse(changed.Headers.GetValues(DashboardResponder.SequenceHeader).Single())
                .ShouldBeGreaterThan(long.Parse(before.Headers.GetValues(DashboardResponder.SequenceHeader).Single()), accept);
        }
    }

    /// <summary>
    /// The first answer and its tag, after checking that asking again with it is a 304. JSON states
    /// when its figures were computed (once per projection sequence and minute): when the two requests
    /// fall into two minutes, the second is new figures, and the pair is taken again.
    /// </summary>
    private static async Task<(HttpResponseMessage First, string Tag)> UnchangedTwiceAsync(HttpClient client, string url, string accept)
    {
        for (var attempt = 1; ; attempt++)
        {
            var first = await Get(client, url, accept: accept);
            var tag = await TaggedAsync(first);
            var again = await Get(client, url, tag, accept);
            if (again.StatusCode == HttpStatusCode.OK && accept == "application/json" && attempt < 3
                && ComputedAt(await first.Content.ReadAsStringAsync()) != ComputedAt(await again.Content.ReadAsStringAsync()))
            {
                continue;
            }
            await NotModifiedAsync(again, tag);
            return (first, tag);
        }

        static string ComputedAt(string json) =>
            System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("freshness").GetProperty("computedAt").GetString()!;
    }

    [Fact]
    public async Task A_refused_caller_gets_its_refusal_and_callers_who_see_other_imports_get_other_tags()
    {
        var office = api.CreateClient();
        await ImportTests.ImportAsync(office, new StringContent(ImportFiles.JsonLines([ImportFiles.Row("CR", 1, MeasureStage.Idea)]), Encoding.UTF8, "application/jsonl"),
            HttpStatusCode.Created);
        var officeTag = await TaggedAsync(await Get(office, "/api/imports"));
        await NotModifiedAsync(await Get(office, "/api/imports", officeTag), officeTag);

        // Without credentials the tag opens nothing: 401, not 304.
        (await Get(api.AnonymousClient(), "/api/imports", officeTag)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Get(api.AnonymousClient(), "/api/imports", "*")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // An editor of another administration sees none of the office's imports: another answer, another tag.
        var editor = api.ClientFor("ba-pankow", Roles.Editor);
        var own = await Get(editor, "/api/imports", officeTag);
        (await TaggedAsync(own)).ShouldNotBe(officeTag);
        (await own.Json()).GetProperty("items").GetArrayLength().ShouldBe(0);
        // Nor is a refusal of a conditional read turned into a 304 for a caller without the role.
        (await Get(api.ClientFor("ba-pankow", Roles.Auditor), "/api/imports", "*")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [GeneratedRegex("^\"[A-Za-z0-9_-]{24}\"$")]
    private static partial Regex ContentTag();
}
