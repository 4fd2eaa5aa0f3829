using GemeinsamDigital.Api;

// "apikey create|list|revoke ..." manages API keys (docs/security.md); anything else runs the service.
if (ApiKeyCommandLine.Handles(args))
{
    return await ApiKeyCommandLine.RunAsync(args);
}
var builder = WebApplication.CreateBuilder(args);
builder.AddGemeinsamDigital();
var app = builder.Build();
app.UseGemeinsamDigital();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
