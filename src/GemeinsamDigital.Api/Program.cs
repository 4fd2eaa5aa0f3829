using GemeinsamDigital.Api;
using JasperFx;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

// No arguments (or only flags such as --urls): runs the service. Otherwise one of the JasperFx
// commands (`help` lists them): codegen, db-apply, db-assert, db-patch, projections, apikey, …
// (docs/operations.md, "Command line").
// JasperFx reports on stderr, so stdout carries only what a command is asked for (a new API key).
AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
var builder = WebApplication.CreateBuilder(args);
if (args.Length > 0 && !args[0].StartsWith('-'))
{
    // A command, not the service: its log lines go to stderr as well.
    builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
builder.AddGemeinsamDigital();
var app = builder.Build();
app.UseGemeinsamDigital();
return await app.RunJasperFxCommands(args);

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
