using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run: GD_TEST_POSTGRES if set, else Testcontainers when a
/// Docker engine answers, else the local cluster of build/pg.sh. Each test class gets its own database.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> _admin = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static PostgreSqlContainer? _container;

    public static Task<string> AdminConnectionString => _admin.Value;

    public static PostgresSourceKind ChosenSource { get; private set; } = PostgresSourceKind.None;

    /// <summary>A fresh, empty database on the server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var admin = await AdminConnectionString;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        var explicitCs = Environment.GetEnvironmentVariable(PostgresSource.EnvironmentVariable);
        var docker = string.IsNullOrWhiteSpace(explicitCs) && await DockerAnswersAsync();
        var source = PostgresSource.Choose(explicitCs, docker, LocalBinariesExist());
        ChosenSource = source;
        string cs;
        switch (source)
        {
            case PostgresSourceKind.Explicit:
                cs = explicitCs!;
                Report($"PostgreSQL for tests: {PostgresSource.EnvironmentVariable} ({Describe(cs)})");
                break;
            case PostgresSourceKind.Testcontainers:
                _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await _container.StartAsync();
                cs = _container.GetConnectionString();
                Report($"PostgreSQL for tests: Testcontainers ({Describe(cs)})");
                break;
            case PostgresSourceKind.LocalCluster:
                cs = await StartLocalClusterAsync();
                Report($"PostgreSQL for tests: local cluster from build/pg.sh ({Describe(cs)})");
                break;
            default:
                throw new InvalidOperationException(
                    $"No PostgreSQL for tests: set {PostgresSource.EnvironmentVariable}, start a Docker engine, or install PostgreSQL (apt-get install postgresql).");
        }
        // Pooling off for the admin connection keeps CREATE/DROP DATABASE free of idle sessions.
        return new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString;
    }

    private static void Report(string line)
    {
        Console.Error.WriteLine(line);
        var file = Path.Combine(RepoRoot.Path, ".data", "test-postgres-source.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, line + Environment.NewLine);
    }

    private static string Describe(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"{b.Host}:{b.Port}";
    }

    public static bool LocalBinariesExist() =>
        (Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "pg_ctl", SearchOption.AllDirectories).Any())
        || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, "pg_ctl")));

    /// <summary>Asks the Docker engine's socket for /_ping; a client binary alone is not an engine.</summary>
    public static async Task<bool> DockerAnswersAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socketPath = host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        if (host is not null && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return true; // A remote engine was configured on purpose; let Testcontainers use it.
        }
        if (!File.Exists(socketPath))
        {
            return false;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), cts.Token);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task<string> StartLocalClusterAsync()
    {
        var script = Path.Combine(RepoRoot.Path, "build", "pg.sh");
        var psi = new ProcessStartInfo("bash", [script, "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot.Path,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"build/pg.sh start failed ({process.ExitCode}): {await stderr}");
        }
        return (await stdout).Trim().Split('\n')[^1];
    }
}

public static class RepoRoot
{
    public static readonly string Path = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GemeinsamDigital.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (GemeinsamDigital.sln) above " + AppContext.BaseDirectory);
    }
}
