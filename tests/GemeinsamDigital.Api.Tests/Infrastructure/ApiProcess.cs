using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// The built service (GemeinsamDigital.Api.dll in its output folder) as a child process, as it runs in
/// production: for the command line and for killing it with SIGKILL.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    /// <summary>Where build/test.sh publishes the static build.</summary>
    public const string StaticBuildVariable = "GD_TEST_SERVICE";

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The service's folder: the static build build/test.sh publishes (GD_TEST_SERVICE, as the
    /// container image runs it: no Roslyn), else the API project's output folder for the
    /// configuration these tests were built in.
    /// </summary>
    public static string OutputFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable(StaticBuildVariable) is { Length: > 0 } published)
            {
                return published;
            }
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testOutput.Parent!.Name;
            var folder = Path.Combine(RepoRoot.Path, "src", "GemeinsamDigital.Api", "bin", configuration, testOutput.Name);
            return File.Exists(Path.Combine(folder, "GemeinsamDigital.Api.dll")) ? folder : testOutput.FullName;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string connectionString, IEnumerable<string> args, IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = OutputFolder;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(folder, "GemeinsamDigital.Api.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // The suite runs many databases at once: on a loaded machine PostgreSQL can take longer than
        // the service's 5 s to accept a connection, which would fail a command or a start for no
        // fault of its own.
        psi.Environment["ConnectionStrings__Marten"] = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Timeout = 90 }.ConnectionString;
        psi.Environment["Demo__Seed"] = "false";
        // Production requires the secret that finds subjects' pseudonyms.
        psi.Environment["Subjects__LookupSecret"] = Convert.ToBase64String(new byte[32]);
        psi.Environment["Limits__RateLimit__PermitLimit"] = "1000000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // Production applies no schema change at start (db-apply does: DeploymentTests); these
        // tests' databases are new, so the child creates its schema as it would after db-apply.
        psi.Environment["Database__AutoCreate"] = "CreateOrUpdate";
        psi.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        return psi;
    }

    /// <summary>Runs the command line (e.g. "apikey create ..."): exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunCliAsync(string connectionString, params string[] args)
    {
        using var process = Process.Start(StartInfo(connectionString, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Generous: under the whole suite's load a db-apply of a new database has taken over two minutes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Starts the service on a loopback port and waits until /health/ready answers 200.</summary>
    /// <param name="connectionString">The database.</param>
    /// <param name="port">The port (a free one if none).</param>
    /// <param name="settings">Further settings as environment variables (e.g. Webhooks__AllowLoopback).</param>
    /// <param name="readyWithin">How long to wait for readiness (180 s unless given: under the whole suite's load a start has taken more than 90 s).</param>
    public static async Task<ApiProcess> StartAsync(string connectionString, int? port = null, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? readyWithin = null)
    {
        var chosen = port ?? FreePort();
        var process = Process.Start(StartInfo(connectionString, ["--urls", $"http://127.0.0.1:{chosen}"], settings))!;
        var api = new ApiProcess(process, chosen);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (readyWithin ?? TimeSpan.FromSeconds(180));
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode}:\n{api.Log}");
            }
            try
            {
                var ready = await probe.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
                last = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            await Task.Delay(200);
        }
        api.Kill();
        throw new TimeoutException($"The service did not get ready (last /health/ready: {last}):\n{api.Log}");
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what is not committed is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
