using System.Net;
using System.Text;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Dashboards;

/// <summary>Accept-Language chooses the labels of dashboards (JSON and CSV) and the catalogue; codes and figures stay the same.</summary>
public class LanguageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<HttpResponseMessage> Get(string url, string accept, string? language)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (language is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", language);
        }
        var response = await api.Client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task<string[]> CsvLines(string language)
    {
        var response = await Get("/api/dashboard/portfolio", "text/csv", language);
        response.Content.Headers.ContentLanguage.ShouldBe([language[..2]]);
        response.Headers.Vary.ShouldContain("Accept-Language");
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).Split("\r\n");
    }

    [Fact]
    public async Task Accept_language_en_gives_a_dashboard_csv_english_labels_beside_the_same_codes_and_columns()
    {
        var english = await CsvLines("en");
        var german = await CsvLines("de");
        english[0].ShouldBe("section,code,label,measures,led,participating,weight_sum,weighted,share,event_sequence,projection_lag");
        english[0].ShouldBe(german[0]);
        english.Length.ShouldBe(german.Length);
        english.ShouldContain(l => l.StartsWith("stage,problem-understood,Problem understood,"));
        german.ShouldContain(l => l.StartsWith("stage,problem-understood,Problem verstanden,"));
        english.ShouldContain(l => l.StartsWith("perspective,zp1,\"Healthy, diverse neighbourhoods\","));
        english.ShouldContain(l => l.StartsWith("principle,gemeinwohlorientiert,Common good,"));
        english.ShouldContain(l => l.StartsWith("type,netzwerk,Network measure (partners outside the administration),"));
        // Codes and figures are the same in both: only the label column differs.
        english.Select(l => Cells(l).Where((_, i) => i != 2)).Select(c => string.Join('|', c))
            .ShouldBe(german.Select(l => Cells(l).Where((_, i) => i != 2)).Select(c => string.Join('|', c)));
    }

    // Good enough for these rows: a quoted label holds commas, nothing else does.
    private static string[] Cells(string line)
    {
        var quoted = line.IndexOf('"');
        return quoted < 0 ? line.Split(',') : [.. line[..quoted].Split(',')[..^1], line[quoted..(line.LastIndexOf('"') + 1)], .. line[(line.LastIndexOf('"') + 2)..].Split(',')];
    }

    [Theory]
    [InlineData("en", "Problem understood")]
    [InlineData("en-GB,de;q=0.5", "Problem understood")]
    [InlineData("de-DE,en;q=0.8", "Problem verstanden")]
    [InlineData("fr", "Problem verstanden")]
    [InlineData(null, "Problem verstanden")]
    public async Task The_highest_weighted_of_german_and_english_chooses_the_json_labels(string? language, string label)
    {
        var body = await (await Get("/api/dashboard/funnel", "application/json", language)).Json();
        body.GetProperty("figures").GetProperty("stages")[1].GetProperty("label").GetString().ShouldBe(label);
        body.GetProperty("figures").GetProperty("stages")[1].GetProperty("code").GetString().ShouldBe("problem-understood");
    }

    [Fact]
    public async Task The_catalogue_answers_english_labels_and_keeps_proper_names()
    {
        var catalog = await (await Get("/api/catalog", "application/json", "en")).Json();
        catalog.GetProperty("stages")[0].GetProperty("label").GetString().ShouldBe("Idea");
        catalog.GetProperty("futurePerspectives")[0].GetProperty("label").GetString().ShouldBe("Healthy, diverse neighbourhoods");
        catalog.GetProperty("administrations").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "tsb")
            .GetProperty("label").GetString().ShouldBe("Technologiestiftung Berlin");
        var german = await (await Get("/api/catalog", "application/json", null)).Json();
        german.GetProperty("stages")[0].GetProperty("label").GetString().ShouldBe("Idee");
    }
}
