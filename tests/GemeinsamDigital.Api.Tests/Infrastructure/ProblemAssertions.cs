using System.Net;
using System.Text.Json;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 problem response with this status; returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        if (type is not null)
        {
            body.GetProperty("type").GetString().ShouldBe("https://gemeinsamdigital.berlin.de/problems/" + type);
        }
        return body;
    }

    /// <summary>Asserts an RFC 9457 problem of the given status and type whose 'errors' name the field.</summary>
    public static async Task<JsonElement> ShouldBeProblemNaming(this HttpResponseMessage response, HttpStatusCode status, string type, string field)
    {
        var body = await response.ShouldBeProblemAsync(status, type);
        var text = body.GetRawText();
        body.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue($"'errors' does not name '{field}': {text}");
        messages.EnumerateArray().ShouldNotBeEmpty();
        return body;
    }
}
