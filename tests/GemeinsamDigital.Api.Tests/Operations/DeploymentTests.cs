using System.Net;
using System.Net.Http.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Operations;

/// <summary>
/// How the service is deployed: the pre-generated code a static build compiles in, and the explicit
/// schema upgrade of Production (docs/operations.md, "Upgrades").
/// </summary>
public class DeploymentTests
{
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Username=none;Password=none;Database=none";

    [Fact]
    public async Task The_generated_code_in_the_repository_is_what_the_service_generates_now()
    {
        var written = Path.Combine(ApiProcess.OutputFolder, "Internal");
        if (Directory.Exists(written))
        {
            Directory.Delete(written, recursive: true);
        }
        try
        {
            // Exactly what build/codegen.sh runs: the host is built, not started, so no database.
            var (exit, output, errors) = await ApiProcess.RunCliAsync(NoDatabase, "codegen", "write");
            exit.ShouldBe(0, output + errors);

            var generated = Files(Path.Combine(written, "Generated"));
            var committed = Files(Path.Combine(RepoRoot.Path, "src", "GemeinsamDigital.Api", "Internal", "Generated"));
            generated.Count.ShouldBeGreaterThan(50);
            var stale = generated.Keys.Union(committed.Keys)
                .Where(f => !generated.TryGetValue(f, out var now) || !committed.TryGetValue(f, out var kept) || now != kept)
                .Order(StringComparer.Ordinal)
                .ToList();
            stale.ShouldBeEmpty($"src/GemeinsamDigital.Api/Internal/Generated is stale (run build/codegen.sh): {string.Join(", ", stale)}");
        }
        finally
        {
            if (Directory.Exists(written))
            {
                Directory.Delete(written, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_static_build_carries_no_compiler_and_serves_every_kind_of_request()
    {
        var folder = Environment.GetEnvironmentVariable(ApiProcess.StaticBuildVariable);
        folder.ShouldNotBeNullOrEmpty($"build/test.sh publishes the static build and names it in {ApiProcess.StaticBuildVariable}: run the tests through it");
        File.Exists(Path.Combine(folder, "GemeinsamDigital.Api.dll")).ShouldBeTrue($"no static build in {folder} (did its publish fail? a stale Internal/Generated breaks it: run build/codegen.sh)");
        Directory.EnumerateFiles(folder, "*.dll").Select(Path.GetFileName)
            .Where(f => f!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || f == "Wolverine.RuntimeCompilation.dll" || f == "JasperFx.RuntimeCompiler.dll")
            .ShouldBeEmpty("the static build must not carry the runtime compiler");

        // Without a compiler in the folder, every request below runs pre-generated code.
        var database = await PostgresServer.CreateDatabaseAsync("static");
        try
        {
            var (exit, key, errors) = await ApiProcess.RunCliAsync(database, "apikey", "create", "--name", "static", "--administration", "skzl", "--role", "strategy-office");
            exit.ShouldBe(0, errors);
            await using var api = await ApiProcess.StartAsync(database);
            using var client = new HttpClient { BaseAddress = api.BaseAddress };
            client.DefaultRequestHeaders.Add("X-Api-Key", key.Trim());
            var proposed = await client.PostAsJsonAsync("/api/measures", Domain.Measures.SampleCommands.Propose(), HttpExtensions.JsonOptions);
            proposed.StatusCode.ShouldBe(HttpStatusCode.Created, await proposed.Content.ReadAsStringAsync());
            var id = (await proposed.Read<Api.Measures.CommandAccepted>()).MeasureId;
            (await client.PostAsJsonAsync($"/api/measures/{id}/understand-problem", Domain.Measures.SampleCommands.UnderstandProblem(), HttpExtensions.JsonOptions)).StatusCode.ShouldBe(HttpStatusCode.OK);
            foreach (var read in new[] { $"/api/measures/{id}", "/api/measures", "/api/dashboard/funnel", "/api/catalog", $"/api/measures/{id}/history", "/api/admin/projections" })
            {
                (await client.GetAsync(read)).StatusCode.ShouldBe(HttpStatusCode.OK, read);
            }
            (await client.PostAsync("/api/measures", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            api.Log.ShouldNotContain("\"LogLevel\":\"Error\"");
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Production_changes_no_schema_at_start_and_db_apply_brings_it_up_to_date()
    {
        var database = await PostgresServer.CreateDatabaseAsync("deploy");
        try
        {
            var production = new Dictionary<string, string> { ["Database__AutoCreate"] = "None" };
            var (exit, output, errors) = await ApiProcess.RunCliAsync(database, "db-assert");
            exit.ShouldNotBe(0, "an empty database does not match the schema");

            // The generated patch is the reviewable form of the same change.
            var patch = Path.Combine(Path.GetTempPath(), $"gd-patch-{Guid.NewGuid():N}.sql");
            (exit, output, errors) = await ApiProcess.RunCliAsync(database, "db-patch", patch, "--database", "marten://store/");
            exit.ShouldBe(0, output + errors);
            var sql = await File.ReadAllTextAsync(patch);
            File.Delete(patch);
            sql.ShouldContain("mt_events", Case.Insensitive);
            sql.ShouldContain("merkle_leaves", Case.Insensitive);

            await using (var refused = await TryStartAsync(database, production))
            {
                refused.ShouldBeNull("without db-apply Production must not get ready on an empty database");
            }
            await using (var connection = new Npgsql.NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var tables = new Npgsql.NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'gd'", connection);
                ((long)(await tables.ExecuteScalarAsync())!).ShouldBe(0, "Production created tables at start");
            }

            (exit, output, errors) = await ApiProcess.RunCliAsync(database, "db-apply");
            exit.ShouldBe(0, output + errors);
            (exit, output, errors) = await ApiProcess.RunCliAsync(database, "db-assert");
            exit.ShouldBe(0, output + errors);

            await using var api = await ApiProcess.StartAsync(database, settings: production);
            using var client = new HttpClient { BaseAddress = api.BaseAddress };
            (await client.GetAsync("/api/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/api/measures")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static async Task<ApiProcess?> TryStartAsync(string database, IReadOnlyDictionary<string, string> settings)
    {
        try
        {
            return await ApiProcess.StartAsync(database, settings: settings, readyWithin: TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];
}
