using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Security;

/// <summary>
/// The command line for API keys, for the first key (before any strategy-office key exists) and for
/// operators: <c>dotnet GemeinsamDigital.Api.dll apikey create|list|revoke ...</c> (or build/apikey.sh).
/// Uses the same configuration and database as the service (ConnectionStrings__Marten).
/// </summary>
public static class ApiKeyCommandLine
{
    public const string Command = "apikey";

    private const string Usage = """
        usage:
          apikey create --name NAME --administration CODE --role ROLE [--role ROLE ...]
          apikey list
          apikey revoke ID
        roles: editor, strategy-office, auditor, dashboard-reader; administrations: GET /api/catalog
        """;

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == Command;

    /// <summary>Runs the command; the new key alone goes to stdout (for scripts), everything else to stderr.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        if (verb is not ("create" or "list" or "revoke"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddGemeinsamDigital();
        await using var app = builder.Build();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var actor = $"cli:{Environment.UserName}";
        switch (verb)
        {
            case "create":
                return await CreateAsync(keys, args[2..], actor);
            case "list":
                foreach (var k in await keys.ListAsync(CancellationToken.None))
                {
                    Console.WriteLine($"{k.Id}  {k.Administration,-30} {string.Join(",", k.Roles),-30} {(k.IsRevoked ? $"revoked {k.RevokedAt:u}" : "active"),-28} {k.Name}");
                }
                return 0;
            default:
                if (args.Length < 3 || !Guid.TryParse(args[2], out var id))
                {
                    Console.Error.WriteLine(Usage);
                    return 2;
                }
                var revoked = await keys.RevokeAsync(id, actor, CancellationToken.None);
                Console.Error.WriteLine(revoked is null ? $"No API key with id {id}." : $"Revoked API key {id} ({revoked.Name}).");
                return revoked is null ? 1 : 0;
        }
    }

    private static async Task<int> CreateAsync(ApiKeyStore keys, string[] options, string createdBy)
    {
        string? name = null, administration = null;
        var roles = new List<string>();
        for (var i = 0; i < options.Length; i++)
        {
            var value = i + 1 < options.Length ? options[i + 1] : null;
            switch (options[i])
            {
                case "--name":
                    name = value;
                    break;
                case "--administration":
                    administration = value;
                    break;
                case "--role":
                    roles.AddRange((value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{options[i]}'.\n{Usage}");
                    return 2;
            }
            i++;
        }
        var command = new CreateApiKey(name, administration, roles);
        var errors = new FieldErrors();
        command.Validate(errors);
        if (errors.Any)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                Console.Error.WriteLine($"{field}: {string.Join(" ", messages)}");
            }
            return 2;
        }
        var (record, secret) = await keys.CreateAsync(command, createdBy, CancellationToken.None);
        Console.Error.WriteLine($"Created API key {record.Id} '{record.Name}' for {record.Administration} ({string.Join(", ", record.Roles)}). "
            + "Copy the key now: only its hash is stored. Send it as header X-Api-Key.");
        Console.WriteLine(secret);
        return 0;
    }
}
