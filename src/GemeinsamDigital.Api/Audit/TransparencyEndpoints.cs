using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Audit;

/// <summary>The key that signs tree heads.</summary>
/// <param name="KeyId">SHA-256 (hex) of the key's SubjectPublicKeyInfo: tree heads name it.</param>
/// <param name="Algorithm">ecdsa-p256-sha256.</param>
/// <param name="PublicKey">The public key in PEM (SubjectPublicKeyInfo).</param>
public sealed record TreeHeadKeyView(string KeyId, string Algorithm, string PublicKey);

/// <summary>
/// The transparency log's public face: signed tree heads, inclusion and consistency proofs
/// (RFC 9162), and the key. Public: nothing here is personal, and anyone may check the log.
/// </summary>
public static class TransparencyEndpoints
{
    public const string Tag = "Audit";
    public const string KeyPath = "/.well-known/gemeinsamdigital/tree-head-key";
    public const int MaxLimit = 1000;

    /// <summary>The public key that signs tree heads: keep it (or its key id) apart from this service to check tree heads offline.</summary>
    [AllowAnonymous]
    [WolverineGet(KeyPath, OperationId = "getTreeHeadKey")]
    [Tags(Tag)]
    [EndpointSummary("The tree head signing key")]
    [ProducesResponseType<TreeHeadKeyView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, Problems.ContentType)]
    public static IResult Key(TreeHeadSigner signer) =>
        signer.PublicKeyPem is { } pem ? Results.Ok(new TreeHeadKeyView(signer.KeyId!, TreeHeads.Algorithm, pem)) : Problems.TreeHeadsUnavailable();

    /// <summary>Signed tree heads, newest first.</summary>
    /// <param name="before">Only heads of a smaller tree size (the cursor in 'next').</param>
    /// <param name="limit">Heads per answer, 1 to 1000 (default 100).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [WolverineGet("/api/audit/tree-heads", OperationId = "listTreeHeads")]
    [Tags(Tag)]
    [EndpointSummary("List signed tree heads")]
    [ProducesResponseType<ItemList<TreeHead>>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> List(long? before, int? limit, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (before is < 1)
        {
            errors.Add("before", "'before' must be a tree size of at least 1.");
        }
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"'limit' must be between 1 and {MaxLimit}.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var take = limit ?? 100;
        var query = session.Query<SignedTreeHeadRecord>().AsQueryable();
        if (before is { } b)
        {
            query = query.Where(h => h.Id < b);
        }
        var heads = await query.OrderByDescending(h => h.Id).Take(take + 1).ToListAsync(ct);
        var next = heads.Count > take
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/audit/tree-heads?before={heads[take - 1].Id}&limit={take}"
            : null;
        return Results.Ok(new ItemList<TreeHead>([.. heads.Take(take).Select(h => h.ToHead())], next));
    }

    /// <summary>The newest signed tree head with its perfect subtrees; with consistencyFrom also the proof that it extends the tree of that size.</summary>
    /// <param name="consistencyFrom">An older tree size (e.g. of a head you kept): the answer carries the consistency proof from it, ready for the verify command.</param>
    /// <param name="signer">Tree head signer.</param>
    /// <param name="log">The Merkle log.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [WolverineGet("/api/audit/tree-heads/latest", OperationId = "getLatestTreeHead")]
    [Tags(Tag)]
    [EndpointSummary("The newest signed tree head")]
    [ProducesResponseType<TreeHead>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, Problems.ContentType)]
    public static async Task<IResult> Latest(long? consistencyFrom, TreeHeadSigner signer, MerkleLog log, IQuerySession session, CancellationToken ct)
    {
        if (!signer.CanSign)
        {
            return Problems.TreeHeadsUnavailable();
        }
        var head = await SignedTreeHeadRecord.NewestAsync(session, ct);
        return head is null
            ? Problems.NotFound("tree-head", "No tree head is signed yet (POST /api/audit/tree-heads signs one).")
            : await WithProofAsync(head.ToHead(), consistencyFrom, log, ct);
    }

    /// <summary>The signed tree head of one tree size (a size in GET /api/audit/tree-heads), with its perfect subtrees; with consistencyFrom also the consistency proof from that older size.</summary>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="consistencyFrom">An older tree size.</param>
    /// <param name="log">The Merkle log.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [WolverineGet("/api/audit/tree-head", OperationId = "getTreeHead")]
    [Tags(Tag)]
    [EndpointSummary("A signed tree head")]
    [ProducesResponseType<TreeHead>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> One(long? treeSize, long? consistencyFrom, MerkleLog log, IQuerySession session, CancellationToken ct)
    {
        if (treeSize is null or < 1)
        {
            return Problems.Validation("treeSize", "'treeSize' is required: the size of a signed tree head, at least 1.");
        }
        return await session.LoadAsync<SignedTreeHeadRecord>(treeSize.Value, ct) is { } head
            ? await WithProofAsync(head.ToHead(), consistencyFrom, log, ct)
            : Problems.NotFound("tree-head", $"No tree head of size {treeSize} was signed (GET /api/audit/tree-heads lists them).");
    }

    /// <summary>Signs a tree head of the log as it is now (or answers the existing head of that size).</summary>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverinePost("/api/audit/tree-heads", OperationId = "signTreeHead")]
    [Tags(Tag)]
    [EndpointSummary("Sign a tree head now")]
    [ProducesResponseType<TreeHead>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, Problems.ContentType)]
    public static async Task<IResult> Sign(TreeHeadSigner signer, MerkleLog log, CancellationToken ct)
    {
        if (!signer.CanSign)
        {
            return Problems.TreeHeadsUnavailable();
        }
        return await signer.SignAsync(ct) is { } head
            ? Results.Ok(head with { Subtrees = await log.SubtreesAsync(head.TreeSize, ct) })
            : Problems.Problem(StatusCodes.Status409Conflict, "log-empty", "The log is empty.", "There is no event to sign a tree head over yet.");
    }

    /// <summary>The inclusion proof (RFC 9162 audit path) of one event in the tree of a given size.</summary>
    /// <param name="sequence">The event's global sequence (history and exports show it).</param>
    /// <param name="treeSize">The tree size, e.g. of a signed tree head (default: the newest signed head).</param>
    /// <param name="log">The Merkle log.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [WolverineGet("/api/audit/proofs/inclusion", OperationId = "getInclusionProof")]
    [Tags(Tag)]
    [EndpointSummary("Prove an event is in the log")]
    [ProducesResponseType<InclusionProofView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Inclusion(long? sequence, long? treeSize, MerkleLog log, IQuerySession session, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (sequence is null or < 1)
        {
            errors.Add("sequence", "'sequence' is required: the event's global sequence, at least 1.");
        }
        if (treeSize is < 1)
        {
            errors.Add("treeSize", "'treeSize' must be at least 1.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var (size, _) = await log.SizeAsync(ct);
        var tree = treeSize ?? (await SignedTreeHeadRecord.NewestAsync(session, ct))?.Id ?? size;
        if (tree > size)
        {
            return Problems.Validation("treeSize", $"The log holds {size} events; 'treeSize' must not exceed that.");
        }
        if (await log.LeafBySequenceAsync(sequence!.Value, ct) is not { } leaf)
        {
            return Problems.NotFound("leaf", $"The log holds no event of sequence {sequence} (yet: it takes events in a moment after they commit; tombstones are not logged).");
        }
        if (leaf.LeafIndex >= tree)
        {
            return Problems.NotFound("leaf", $"The event of sequence {sequence} is leaf {leaf.LeafIndex}, after the tree of size {tree}.");
        }
        var path = await log.InclusionProofAsync(leaf.LeafIndex, tree, ct);
        return Results.Ok(new InclusionProofView(leaf.Sequence, leaf.LeafIndex, tree, leaf.EventHash, [.. path.Select(Convert.ToHexStringLower)]));
    }

    /// <summary>The consistency proof (RFC 9162) that the tree of size 'to' extends the tree of size 'from'.</summary>
    /// <param name="from">The older tree size (at least 1).</param>
    /// <param name="to">The newer tree size (default: the log's size).</param>
    /// <param name="log">The Merkle log.</param>
    /// <param name="ct">Request aborted.</param>
    [AllowAnonymous]
    [WolverineGet("/api/audit/proofs/consistency", OperationId = "getConsistencyProof")]
    [Tags(Tag)]
    [EndpointSummary("Prove the log only grew")]
    [ProducesResponseType<ConsistencyProofView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Consistency(long? from, long? to, MerkleLog log, CancellationToken ct)
    {
        var (size, _) = await log.SizeAsync(ct);
        var errors = new FieldErrors();
        if (from is null or < 1)
        {
            errors.Add("from", "'from' is required: the older tree size, at least 1.");
        }
        if (to is < 1)
        {
            errors.Add("to", "'to' must be at least 1.");
        }
        if (from is { } f && (to ?? size) < f)
        {
            errors.Add("to", "'to' must not be smaller than 'from'.");
        }
        if ((to ?? from) > size)
        {
            errors.Add("to", $"The log holds {size} events; the sizes must not exceed that.");
        }
        return errors.Any
            ? Problems.Validation(errors.ToDictionary())
            : Results.Ok(await ConsistencyAsync(log, from!.Value, to ?? size, ct));
    }

    /// <summary>The whole log: every chained event of every stream in leaf order, up to a tree size, for a full offline audit against a signed tree head.</summary>
    /// <remarks>Line-delimited JSON (docs/audit.md, "Whole-log audit"); check it with the verify command's verify-log and a tree head kept from before.</remarks>
    /// <param name="treeSize">How many events (default: the newest signed head's size).</param>
    /// <param name="stored">Raw event reads.</param>
    /// <param name="log">The Merkle log.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/audit/log", OperationId = "exportLog")]
    [Tags(Tag)]
    [EndpointSummary("Export the whole log")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, AuditBundle.ContentType)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Export(long? treeSize, StoredEvents stored, MerkleLog log, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (size, _) = await log.SizeAsync(ct);
        if (treeSize is < 1 || treeSize > size)
        {
            return Problems.Validation("treeSize", $"'treeSize' must be from 1 to the log's size, {size}.");
        }
        var count = treeSize ?? (await SignedTreeHeadRecord.NewestAsync(session, ct))?.Id ?? size;
        var exportedAt = clock.GetUtcNow();
        return Results.Stream(body => LogExport.WriteAsync(body, exportedAt, stored.ReadChainedAsync(count, ct), ct), AuditBundle.ContentType, $"log-{count}.ndjson");
    }

    private static async Task<IResult> WithProofAsync(TreeHead head, long? consistencyFrom, MerkleLog log, CancellationToken ct)
    {
        if (consistencyFrom is { } from && (from < 1 || from > head.TreeSize))
        {
            return Problems.Validation("consistencyFrom", $"'consistencyFrom' must be a tree size from 1 to this head's {head.TreeSize}.");
        }
        return Results.Ok(head with
        {
            Subtrees = await log.SubtreesAsync(head.TreeSize, ct),
            Consistency = consistencyFrom is { } f ? await ConsistencyAsync(log, f, head.TreeSize, ct) : null,
        });
    }

    private static async Task<ConsistencyProofView> ConsistencyAsync(MerkleLog log, long from, long to, CancellationToken ct) =>
        new(from, to, [.. (await log.ConsistencyProofAsync(from, to, ct)).Select(Convert.ToHexStringLower)], await log.SubtreesAsync(from, ct));
}
