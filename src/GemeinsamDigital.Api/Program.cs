using GemeinsamDigital.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddGemeinsamDigital();
var app = builder.Build();
app.UseGemeinsamDigital();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
