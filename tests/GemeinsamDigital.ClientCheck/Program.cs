using GdClient;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;
using Models = GdClient.Models;

// What a client developer writes against the generated client, and nothing more:
//   propose <baseUrl> <apiKey> <propose.json>                       proposes, prints the typed id and version
//   stale   <baseUrl> <apiKey> <propose.json> <understand.json>     also sends a step with a stale If-Match,
//                                                                   expects a typed 412 problem with CurrentVersion
// The JSON files are the domain's sample commands (the same as the OpenAPI examples), read into the typed models.
if (args.Length < 4 || (args[0] == "stale" && args.Length < 5))
{
    Console.Error.WriteLine("usage: propose|stale <baseUrl> <apiKey> <propose.json> [<understand-problem.json>]");
    return 2;
}
var (mode, baseUrl, apiKey) = (args[0], args[1], args[2]);
// Kiota's ApiKeyAuthenticationProvider insists on https; the service under test listens on plain http
// on the loopback, so the key goes in as a default header of the HttpClient instead.
var http = KiotaClientFactory.Create();
http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
var client = new GemeinsamDigitalClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });

var proposal = await ReadAsync(args[3], Models.ProposeMeasure.CreateFromDiscriminatorValue);
Models.CommandAccepted? accepted;
try
{
    accepted = await client.Api.Measures.PostAsync(proposal);
}
catch (ApiException e)
{
    // A typed problem: say what it was (its detail, and its field errors if any).
    var detail = e.GetType().GetProperty("Detail")?.GetValue(e);
    var errors = e.GetType().GetProperty("Errors")?.GetValue(e) is IAdditionalDataHolder holder ? string.Join("; ", holder.AdditionalData.Keys) : "";
    Console.Error.WriteLine($"proposeMeasure failed: {e.ResponseStatusCode} {e.GetType().Name}: {detail} {errors}");
    return 7;
}
if (accepted?.MeasureId is not Guid id || accepted.Version is not long version)
{
    Console.Error.WriteLine("The typed answer of proposeMeasure carries no measureId or no version.");
    return 3;
}
Console.WriteLine($"measureId={id}");
Console.WriteLine($"version={version}");
if (mode == "propose")
{
    return 0;
}

var step = await ReadAsync(args[4], Models.UnderstandProblem.CreateFromDiscriminatorValue);
try
{
    await client.Api.Measures[id.ToString()].UnderstandProblem.PostAsync(step, c => c.Headers.Add("If-Match", $"\"{version + 5}\""));
    Console.Error.WriteLine("A stale If-Match was accepted.");
    return 4;
}
catch (ApiException e) when (e.ResponseStatusCode == 412)
{
    Console.WriteLine($"problemType={e.GetType().FullName}");
    var typed = e.GetType().GetProperty("CurrentVersion")?.GetValue(e);
    if (typed is null)
    {
        var untyped = e is IAdditionalDataHolder holder && holder.AdditionalData.TryGetValue("currentVersion", out var value) ? value : "none";
        Console.Error.WriteLine($"The 412 arrived as {e.GetType().FullName} without a typed CurrentVersion (in its untyped additional data: {untyped}). "
            + "The OpenAPI document needs a 412 problem schema that declares 'currentVersion'.");
        return 5;
    }
    Console.WriteLine($"currentVersion={typed}");
    return Convert.ToInt64(typed) == version ? 0 : 6;
}

static async Task<T> ReadAsync<T>(string path, ParsableFactory<T> factory) where T : IParsable
{
    await using var stream = File.OpenRead(path);
    var node = await new JsonParseNodeFactory().GetRootParseNodeAsync("application/json", stream);
    return node.GetObjectValue(factory) ?? throw new InvalidOperationException($"{path} holds no JSON object.");
}
