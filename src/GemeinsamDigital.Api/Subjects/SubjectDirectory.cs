using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Npgsql;

namespace GemeinsamDigital.Api.Subjects;

/// <summary>
/// Who acts, as the service knows them: the scheme, issuer (tokens), subject (token "sub" or
/// "apikey:{id}"), display name and administration. Personal data: stored only encrypted.
/// </summary>
public sealed record SubjectIdentity(string Scheme, string? Issuer, string Subject, string? Name, string? Administration)
{
    /// <summary>The subject of an authenticated caller.</summary>
    public static SubjectIdentity Of(ClaimsPrincipal user) => new(
        user.Identity?.AuthenticationType ?? "",
        user.FindFirstValue("iss"),
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown",
        user.FindFirstValue(ClaimTypes.Name),
        user.FindFirstValue(CommandMetadata.AdministrationClaim));

    /// <summary>What identifies the subject across requests (the display name may change).</summary>
    public string LookupKey => $"{Scheme}|{Issuer}|{Subject}";

    /// <summary>What history readers are shown.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Subject : Name;
}

/// <summary>A subject as the strategy office may see it: no personal data beyond the name it asked to see.</summary>
/// <param name="Id">The pseudonym events and documents carry.</param>
/// <param name="FirstSeen">When the service first recorded it.</param>
/// <param name="Erased">Whether its identity was erased.</param>
/// <param name="ErasedAt">When; null unless erased.</param>
/// <param name="Name">The display name (the token's name, the API key's name, else its subject); null once erased.</param>
public sealed record SubjectView(string Id, DateTimeOffset FirstSeen, bool Erased, DateTimeOffset? ErasedAt, string? Name);

/// <summary>
/// Pseudonyms for everyone who acts (crypto-shredding): events, documents and logs carry a random
/// pseudonym ("subj_…"); the real identity lives only in gd_subjects, encrypted (AES-GCM) with a
/// key of its own in gd_subject_keys, and is found from the real subject only through an HMAC of it
/// under the server's secret. Erasing deletes key, ciphertext and HMAC: the pseudonym stays
/// everywhere (so hashes and chains still verify) but nothing can name its subject again.
/// </summary>
public sealed class SubjectDirectory
{
    public const string Prefix = "subj_";
    public const string PseudonymPattern = "^subj_[A-Za-z0-9_-]{22}$";
    public const int PseudonymLength = 27;
    public const string SubjectsTable = "gd_subjects";
    public const string KeysTable = "gd_subject_keys";
    public const string SecretSetting = "Subjects:LookupSecret";

    /// <summary>How long a pseudonym is remembered per real subject (an erasure on another instance takes at most this long to be seen there).</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly byte[] _secret;
    private readonly string _subjects;
    private readonly string _keys;
    private readonly ConcurrentDictionary<string, (string Pseudonym, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);
    // One database round trip per subject at a time: concurrent first requests of a subject (a client's
    // burst of retries) wait for it instead of each holding a connection on the same row lock.
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _pending = new(StringComparer.Ordinal);

    public SubjectDirectory(IDocumentStore store, TimeProvider time, byte[] secret)
    {
        _store = store;
        _time = time;
        _secret = secret;
        var schema = store.Options.DatabaseSchemaName;
        _subjects = $"{schema}.{SubjectsTable}";
        _keys = $"{schema}.{KeysTable}";
    }

    /// <summary>The pseudonym of the caller, recorded on first sight.</summary>
    public Task<string> PseudonymOfAsync(ClaimsPrincipal user, CancellationToken ct) => PseudonymOfAsync(SubjectIdentity.Of(user), ct);

