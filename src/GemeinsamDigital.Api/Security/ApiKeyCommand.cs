using GemeinsamDigital.Domain.Measures;
using JasperFx.CommandLine;

namespace GemeinsamDigital.Api.Security;

// Lower case: the command line parses the verb case-sensitively (as JasperFx's own "codegen write").
#pragma warning disable IDE1006, CA1707
public enum ApiKeyAction
{
    create,
    list,
    revoke,
}
#pragma warning restore IDE1006, CA1707

/// <summary>The arguments of <c>apikey</c>.</summary>
public sealed class ApiKeyInput : NetCoreInput
{
    [Description("create, list or revoke")]
    public ApiKeyAction Action { get; set; }

    [Description("The key's id (revoke)")]
    public string? Id { get; set; }

    [Description("The key's name (create)")]
    public string? NameFlag { get; set; }

    [Description("The administration the key acts for (create; codes: GET /api/catalog)")]
    public string? AdministrationFlag { get; set; }

    [Description("Roles (create): editor, strategy-office, auditor, dashboard-reader; repeat the flag or separate by commas")]
    public List<string> RoleFlag { get; set; } = [];
}

/// <summary>
/// The command line for API keys, for the first key (before any strategy-office key exists) and for
/// operators: <c>dotnet GemeinsamDigital.Api.dll apikey create|list|revoke ...</c> (or build/apikey.sh),
/// one of the service's JasperFx commands (<c>help</c> lists them all). Uses the same configuration and
/// database as the service (ConnectionStrings__Marten). The new key alone goes to stdout (for scripts),
/// everything else to stderr.
/// </summary>
[Description("Creates, lists and revokes API keys", Name = "apikey")]
public sealed class ApiKeyCommand : JasperFxAsyncCommand<ApiKeyInput>
{
    public ApiKeyCommand()
    {
        Usage("List the keys").Arguments(x => x.Action);
        Usage("Create a key (--name, --administration, --role) or revoke the key ID").Arguments(x => x.Action, x => x.Id!);
    }

    public override async Task<bool> Execute(ApiKeyInput input)
    {
        using var host = input.BuildHost();
        var keys = host.Services.GetRequiredService<ApiKeyStore>();
        var actor = $"cli:{Environment.UserName}";
        switch (input.Action)
        {
            case ApiKeyAction.create:
                return await CreateAsync(keys, input, actor);
            case ApiKeyAction.list:
                foreach (var k in await keys.ListAsync(CancellationToken.None))
                {
                    Console.WriteLine($"{k.Id}  {k.Administration,-30} {string.Join(",", k.Roles),-30} {(k.IsRevoked ? $"revoked {k.RevokedAt:u}" : "active"),-28} {k.Name}");
                }
                return true;
            default:
                if (!Guid.TryParse(input.Id, out var id))
                {
                    Console.Error.WriteLine("usage: apikey revoke ID");
                    return false;
                }
                var revoked = await keys.RevokeAsync(id, actor, CancellationToken.None);
                Console.Error.WriteLine(revoked is null ? $"No API key with id {id}." : $"Revoked API key {id} ({revoked.Name}).");
                return revoked is not null;
        }
    }

    private static async Task<bool> CreateAsync(ApiKeyStore keys, ApiKeyInput input, string createdBy)
    {
        var roles = input.RoleFlag.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var command = new CreateApiKey(input.NameFlag, input.AdministrationFlag, roles);
        var errors = new FieldErrors();
        command.Validate(errors);
        if (errors.Any)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                Console.Error.WriteLine($"{field}: {string.Join(" ", messages)}");
            }
            return false;
        }
        var (record, secret) = await keys.CreateAsync(command, createdBy, CancellationToken.None);
        Console.Error.WriteLine($"Created API key {record.Id} '{record.Name}' for {record.Administration} ({string.Join(", ", record.Roles)}). "
            + "Copy the key now: only its hash is stored. Send it as header X-Api-Key.");
        Console.WriteLine(secret);
        return true;
    }
}
