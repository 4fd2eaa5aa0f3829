using GemeinsamDigital.Api;
using JasperFx;

// No arguments (or only flags such as --urls): runs the service. Otherwise one of the JasperFx
// commands (`help` lists them): codegen, db-apply, db-assert, db-patch, projections, apikey, …
// (docs/operations.md, "Command line").
var builder = WebApplication.CreateBuilder(args);
builder.AddGemeinsamDigital();
var app = builder.Build();
app.UseGemeinsamDigital();
return await app.RunJasperFxCommands(args);

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
