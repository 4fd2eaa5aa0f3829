using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Security;

/// <summary>
/// A client's API key as stored: only the SHA-256 hash of the secret, never the secret itself.
/// Bound to one administration (catalogue code) and a set of roles. Revoked keys stay on record.
/// </summary>
public sealed record ApiKeyRecord
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Hash { get; init; } = "";
    public string Administration { get; init; } = "";
    public IReadOnlyList<string> Roles { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    public ClaimsPrincipal ToPrincipal(string scheme) => Principals.Create(scheme, $"apikey:{Id}", Name, Administration, Roles);
}

/// <summary>What a caller is told about a key; the secret only once, when it is created.</summary>
public sealed record ApiKeyView(
    Guid Id,
    string Name,
    string Administration,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? Key = null)
{
    public static ApiKeyView Of(ApiKeyRecord r, string? key = null) =>
        new(r.Id, r.Name, r.Administration, r.Roles, r.CreatedAt, r.CreatedBy, r.RevokedAt, r.RevokedBy, key);
}

/// <summary>Create an API key for a client.</summary>
/// <param name="Name">Who the client is, e.g. "Fachverfahren BA Mitte".</param>
/// <param name="Administration">The administration the client acts for (catalogue code).</param>
/// <param name="Roles">editor, strategy-office, auditor and/or dashboard-reader.</param>
public sealed record CreateApiKey(
    [property: Required, MaxLength(FieldErrors.MaxTitle)] string? Name,
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Administration,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), Codes(typeof(Security.Roles), nameof(Security.Roles.All))] IReadOnlyList<string>? Roles)
{
    /// <summary>The request example of the OpenAPI document.</summary>
    public static readonly CreateApiKey Example = new("Fachverfahren BA Mitte", "ba-mitte", [Security.Roles.Editor]);

    public void Validate(FieldErrors errors)
    {
        errors.Required(Name, "name", FieldErrors.MaxTitle);
        errors.Code(Administration, "administration", StrategyCatalog.IsAdministration, "administration");
        errors.Codes(Roles, "roles", Security.Roles.IsKnown, $"role ({string.Join(", ", Security.Roles.All)})", min: 1);
    }
}

