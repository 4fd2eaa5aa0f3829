using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Domain;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;

/// <summary>
/// The import workload's two sides: a German import file, and the same rows' commands sent one by
/// one over HTTP, exactly the commands the import runs for them (the domain's own planner decides
/// both), so the two rates compare the same work.
/// </summary>
internal static class ImportBench
{
    private static readonly string[] _leads = ["ba-mitte", "ba-pankow", "ba-neukoelln"];

    /// <summary>Row i of a file: measure "prefix-i", led by one of three districts (none of them in the mandate's team), in stage idea … pilot in turn.</summary>
    public static Dictionary<string, string> Row(string prefix, int i)
    {
        var stages = ImportColumns.Stages;
        var index = i % stages.Count;
        var lead = _leads[i % _leads.Length];
        var propose = SampleCommands.Propose(lead);
        var row = new Dictionary<string, string>
        {
            [ImportColumns.ExternalId] = $"{prefix}-{i:D5}",
            [ImportColumns.Lead] = lead,
            [ImportColumns.Stage] = stages[index].Code(),
            [ImportColumns.Title] = $"Grünfläche Nr. {i} in Köpenick: größer, schöner, übersichtlicher",
            [ImportColumns.ProblemStatement] = "Die Fläche ist verwahrlost; Anwohnende möchten sie nutzen (\"Kiezgarten\").",
            [ImportColumns.Description] = "Zeile 1 der Beschreibung\nZeile 2; mit Semikolon",
            [ImportColumns.Type] = propose.Type!,
            [ImportColumns.Perspectives] = "zp1;zp2",
        };
        if (index >= 1)
        {
            var problem = SampleCommands.UnderstandProblem();
            row[ImportColumns.AffectedGroups] = Json(problem.AffectedGroups!);
            row[ImportColumns.Evidence] = problem.Evidence!;
        }
        if (index >= 2)
        {
            var goals = SampleCommands.DefineGoals();
            row[ImportColumns.Contributions] = Json(goals.Contributions!);
            row[ImportColumns.Indicators] = Json(goals.Indicators!);
        }
        if (index >= 3)
        {
            var mandate = SampleCommands.Mandate(lead);
            row[ImportColumns.Participating] = string.Join(";", mandate.Participating!);
            row[ImportColumns.Budget] = "250000,50";
            row[ImportColumns.FundingSource] = mandate.FundingSource!;
            row[ImportColumns.Responsibilities] = Json(mandate.Responsibilities!);
        }
        if (index >= 4)
        {
            var pilot = SampleCommands.StartPilot();
            row[ImportColumns.Plan] = pilot.Plan!;
            row[ImportColumns.PilotStart] = "01.03.2024";
            row[ImportColumns.PilotEnd] = pilot.End!.Value.ToString("yyyy-MM-dd");
            row[ImportColumns.Milestones] = Json(pilot.Milestones!);
        }
        return row;
    }

    /// <summary>The commands the import runs for a row of a new measure, as the service's planner decides them.</summary>
    public static IReadOnlyList<PlannedCommand> Commands(Dictionary<string, string> row, int number)
    {
        var cells = row.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value));
        var errors = new FieldErrors();
        var read = ImportRowReader.Read(number, cells, decimalComma: true, errors);
        var plan = ImportPlanner.Plan(read, null, Guid.CreateVersion7(), DateOnly.FromDateTime(DateTime.UtcNow), DateTimeOffset.UtcNow);
        if (errors.Any || plan.Outcome != ImportOutcome.Create)
        {
            throw new InvalidOperationException($"Row {number} does not plan as a new measure: {JsonSerializer.Serialize(plan.Errors)} {JsonSerializer.Serialize(errors.ToDictionary())}");
        }
        return plan.Commands;
    }

    /// <summary>import-file: the file as German spreadsheet programs save it (BOM, ';', CRLF), and how many commands its rows imply.</summary>
    public static async Task<object> WriteFileAsync(int count, string prefix, string path)
    {
        var columns = ImportColumns.All.Select(c => c.Name).ToList();
        var rows = new List<IReadOnlyList<object?>>(count);
        var commands = 0;
        var stages = new SortedDictionary<string, int>();
        for (var i = 1; i <= count; i++)
        {
            var row = Row(prefix, i);
            rows.Add([.. columns.Select(c => (object?)row.GetValueOrDefault(c))]);
            commands += Commands(row, i + 1).Count;
            stages[row[ImportColumns.Stage]] = stages.GetValueOrDefault(row[ImportColumns.Stage]) + 1;
        }
        var text = GemeinsamDigital.Api.Http.Csv.Write(new CsvTable(columns, rows), CsvDialect.German);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));
        return new { rows = count, commands, stages, bytes = new FileInfo(path).Length };
    }

    /// <summary>
    /// single-commands: each row's commands over HTTP, one client, one keep-alive connection, one
    /// request at a time, each pinned with If-Match to the version the one before answered and
    /// with a reason, as the import runs them. Wall time over all rows.
    /// </summary>
    public static async Task<object> SendAsync(int count, string prefix, string baseUrl, string key)
    {
        var plans = Enumerable.Range(1, count).Select(i => Commands(Row(prefix, i), i + 1)).ToList();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var latencies = new List<double>(plans.Sum(p => p.Count));
        var errors = 0;
        var failedRows = 0;
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < plans.Count; r++)
        {
            Guid? id = null;
            EntityTagHeaderValue? version = null;
            foreach (var command in plans[r])
            {
                var path = command.Command is ProposeMeasure ? "/api/measures" : $"/api/measures/{id}/{command.Name}";
                using var request = new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new StringContent(JsonSerializer.Serialize(command.Command, command.Command.GetType(), ApiJson.Options), Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Reason", Uri.EscapeDataString($"Benchmark {prefix}, row {r + 2}"));
                if (version is not null)
                {
                    request.Headers.IfMatch.Add(version);
                }
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    errors++;
                    if (errors <= 3)
                    {
                        Console.Error.WriteLine($"{command.Name} of row {r + 2}: {(int)response.StatusCode} {body}");
                    }
                    failedRows++;
                    break;
                }
                id ??= JsonDocument.Parse(body).RootElement.GetProperty("measureId").GetGuid();
                version = response.Headers.ETag;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Round(p / 100 * (latencies.Count - 1)))];
        return new
        {
            rows = count,
            commands = latencies.Count,
            errors,
            failed_rows = failedRows,
            seconds,
            rows_per_s = count / seconds,
            commands_per_s = latencies.Count / seconds,
            p50_ms = Percentile(50),
            p99_ms = Percentile(99),
        };
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, ApiJson.Options);
}
