using System.Diagnostics;
using Npgsql;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of its own (build/pg.sh with GD_PG_DATA and GD_PG_PORT), for tests that stop
/// and start the server: the cluster every other test class shares must never go down.
/// Needs the PostgreSQL server binaries (as build/pg.sh does).
/// </summary>
public sealed class OwnPostgresCluster : IAsyncDisposable
{
    private OwnPostgresCluster(string dataFolder, int port)
    {
        DataFolder = dataFolder;
        Port = port;
    }

    public string DataFolder { get; }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Password = "postgres", Database = database }.ConnectionString;

    public static async Task<OwnPostgresCluster> StartAsync()
    {
        var cluster = new OwnPostgresCluster(Path.Combine(Path.GetTempPath(), $"gd-pg-own-{Guid.NewGuid():N}"[..30]), ApiProcess.FreePort());
        await cluster.StartAgainAsync();
        return cluster;
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts the server (again) on the same port and data.</summary>
    public Task StartAgainAsync() => PgShAsync("start");

    /// <summary>Stops the server (pg_ctl -m fast: open connections are cut).</summary>
    public Task StopAsync() => PgShAsync("stop");

    private async Task PgShAsync(string command)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(RepoRoot.Path, "build", "pg.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot.Path,
        };
        psi.Environment["GD_PG_DATA"] = DataFolder;
        psi.Environment["GD_PG_PORT"] = Port.ToString();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"build/pg.sh {command} failed ({process.ExitCode}): {await errors} {await output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataFolder, recursive: true);
    }
}
