using System.Security.Cryptography;
using System.Text.Json;
using GemeinsamDigital.Audit;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>Configuration section "Audit".</summary>
public sealed class AuditSettings
{
    public const string Section = "Audit";

    /// <summary>The tree head signing key: an ECDSA P-256 private key in PEM (PKCS#8 or SEC1).</summary>
    public string? TreeHeadKey { get; set; }

    /// <summary>A file holding that PEM (instead of <see cref="TreeHeadKey"/>).</summary>
    public string? TreeHeadKeyFile { get; set; }

    /// <summary>How often a tree head is signed when the log has grown (default 10 minutes).</summary>
    public TimeSpan TreeHeadInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A directory outside the database where every signed tree head is also written, one file each, never overwritten.</summary>
    public string? TreeHeadDirectory { get; set; }

    /// <summary>How often the background verifier walks every chain and the Merkle log (default 1 hour; 0 switches it off).</summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A signed tree head as stored (one per tree size; never replaced).</summary>
public sealed class SignedTreeHeadRecord
{
    /// <summary>The tree size.</summary>
    public long Id { get; set; }
    public string RootHash { get; set; } = "";
    public string Timestamp { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";

    public TreeHead ToHead() => new(Id, RootHash, Timestamp, Algorithm, KeyId, Signature);

    /// <summary>The newest signed head, null before the first.</summary>
    public static Task<SignedTreeHeadRecord?> NewestAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<SignedTreeHeadRecord>().OrderByDescending(h => h.Id).FirstOrDefaultAsync(ct);
}

/// <summary>
/// Signs tree heads of the <see cref="MerkleLog"/> with the configured key, keeps them, and writes
/// each to <see cref="AuditSettings.TreeHeadDirectory"/>. Without a configured key, Development
/// and Testing use a generated one (Development keeps it in .data/ so it survives restarts);
/// elsewhere no tree head is signed and the audit endpoints say so.
/// </summary>
public sealed class TreeHeadSigner : IDisposable
{
    private readonly MerkleLog _log;
    private readonly IDocumentStore _store;
    private readonly TimeProvider _clock;
    private readonly AuditSettings _settings;
    private readonly ILogger<TreeHeadSigner> _logger;
    private readonly ECDsa? _key;
    private readonly SemaphoreSlim _signing = new(1, 1);

    public TreeHeadSigner(MerkleLog log, IDocumentStore store, TimeProvider clock, AuditSettings settings, IHostEnvironment environment, ILogger<TreeHeadSigner> logger)
    {
        _log = log;
        _store = store;
        _clock = clock;
        _settings = settings;
        _logger = logger;
        _key = LoadKey(settings, environment, logger);
        PublicKeyPem = _key is null ? null : TreeHeads.ExportPublicKey(_key);
        KeyId = _key is null ? null : TreeHeads.KeyId(_key);
    }

    public bool CanSign => _key is not null;
    public string? PublicKeyPem { get; }
    public string? KeyId { get; }
    public TimeSpan Interval => _settings.TreeHeadInterval;

    /// <summary>Signs the log's current size unless a head of that size exists; returns the head of the current size (null for an empty log or without key).</summary>
    public async Task<TreeHead?> SignAsync(CancellationToken ct)
    {
        if (_key is null)
        {
            return null;
        }
        await _signing.WaitAsync(ct);
        try
        {
            var (size, _) = await _log.SizeAsync(ct);
            if (size == 0)
            {
                return null;
            }
            await using var session = _store.LightweightSession();
            if (await session.LoadAsync<SignedTreeHeadRecord>(size, ct) is { } existing)
            {
                return existing.ToHead();
            }
            var head = TreeHeads.Sign(_key, size, await _log.RootAsync(size, ct), _clock.GetUtcNow());
            session.Insert(new SignedTreeHeadRecord
            {
                Id = head.TreeSize, RootHash = head.RootHash, Timestamp = head.Timestamp, Algorithm = head.Algorithm, KeyId = head.KeyId, Signature = head.Signature,
            });
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IdempotencyRequest.IsDuplicate(e))
            {
                // Another node signed this size first: its head is the one published.
                await using var query = _store.QuerySession();
                return (await query.LoadAsync<SignedTreeHeadRecord>(size, ct))!.ToHead();
            }
            await PublishAsync(head with { Subtrees = await _log.SubtreesAsync(size, ct) }, ct);
            _logger.LogInformation("Signed tree head: {TreeSize} events, root {RootHash}", head.TreeSize, head.RootHash);
            return head;
        }
        finally
        {
            _signing.Release();
        }
    }

    /// <summary>The newest signed head that includes leaf <paramref name="leafIndex"/>, signing one now if none does.</summary>
    public async Task<TreeHead?> HeadCoveringAsync(long leafIndex, CancellationToken ct)
    {
        await using (var session = _store.QuerySession())
        {
            var covering = await session.Query<SignedTreeHeadRecord>().Where(h => h.Id > leafIndex).OrderByDescending(h => h.Id).FirstOrDefaultAsync(ct);
            if (covering is not null)
            {
                return covering.ToHead();
            }
        }
        var signed = await SignAsync(ct);
        return signed is not null && signed.TreeSize > leafIndex ? signed : null;
    }

    // Append-only: a file per tree size, created once and never rewritten.
    private async Task PublishAsync(TreeHead head, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_settings.TreeHeadDirectory))
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(_settings.TreeHeadDirectory);
            var path = Path.Combine(_settings.TreeHeadDirectory, $"tree-head-{head.TreeSize:D12}.json");
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await JsonSerializer.SerializeAsync(file, head, TreeHeads.Json, ct);
        }
        catch (IOException e)
        {
            _logger.LogWarning("Could not write tree head {TreeSize} to {Directory}: {Error}", head.TreeSize, _settings.TreeHeadDirectory, e.Message);
        }
    }

    private static ECDsa? LoadKey(AuditSettings settings, IHostEnvironment environment, ILogger logger)
    {
        var pem = settings.TreeHeadKey is { Length: > 0 } given ? given
            : settings.TreeHeadKeyFile is { Length: > 0 } file ? File.ReadAllText(file)
            : null;
        if (pem is not null)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return key.KeySize == 256 ? key : throw new InvalidOperationException("Audit:TreeHeadKey must be an ECDSA P-256 private key.");
        }
        if (environment.IsDevelopment())
        {
            var path = Path.Combine(environment.ContentRootPath, ".data", "tree-head-key.pem");
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            if (File.Exists(path))
            {
                key.ImportFromPem(File.ReadAllText(path));
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
                logger.LogWarning("Generated a development tree head key in {Path}: configure Audit:TreeHeadKey outside development", path);
            }
            return key;
        }
        if (environment.IsEnvironment("Testing"))
        {
            return ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }
        logger.LogWarning("No tree head key configured (Audit:TreeHeadKey or Audit:TreeHeadKeyFile): no tree head is signed and exports carry no inclusion proof");
        return null;
    }

    public void Dispose()
    {
        _key?.Dispose();
        _signing.Dispose();
    }
}

/// <summary>Signs a tree head every <see cref="AuditSettings.TreeHeadInterval"/> when the log has grown.</summary>
public sealed class TreeHeadSchedule(TreeHeadSigner signer, ILogger<TreeHeadSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!signer.CanSign || signer.Interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(signer.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await signer.SignAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Signing the tree head failed, next try in {Interval}: {Error}", signer.Interval, e.Message);
            }
        }
    }
}