    /// <summary>
    /// The subject's pseudonym: remembered, else found by its HMAC, else made and recorded with one
    /// statement (INSERT … ON CONFLICT), so concurrent first requests of one subject agree on one pseudonym.
    /// </summary>
    public async Task<string> PseudonymOfAsync(SubjectIdentity subject, CancellationToken ct)
    {
        var key = subject.LookupKey;
        if (_known.TryGetValue(key, out var known) && known.Until > _time.GetUtcNow())
        {
            return known.Pseudonym;
        }
        var pending = _pending.GetOrAdd(key, k => new Lazy<Task<string>>(() => RecordAsync(k, subject)));
        try
        {
            return await pending.Value.WaitAsync(ct);
        }
        finally
        {
            if (pending.Value.IsCompleted)
            {
                _pending.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, pending));
            }
        }
    }

    // Not cancelled by one caller's abort: others may be waiting for the same answer.
    private async Task<string> RecordAsync(string key, SubjectIdentity subject)
    {
        var ct = CancellationToken.None;
        var now = _time.GetUtcNow();
        var lookup = Lookup(key);
        var pseudonym = Prefix + Base64Url(RandomNumberGenerator.GetBytes(16));
        var subjectKey = RandomNumberGenerator.GetBytes(32);
        var identity = Encrypt(subjectKey, pseudonym, JsonSerializer.SerializeToUtf8Bytes(subject));
        await using var connection = await OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    $"""
                    with added as (
                        insert into {_subjects} (pseudonym, lookup, identity, first_seen) values ($1, $2, $3, $4)
                        on conflict (lookup) do nothing returning pseudonym)
                    insert into {_keys} (pseudonym, key) select pseudonym, $5 from added
                    """)
                {
                    Parameters = { new() { Value = pseudonym }, new() { Value = lookup }, new() { Value = identity }, new() { Value = now }, new() { Value = subjectKey } },
                },
                // A new statement: it sees the row of a concurrent first sight that committed meanwhile.
                new NpgsqlBatchCommand($"select pseudonym from {_subjects} where lookup = $1") { Parameters = { new() { Value = lookup } } },
            },
        };
        var found = (string)(await batch.ExecuteScalarAsync(ct))!;
        _known[key] = (found, now + RememberFor);
        return found;
    }

    /// <summary>The display names of pseudonyms; null for an erased or unknown one (or an actor stored before pseudonyms).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> NamesAsync(IEnumerable<string?> actors, CancellationToken ct)
    {
        var wanted = actors.OfType<string>().Where(a => a.StartsWith(Prefix, StringComparison.Ordinal)).Distinct().ToArray();
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (wanted.Length == 0)
        {
            return names;
        }
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select s.pseudonym, s.identity, k.key from {_subjects} s join {_keys} k on k.pseudonym = s.pseudonym where s.pseudonym = any($1) and s.identity is not null",
            connection) { Parameters = { new() { Value = wanted } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var pseudonym = reader.GetString(0);
            names[pseudonym] = Decrypt(reader.GetFieldValue<byte[]>(2), pseudonym, reader.GetFieldValue<byte[]>(1))?.DisplayName;
        }
        return names;
    }

    /// <summary>One subject; null when there is no such pseudonym.</summary>
    public async Task<SubjectView?> GetAsync(string pseudonym, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select s.first_seen, s.erased_at, s.identity, k.key from {_subjects} s left join {_keys} k on k.pseudonym = s.pseudonym where s.pseudonym = $1",
            connection) { Parameters = { new() { Value = pseudonym } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var erasedAt = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
        var name = reader.IsDBNull(2) || reader.IsDBNull(3)
            ? null
            : Decrypt(reader.GetFieldValue<byte[]>(3), pseudonym, reader.GetFieldValue<byte[]>(2))?.DisplayName;
        return new SubjectView(pseudonym, reader.GetFieldValue<DateTimeOffset>(0), erasedAt is not null, erasedAt, name);
    }

    /// <summary>The pseudonym of a real subject, if the service has seen it (and it is not erased).</summary>
    public async Task<string?> FindAsync(string scheme, string? issuer, string subject, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select pseudonym from {_subjects} where lookup = $1", connection)
        {
            Parameters = { new() { Value = Lookup(new SubjectIdentity(scheme, issuer, subject, null, null).LookupKey) } },
        };
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>
    /// Queues the erasure into the session that records its audit event, so both commit together:
    /// the key row goes, ciphertext and HMAC are cleared, the pseudonym stays.
    /// </summary>
    public void QueueErase(IDocumentSession session, string pseudonym, DateTimeOffset at)
    {
        session.QueueSqlCommand($"delete from {_keys} where pseudonym = ?", pseudonym);
        session.QueueSqlCommand($"update {_subjects} set identity = null, lookup = null, erased_at = ? where pseudonym = ?", at, pseudonym);
    }

    /// <summary>Forgets the pseudonym here at once (other instances within <see cref="RememberFor"/>): the subject's next request gets a new one.</summary>
    public void Forget(string pseudonym)
    {
        foreach (var (key, value) in _known)
        {
            if (value.Pseudonym == pseudonym)
            {
                _known.TryRemove(key, out _);
            }
        }
    }

    private byte[] Lookup(string key) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(key));

    // nonce (12) | ciphertext | tag (16); the pseudonym is the associated data, so a ciphertext moved to another row does not open.
    private static byte[] Encrypt(byte[] key, string pseudonym, byte[] plain)
    {
        var sealedBox = new byte[12 + plain.Length + 16];
        var nonce = sealedBox.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, sealedBox.AsSpan(12, plain.Length), sealedBox.AsSpan(12 + plain.Length), Encoding.UTF8.GetBytes(pseudonym));
        return sealedBox;
    }

    private static SubjectIdentity? Decrypt(byte[] key, string pseudonym, byte[] sealedBox)
    {
        if (sealedBox.Length < 28)
        {
            return null;
        }
        var plain = new byte[sealedBox.Length - 28];
        try
        {
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealedBox.AsSpan(0, 12), sealedBox.AsSpan(12, plain.Length), sealedBox.AsSpan(12 + plain.Length), plain, Encoding.UTF8.GetBytes(pseudonym));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return JsonSerializer.Deserialize<SubjectIdentity>(plain);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
