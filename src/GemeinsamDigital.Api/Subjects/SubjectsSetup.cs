using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Weasel.Postgresql.Tables;

namespace GemeinsamDigital.Api.Subjects;

/// <summary>The claim that carries the caller's pseudonym once it is resolved; what every record of the caller is stored under.</summary>
public static class SubjectClaims
{
    public const string Pseudonym = "gd_actor";

    /// <summary>Claims that name the real subject: never stored (an import keeps its caller's other claims to run as them).</summary>
    public static readonly IReadOnlySet<string> Personal = new HashSet<string>(StringComparer.Ordinal) { ClaimTypes.NameIdentifier, ClaimTypes.Name, "iss" };

    /// <summary>Adds the caller's pseudonym to an authenticated principal that has none yet.</summary>
    public static async Task EnsureAsync(ClaimsPrincipal user, SubjectDirectory directory, CancellationToken ct)
    {
        if (user.Identity is ClaimsIdentity { IsAuthenticated: true } identity && user.FindFirst(Pseudonym) is null)
        {
            identity.AddClaim(new Claim(Pseudonym, await directory.PseudonymOfAsync(user, ct)));
        }
    }
}

public static class SubjectsSetup
{
    // Only for Development and Testing, where no secret is configured: pseudonyms found by it are as stable as the database.
    private static readonly byte[] _developmentSecret = SHA256.HashData(Encoding.UTF8.GetBytes("gemeinsamdigital development subjects lookup secret"));

    public static IServiceCollection AddSubjects(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var secret = Secret(configuration, environment);
        services.ConfigureSwaggerGen(o => o.OperationFilter<SubjectOpenApi>());
        services.AddSingleton(sp => new SubjectDirectory(sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<TimeProvider>(), secret));
        services.ConfigureMarten(opts =>
        {
            var schema = opts.DatabaseSchemaName;
            // The identities and the lookup by HMAC; their keys in a table of their own, so that
            // backups of the keys can be kept for less time than anything else (see docs/security.md).
            var subjects = new Table($"{schema}.{SubjectDirectory.SubjectsTable}");
            subjects.AddColumn<string>("pseudonym").AsPrimaryKey();
            subjects.AddColumn("lookup", "bytea").AllowNulls();
            subjects.AddColumn("identity", "bytea").AllowNulls();
            subjects.AddColumn("first_seen", "timestamptz").NotNull();
            subjects.AddColumn("erased_at", "timestamptz").AllowNulls();
            subjects.Indexes.Add(new IndexDefinition($"{SubjectDirectory.SubjectsTable}_lookup") { Columns = ["lookup"], IsUnique = true });
            var keys = new Table($"{schema}.{SubjectDirectory.KeysTable}");
            keys.AddColumn<string>("pseudonym").AsPrimaryKey();
            keys.AddColumn("key", "bytea").NotNull();
            opts.Storage.ExtendedSchemaObjects.Add(subjects);
            opts.Storage.ExtendedSchemaObjects.Add(keys);
        });
        return services;
    }

    /// <summary>Resolves the pseudonym of every authenticated caller of a command (any method but GET and HEAD), once authorized.</summary>
    public static WebApplication UseSubjects(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
            {
                await SubjectClaims.EnsureAsync(http.User, http.RequestServices.GetRequiredService<SubjectDirectory>(), http.RequestAborted);
            }
            await next(http);
        });
        return app;
    }

    private static byte[] Secret(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[SubjectDirectory.SecretSetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return environment.IsDevelopment() || environment.IsEnvironment("Testing")
                ? _developmentSecret
                : throw new InvalidOperationException(
                    $"{SubjectDirectory.SecretSetting} is not set: give it at least 32 random bytes in base64 (env Subjects__LookupSecret), e.g. from 'openssl rand -base64 32', and keep it like any other secret.");
        }
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(configured);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{SubjectDirectory.SecretSetting} must be base64.");
        }
        return secret.Length >= 32 ? secret : throw new InvalidOperationException($"{SubjectDirectory.SecretSetting} must hold at least 32 bytes.");
    }
}
