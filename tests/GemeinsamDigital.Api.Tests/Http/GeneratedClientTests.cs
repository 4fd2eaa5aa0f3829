using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>
/// As a client developer of another administration would: the built service runs on its own database,
/// Kiota (the local dotnet tool of .config/dotnet-tools.json) generates a C# client from the document
/// the service serves, and tests/GemeinsamDigital.ClientCheck, a small program against that client,
/// is compiled and run against the service. Generation is skipped when the document is unchanged
/// since the last run, and the program's build is incremental.
/// </summary>
public sealed class GeneratedClientFixture : IAsyncLifetime
{
    private string _database = "";
    private ApiProcess? _service;

    public static string ProjectFolder => Path.Combine(RepoRoot.Path, "tests", "GemeinsamDigital.ClientCheck");

    public Uri BaseAddress => _service!.BaseAddress;

    public string ApiKey { get; private set; } = "";

    public string Program { get; private set; } = "";

    /// <summary>The domain's sample commands as JSON files, the program's request bodies.</summary>
    public string ProposeJson { get; private set; } = "";

    public string UnderstandProblemJson { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("gd_kiota");
        _service = await ApiProcess.StartAsync(_database);
        var (exit, key, errors) = await ApiProcess.RunCliAsync(_database, "apikey", "create", "--name", "Generated client", "--administration", "skzl", "--role", "strategy-office");
        exit.ShouldBe(0, errors);
        ApiKey = key.Trim();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        var document = await http.GetStringAsync("/swagger/v1/swagger.json");
        var obj = Directory.CreateDirectory(Path.Combine(ProjectFolder, "obj")).FullName;
        ProposeJson = Path.Combine(obj, "propose.json");
        UnderstandProblemJson = Path.Combine(obj, "understand-problem.json");
        await File.WriteAllTextAsync(ProposeJson, JsonSerializer.Serialize(SampleCommands.Propose(), HttpExtensions.JsonOptions));
        await File.WriteAllTextAsync(UnderstandProblemJson, JsonSerializer.Serialize(SampleCommands.UnderstandProblem(), HttpExtensions.JsonOptions));

        await GenerateAsync(document, obj);
        Program = await CompileAsync();
    }

    private static async Task GenerateAsync(string document, string obj)
    {
        var generated = Path.Combine(ProjectFolder, "Generated");
        var stamp = Path.Combine(generated, ".served-openapi.sha256");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == hash)
        {
            return;
        }
        var served = Path.Combine(obj, "served-openapi.json");
        await File.WriteAllTextAsync(served, document);
        await RunAsync(RepoRoot.Path, "tool", "restore");
        // JSON only: the program needs no other serializer package than Microsoft.Kiota.Serialization.Json.
        await RunAsync(RepoRoot.Path, "kiota", "generate", "--language", "CSharp", "--openapi", served, "--output", generated,
            "--namespace-name", "GdClient", "--class-name", "GemeinsamDigitalClient", "--clean-output",
            "--serializer", "Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory",
            "--deserializer", "Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory");
        await File.WriteAllTextAsync(stamp, hash);
    }

    private static async Task<string> CompileAsync()
    {
        // The configuration these tests were built in (bin/<configuration>/<framework>/).
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        await RunAsync(ProjectFolder, "build", "-c", configuration, "-nologo", "-v", "quiet", "-nodeReuse:false");
        var program = Path.Combine(ProjectFolder, "bin", configuration, testOutput.Name, "GemeinsamDigital.ClientCheck.dll");
        File.Exists(program).ShouldBeTrue(program);
        return program;
    }

    /// <summary>Runs dotnet with these arguments; fails with its output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string folder, params string[] args)
    {
        var (exit, output) = await DotnetAsync(folder, args);
        exit.ShouldBe(0, $"dotnet {string.Join(' ', args)}:\n{output}");
        return output;
    }

    public static async Task<(int Exit, string Output)> DotnetAsync(string folder, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        // The test host's MSBuild variables would point a nested build at the outer one's SDK state.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH").ToList())
        {
            psi.Environment.Remove(name);
        }
        psi.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        psi.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return (process.ExitCode, await output + await errors);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await PostgresServer.DropDatabaseAsync(_database);
    }
}

public class GeneratedClientTests(GeneratedClientFixture client) : IClassFixture<GeneratedClientFixture>
{
    private static Dictionary<string, string> Values(string output) =>
        output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public async Task The_generated_client_proposes_a_measure_and_reads_its_id_and_version_from_the_typed_answer()
    {
        var (exit, output) = await GeneratedClientFixture.DotnetAsync(GeneratedClientFixture.ProjectFolder,
            client.Program, "propose", client.BaseAddress.ToString(), client.ApiKey, client.ProposeJson);
        exit.ShouldBe(0, output);
        var values = Values(output);
        var id = Guid.Parse(values["measureId"]);
        long.Parse(values["version"]).ShouldBe(1);

        // The id it read is the measure the service recorded.
        using var http = new HttpClient { BaseAddress = client.BaseAddress };
        var measure = await http.GetAsync($"/api/measures/{id}");
        measure.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await measure.Read<MeasureState>()).Title.ShouldBe(SampleCommands.Propose().Title);
    }

    /// <summary>
    /// Needs the OpenAPI document to declare, for a command's 412, a problem schema with
    /// <c>currentVersion</c>: Kiota then throws a typed exception with a CurrentVersion property.
    /// </summary>
    [Fact]
    public async Task A_stale_If_Match_surfaces_in_the_generated_client_as_a_typed_problem_with_currentVersion()
    {
        var (exit, output) = await GeneratedClientFixture.DotnetAsync(GeneratedClientFixture.ProjectFolder,
            client.Program, "stale", client.BaseAddress.ToString(), client.ApiKey, client.ProposeJson, client.UnderstandProblemJson);
        exit.ShouldBe(0, output);
        Values(output)["currentVersion"].ShouldBe("1");
    }
}
