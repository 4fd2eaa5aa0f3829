using System.Diagnostics;
using System.Net;
using System.Text;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Verify;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

public class ExportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    /// <summary>A measure whose data exercises the canonical form: umlauts, quotes, line breaks, decimals.</summary>
    private async Task<Guid> Measure()
    {
        var proposal = SampleCommands.Propose() with
        {
            Title = "Straße für „Ältere“ – Ω",
            Description = "Zeile 1\nZeile 2 mit \"Zitat\" und \\ Backslash\t.",
        };
        var measure = await new Scenario(_client).Propose(proposal);
        await measure.Step(SampleCommands.UnderstandProblem());
        await measure.Step(SampleCommands.DefineGoals());
        await measure.Step(SampleCommands.Mandate() with { Budget = new BudgetInput(250_000.50m, "EUR") });
        await measure.Step(SampleCommands.StartPilot());
        await measure.Step(new RecordMeasurement("aufenthalt", 9.50m, new DateOnly(2024, 9, 1), "Zählung"));
        return measure.Id;
    }

    private async Task<byte[]> Export(Guid id)
    {
        var response = await _client.GetAsync($"/api/measures/{id}/export");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(AuditBundle.ContentType);
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe($"measure-{id:D}.ndjson");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static (int ExitCode, string Output) RunVerify(byte[] bundle, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = VerifyCommand.Run(["-", .. extra], () => new MemoryStream(bundle), output, error);
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task The_export_verifies_offline_with_the_projects_own_command()
    {
        var id = await Measure();
        var bundle = await Export(id);
        var lines = Encoding.UTF8.GetString(bundle).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(6 + 3);
        lines[0].ShouldContain("\"record\":\"header\"");
        lines[^2].ShouldContain("\"record\":\"proof\"");
        lines[^1].ShouldContain("\"record\":\"trailer\"");

        var integrity = await (await _client.GetAsync($"/api/measures/{id}/integrity")).Read<IntegrityReport>();
        var (code, output) = RunVerify(bundle);
        code.ShouldBe(0, output);
        output.ShouldContain($"VALID measure {id}: 6 events, head version 6, head hash {integrity.HeadHash}");

        RunVerify(bundle, "--expect-head", integrity.HeadHash!).ExitCode.ShouldBe(0);
        RunVerify(bundle, "--expect-head", new string('0', 64)).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task The_verify_command_runs_as_a_process_on_a_file()
    {
        var bundle = await Export(await Measure());
        var file = Path.Combine(Path.GetTempPath(), $"gd-export-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllBytesAsync(file, bundle);
        try
        {
            (await RunProcess(file)).ExitCode.ShouldBe(0);
            bundle[bundle.Length / 2] ^= 0x01;
            await File.WriteAllBytesAsync(file, bundle);
            var (code, output) = await RunProcess(file);
            code.ShouldBe(1, output);
            output.ShouldStartWith("INVALID");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Changing_any_single_byte_makes_the_export_fail_to_verify()
    {
        var bundle = await Export(await Measure());
        RunVerify(bundle).ExitCode.ShouldBe(0);
        var accepted = new List<int>();
        for (var i = 0; i < bundle.Length; i++)
        {
            var copy = (byte[])bundle.Clone();
            copy[i] ^= 0x01;
            if (RunVerify(copy).ExitCode != 1)
            {
                accepted.Add(i);
            }
        }
        accepted.ShouldBeEmpty($"{bundle.Length} bytes; accepted changes at {string.Join(", ", accepted.Take(10))}");
    }

    [Fact]
    public async Task A_changed_event_fails_verification_and_is_named()
    {
        var bundle = await Export(await Measure());
        var text = Encoding.UTF8.GetString(bundle);
        var forged = Encoding.UTF8.GetBytes(text.Replace("250000.5", "350000.5"));
        var (code, output) = RunVerify(forged);
        code.ShouldBe(1);
        output.ShouldContain("bundleSha256");

        // Repairing the bundle digest does not help: the event's own hash names it.
        var lines = Encoding.UTF8.GetString(forged).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var body = string.Concat(lines.Take(lines.Count - 1).Select(l => l + "\n"));
        var trailer = System.Text.RegularExpressions.Regex.Replace(lines[^1], "\"bundleSha256\":\"[0-9a-f]{64}\"",
            $"\"bundleSha256\":\"{EventHash.Sha256(body)}\"");
        (code, output) = RunVerify(Encoding.UTF8.GetBytes(body + trailer + "\n"));
        code.ShouldBe(1);
        output.ShouldContain("first mismatch: version 4");
        output.ShouldContain("DataChanged");
    }

    [Fact]
    public async Task An_export_of_a_tampered_stream_does_not_verify()
    {
        var id = await Measure();
        await api.Sql("delete from gd.mt_events where stream_id = @id and version = 2", ("id", id));
        var (code, output) = RunVerify(await Export(id));
        code.ShouldBe(1);
        output.ShouldContain("EventMissing");
    }

    [Fact]
    public async Task Export_of_an_unknown_measure_is_404_and_bad_usage_is_exit_code_2()
    {
        (await _client.GetAsync($"/api/measures/{Guid.NewGuid()}/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        VerifyCommand.Run([], () => Stream.Null, TextWriter.Null, TextWriter.Null).ShouldBe(2);
        VerifyCommand.Run(["/nonexistent/bundle.ndjson"], () => Stream.Null, TextWriter.Null, TextWriter.Null).ShouldBe(2);
        RunVerify([]).ExitCode.ShouldBe(1);
    }

    private static async Task<(int ExitCode, string Output)> RunProcess(string file)
    {
        var dll = typeof(VerifyCommand).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
