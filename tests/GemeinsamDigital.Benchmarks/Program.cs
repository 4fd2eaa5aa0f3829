using System.Diagnostics;
using System.Text.Json;
using GemeinsamDigital.Api;
using GemeinsamDigital.Domain.Measures;
using Marten;

// Loads benchmark data straight into the event store, through the service's own Marten
// configuration, domain decisions and hash-chained ledger, so loaded streams are ones the API
// could have written. Usage (ConnectionStrings__Marten must be set):
//   pilots --count N --ids FILE       N measures in their pilot (8 events each); ids appended to FILE
//   long --events N --ids FILE        one measure in its pilot with N events in all
//   wait-projections                  wait until the async projections have caught up
//   peer --clients C --seconds S --ids FILE [--warmup W] [--daemon]
//                                     the peer baseline (PeerBench): C writers append with bare Marten for
//                                     S seconds (after W unmeasured) to random measures of FILE; --daemon:
//                                     the async projections run alongside
// and, for the import workload (no database needed; GD_BENCH_KEY is the API key):
//   import-file --rows N --prefix P --out FILE     an import file of N new measures P-00001 …
//   single-commands --rows N --prefix P --base URL the same rows' commands one by one over HTTP
// and, for the webhook workload (no database either):
//   webhook-receiver --port P --out FILE           receives deliveries on 127.0.0.1:P/hook/{n}, figures to FILE when stopped
//   feed-follower --base URL --after SEQ --out FILE long-polls the change feed until stopped, figures to FILE
// and, for the dashboards' memory (no database):
//   row-memory --count N --measurements M         bytes per monitoring row kept, full and reduced (RowMemory)
// and, for the transparency log (no database):
//   merkle --leaves N                              proof sizes and verification times in a log of N events
var command = args.FirstOrDefault() ?? "";
int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
string? Text(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

if (command == "merkle")
{
    Loader.Report(MerkleBench.Run(Option("--leaves", 1_000_000)));
    return 0;
}
if (command == "import-file")
{
    Loader.Report(await ImportBench.WriteFileAsync(Option("--rows", 10_000), Text("--prefix") ?? "bench-import", Text("--out") ?? "import.csv"));
    return 0;
}
if (command == "single-commands")
{
    Loader.Report(await ImportBench.SendAsync(Option("--rows", 10_000), Text("--prefix") ?? "bench-single", Text("--base") ?? "http://127.0.0.1:5080",
        Environment.GetEnvironmentVariable("GD_BENCH_KEY") ?? ""));
    return 0;
}
if (command == "webhook-receiver")
{
    return await WebhookBench.ReceiveAsync(Option("--port", 5090), Text("--out") ?? "webhook-receiver.json");
}
if (command == "feed-follower")
{
    return await WebhookBench.FollowAsync(Text("--base") ?? "http://127.0.0.1:5080", Environment.GetEnvironmentVariable("GD_BENCH_KEY") ?? "",
        long.Parse(Text("--after") ?? "0", System.Globalization.CultureInfo.InvariantCulture), Text("--out") ?? "feed-follower.json");
}

var builder = WebApplication.CreateBuilder([]);
builder.Configuration["Demo:Seed"] = "false";
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (command == "peer")
{
    // The peer counts concurrent-write failures as errors; Marten's log of each would fill stdout.
    builder.Logging.AddFilter("Marten", LogLevel.None);
}
builder.AddGemeinsamDigital();
await using var app = builder.Build();
var store = app.Services.GetRequiredService<IDocumentStore>();
if (command == "row-memory")
{
    Loader.Report(RowMemory.Measure(store.Options.Serializer(), Option("--count", 20_000), Option("--measurements", 3)));
    return 0;
}
await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
var clock = Stopwatch.StartNew();

switch (command)
{
    case "pilots":
    {
        var count = Option("--count", 1000);
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        var events = 0L;
        // Several writers, many streams per transaction: as fast as the store takes them.
        await Parallel.ForEachAsync(ids.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            await using var session = store.LightweightSession();
            foreach (var id in chunk)
            {
                var stream = Loader.Pilot(id, extraMeasurements: 3);
                EventLedger.StartStream(session, id, stream, Loader.Metadata);
                Interlocked.Add(ref events, stream.Count);
            }
            await session.SaveChangesAsync(ct);
        });
        await File.AppendAllLinesAsync(Text("--ids") ?? "ids.txt", ids.Select(i => i.ToString()));
        Loader.Report(new { measures = count, events, seconds = clock.Elapsed.TotalSeconds });
        break;
    }
    case "long":
    {
        var total = Option("--events", 10_000);
        var id = Guid.CreateVersion7();
        var stream = Loader.Pilot(id, extraMeasurements: 0);
        stream.AddRange(Loader.Measurements(total - stream.Count, stream[^1].At));
        await using (var session = store.LightweightSession())
        {
            EventLedger.StartStream(session, id, stream, Loader.Metadata);
            await session.SaveChangesAsync();
        }
        await File.WriteAllTextAsync(Text("--ids") ?? "long-id.txt", id.ToString());
        Loader.Report(new { measure = id, events = stream.Count, seconds = clock.Elapsed.TotalSeconds });
        break;
    }
    case "wait-projections":
    {
        var behind = await Loader.WaitForProjectionsAsync(store, null, TimeSpan.FromMinutes(30));
        Loader.Report(new { behind, seconds = clock.Elapsed.TotalSeconds });
        break;
    }
    case "peer":
    {
        var ids = (await File.ReadAllLinesAsync(Text("--ids") ?? "ids.txt")).Where(l => l.Length > 0).Select(Guid.Parse).ToArray();
        Loader.Report(await PeerBench.RunAsync(store, ids, Option("--clients", 8), Option("--seconds", 20), Option("--warmup", 0), args.Contains("--daemon")));
        break;
    }
    default:
        Console.Error.WriteLine("usage: pilots --count N --ids FILE | long --events N --ids FILE | wait-projections | peer --clients C --seconds S --ids FILE | import-file … | single-commands … | webhook-receiver … | feed-follower …");
        return 2;
}
return 0;