/// <summary>Builds the claims every authentication scheme of this service produces.</summary>
public static class Principals
{
    public static ClaimsPrincipal Create(string scheme, string subject, string? name, string? administration, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, subject) };
        if (!string.IsNullOrWhiteSpace(name))
        {
            claims.Add(new Claim(ClaimTypes.Name, name));
        }
        if (!string.IsNullOrWhiteSpace(administration))
        {
            claims.Add(new Claim(CommandMetadata.AdministrationClaim, administration));
        }
        claims.AddRange(roles.Where(Roles.IsKnown).Distinct().Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>
/// Creates, finds, lists and revokes API keys. Development keys (Auth:DevelopmentKeys) are held in
/// memory and honoured only in the Development environment; all others live hashed in PostgreSQL.
/// Valid keys are remembered for a minute so that requests do not look their key up each time,
/// but only while <see cref="ApiKeyRevocationListener"/> listens for revocations: every revocation
/// (endpoint or command line, on any instance) notifies all instances in its own transaction.
/// </summary>
public sealed class ApiKeyStore
{
    public const string Prefix = "gd_";
    public const int MaxKeyLength = 256;
    public const string DevelopmentKeysSection = "Auth:DevelopmentKeys";

    /// <summary>PostgreSQL NOTIFY channel; the payload is the revoked key's hash.</summary>
    public const string RevokedChannel = "gd_api_key_revoked";

    /// <summary>How long a validated key is trusted without a lookup (a backstop: revocations are pushed).</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, ApiKeyRecord> _developmentKeys;

    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset Until)> _remembered = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // Bumped by every forget: a lookup that started before a revocation must not remember its answer.
    private long _generation;
    private volatile bool _listening;

    public ApiKeyStore(IDocumentStore store, TimeProvider time, IConfiguration configuration, IHostEnvironment environment, ILogger<ApiKeyStore> logger)
    {
        _store = store;
        _time = time;
        var configured = configuration.GetSection(DevelopmentKeysSection).Get<List<DevelopmentKey>>() ?? [];
        if (configured.Count > 0 && !environment.IsDevelopment())
        {
            logger.LogWarning("Auth:DevelopmentKeys is set outside the Development environment and is ignored.");
            configured = [];
        }
        _developmentKeys = configured
            .Where(k => !string.IsNullOrWhiteSpace(k.Key))
            .ToDictionary(k => Hash(k.Key!), k => new ApiKeyRecord
            {
                Id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(k.Key!))[..16]),
                Name = k.Name ?? "development key",
                Hash = Hash(k.Key!),
                Administration = k.Administration ?? "",
                Roles = k.Roles ?? [],
                CreatedBy = "development configuration",
            });
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new secret: 256 random bits, URL-safe, with a recognisable prefix.</summary>
    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<ApiKeyRecord?> FindAsync(string key, CancellationToken ct)
    {
        var hash = Hash(key);
        if (_developmentKeys.TryGetValue(hash, out var development))
        {
            return development;
        }
        var now = _time.GetUtcNow();
        if (_listening && _remembered.TryGetValue(hash, out var known) && known.Until > now)
        {
            return known.Record;
        }
        var generation = Interlocked.Read(ref _generation);
        await using var session = _store.QuerySession();
        var found = await session.Query<ApiKeyRecord>().FirstOrDefaultAsync(k => k.Hash == hash, ct);
        if (found is not { IsRevoked: false })
        {
            _remembered.TryRemove(hash, out _);
            return null;
        }
        lock (_gate)
        {
            if (_listening && generation == _generation)
            {
                _remembered[hash] = (found, now + RememberFor);
            }
        }
        return found;
    }

    /// <summary>A key was revoked (here or by another instance): look it up again next time.</summary>
    public void Forget(string hash)
    {
        lock (_gate)
        {
            _generation++;
            _remembered.TryRemove(hash, out _);
        }
    }

    /// <summary>
    /// Whether revocations reach this instance. Either way everything remembered is dropped: while
    /// the listener was away a revocation may have been missed.
    /// </summary>
    public void RevocationsArrive(bool listening)
    {
        lock (_gate)
        {
            _generation++;
            _listening = listening;
            _remembered.Clear();
        }
    }

    /// <summary>Stores a new key; returns the record and the secret, which is never stored and cannot be shown again.</summary>
    public async Task<(ApiKeyRecord Record, string Secret)> CreateAsync(CreateApiKey command, string createdBy, CancellationToken ct)
    {
        var secret = NewSecret();
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name!.Trim(),
            Hash = Hash(secret),
            Administration = command.Administration!,
            Roles = [.. command.Roles!.Distinct()],
            CreatedAt = _time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        await using var session = _store.LightweightSession();
        session.Insert(record);
        await session.SaveChangesAsync(ct);
        return (record, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken ct)
    {
        await using var session = _store.QuerySession();
        return await session.Query<ApiKeyRecord>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
    }

    public async Task<ApiKeyRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var session = _store.QuerySession();
        return await session.LoadAsync<ApiKeyRecord>(id, ct);
    }

    /// <summary>Revokes a key at once, on every instance. Null when there is no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(Guid id, string revokedBy, CancellationToken ct)
    {
        await using var session = _store.LightweightSession();
        var record = await session.LoadAsync<ApiKeyRecord>(id, ct);
        if (record is null)
        {
            return null;
        }
        if (record.IsRevoked)
        {
            return record;
        }
        var revoked = record with { RevokedAt = _time.GetUtcNow(), RevokedBy = revokedBy };
        session.Update(revoked);
        // Delivered to every listening instance when (and only if) the revocation commits.
        session.QueueSqlCommand("select pg_notify(?, ?)", RevokedChannel, record.Hash);
        await session.SaveChangesAsync(ct);
        Forget(record.Hash);
        return revoked;
    }

    /// <summary>One entry of Auth:DevelopmentKeys (appsettings.Development.json only).</summary>
    public sealed class DevelopmentKey
    {
        public string? Key { get; set; }
        public string? Name { get; set; }
        public string? Administration { get; set; }
        public List<string>? Roles { get; set; }
    }
}