internal static class Loader
{
    /// <summary>
    /// Waits until the given shards (null: every progression row but the high-water mark's) have
    /// reached the newest event, or the timeout; returns how many events the furthest behind still
    /// lacks. A given shard without a progression row yet has applied nothing.
    /// </summary>
    public static async Task<long> WaitForProjectionsAsync(IDocumentStore store, IReadOnlyCollection<string>? shards, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var newest = (await store.Advanced.FetchEventStoreStatistics()).EventSequenceNumber;
            var progress = (await store.Advanced.AllProjectionProgress()).Where(p => p.ShardName != "HighWaterMark").ToDictionary(p => p.ShardName, p => p.Sequence);
            var behind = (shards ?? progress.Keys).Select(s => newest - progress.GetValueOrDefault(s)).DefaultIfEmpty(0).Max();
            if (behind <= 0 || DateTime.UtcNow > deadline)
            {
                return behind;
            }
            await Task.Delay(200);
        }
    }

    public static readonly CommandMetadata Metadata = new("bench-loader", "skzl", null, "bench-load");
    private static readonly DateOnly _pilotStart = new(2025, 1, 6);

    /// <summary>A measure driven to its pilot by the domain's own decisions, plus measurements.</summary>
    public static List<(IMeasureEvent Event, DateTimeOffset At)> Pilot(Guid id, int extraMeasurements)
    {
        var at = DateTimeOffset.UtcNow.AddDays(-30);
        var result = new List<(IMeasureEvent, DateTimeOffset)>();
        MeasureState? state = null;
        void Apply(Decision d)
        {
            if (d.Rejection is { } r)
            {
                throw new InvalidOperationException(r.Detail);
            }
            foreach (var e in d.Events)
            {
                at = at.AddMinutes(1);
                state = MeasureEvolution.Evolve(state, e, new EventInfo((state?.Version ?? 0) + 1, at));
                result.Add((e, at));
            }
        }
        Apply(MeasureLifecycle.Propose(id, new ProposeMeasure($"Benchmark-Maßnahme {id:N}", "Lastprobe.", null, "dezentral", "ba-mitte", ["zp7"], null)));
        Apply(MeasureLifecycle.Decide(state!, new UnderstandProblem([new AffectedGroupInput("Verwaltung", "staat", null)], "Messung.")));
        Apply(MeasureLifecycle.Decide(state!, new DefineGoals(
            [new("nachhaltig", 1, "x"), new("gemeinwohlorientiert", 2, "x"), new("resilient", 1, "x"), new("kooperativ", 2, "x")],
            ["zp7"], [new IndicatorInput("nutzung", "Nutzung", "Anzahl", 0, 1000)])));
        Apply(MeasureLifecycle.Decide(state!, new MandateMeasure("ba-mitte", ["senfin"], new BudgetInput(10_000, "EUR"), "Landeshaushalt",
            [new ResponsibilityInput("ba-mitte", "Leitung")])));
        Apply(MeasureLifecycle.Decide(state!, new StartPilot("Pilot.", _pilotStart, _pilotStart.AddYears(1), [new MilestoneInput("m1", "Start", _pilotStart.AddDays(30))])));
        result.AddRange(Measurements(extraMeasurements, at));
        return result;
    }

    public static IEnumerable<(IMeasureEvent Event, DateTimeOffset At)> Measurements(int count, DateTimeOffset after) =>
        Enumerable.Range(1, count).Select(i => ((IMeasureEvent)new IndicatorMeasured("nutzung", i % 1000, _pilotStart.AddDays(i % 360), "bench"), after.AddSeconds(i)));

    public static void Report(object figures) => Console.WriteLine(JsonSerializer.Serialize(figures));
}
