using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Audit;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Audit;

/// <summary>The result of recomputing one measure's hash chain.</summary>
/// <param name="MeasureId">The measure.</param>
/// <param name="Intact">True when every stored hash matches the recomputed chain.</param>
/// <param name="EventsChecked">Events read.</param>
/// <param name="HeadVersion">The last stored version.</param>
/// <param name="HeadHash">The head hash recomputed from the events' content.</param>
/// <param name="FirstMismatch">The first event that does not match its chain or the transparency log, and why; null when intact.</param>
public sealed record IntegrityReport(Guid MeasureId, bool Intact, int EventsChecked, long HeadVersion, string? HeadHash, ChainBreak? FirstMismatch);

public static class IntegrityEndpoint
{
    /// <summary>Recomputes the measure's hash chain from the stored events and names the first event that does not match.</summary>
    /// <remarks>Reasons: data-changed, order-changed, event-missing, hash-missing, differs-from-log (the event is not the one the transparency log took in: a chain rewritten with recomputed hashes). Answers 200 also when the chain is broken: the report is the answer.</remarks>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/measures/{id}/integrity", OperationId = "checkMeasureIntegrity")]
    [Tags("Audit")]
    [EndpointSummary("Check a measure's hash chain")]
    [ProducesResponseType<IntegrityReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, StoredEvents stored, IntegrityMonitor monitor, CancellationToken ct)
    {
        var declared = await stored.StreamVersionAsync(id, ct);
        var (report, mismatch) = await monitor.CheckStreamAsync(id, declared, ct);
        if (declared is null && report.EventsChecked == 0)
        {
            return Problems.MeasureNotFound(id);
        }
        return Results.Ok(new IntegrityReport(id, mismatch is null, report.EventsChecked, report.HeadVersion, report.HeadHash, mismatch));
    }
}

public static class ExportEndpoint
{
    /// <summary>The measure's complete record as a self-contained line-delimited JSON bundle: header, every event with metadata, data and hashes, trailer.</summary>
    /// <remarks>Format version 2 also carries the inclusion proof of the last event in the transparency log against a signed tree head
    /// (503 log-behind while the log has not yet taken the last event in). Verify it offline: dotnet run --project src/GemeinsamDigital.Verify -- bundle.ndjson
    /// --public-key key.pem (docs/audit.md).</remarks>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/measures/{id}/export", OperationId = "exportMeasure")]
    [Tags("Audit")]
    [EndpointSummary("Export a measure for auditors")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, AuditBundle.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, StoredEvents stored, MerkleLog log, TreeHeadSigner signer, TimeProvider clock, CancellationToken ct)
    {
        if (await stored.StreamVersionAsync(id, ct) is not { } version)
        {
            return Problems.MeasureNotFound(id);
        }
        BundleProof? proof = null;
        if (signer.CanSign)
        {
            // The log takes events in shortly after they commit; an export proves the version it waited for.
            var leaf = await log.LastLeafOfStreamAsync(id, ct);
            for (var waited = 0; (leaf is null || leaf.Version < version) && waited < ProofWaitMilliseconds; waited += 100)
            {
                await Task.Delay(100, ct);
                leaf = await log.LastLeafOfStreamAsync(id, ct);
            }
            if (leaf is null || leaf.Version < version)
            {
                return Problems.LogBehind($"The transparency log has not yet taken in version {version} of measure '{id}'; retry in a few seconds.");
            }
            var head = (await signer.HeadCoveringAsync(leaf.LeafIndex, ct))!;
            var path = await log.InclusionProofAsync(leaf.LeafIndex, head.TreeSize, ct);
            proof = new BundleProof(leaf.LeafIndex, leaf.Sequence, head with { Subtrees = null, Consistency = null }, signer.PublicKeyPem!,
                [.. path.Select(Convert.ToHexStringLower)]);
            version = leaf.Version;
        }
        var exportedAt = clock.GetUtcNow();
        var upTo = version;
        return Results.Stream(
            body => AuditBundle.WriteAsync(body, id, exportedAt, UpTo(stored.ReadStreamAsync(id, ct), upTo), ct, proof),
            AuditBundle.ContentType,
            $"measure-{id:D}.ndjson");
    }

    private const int ProofWaitMilliseconds = 10_000;

    private static async IAsyncEnumerable<ChainRecord> UpTo(IAsyncEnumerable<ChainRecord> events, long version)
    {
        await foreach (var e in events)
        {
            if (e.Content.Version <= version)
            {
                yield return e;
            }
        }
    }
}

public static class CheckpointEndpoint
{
    /// <summary>A digest over every measure's head (stream id, version, head hash) with the global sequence it covers.</summary>
    /// <remarks>Keep the returned token outside this system; GET /api/audit/verify?checkpoint=… later proves that nothing up to it changed.</remarks>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/audit/checkpoint", OperationId = "takeAuditCheckpoint")]
    [Tags("Audit")]
    [EndpointSummary("Take an audit checkpoint")]
    [ProducesResponseType<CheckpointView>(StatusCodes.Status200OK)]
    public static Task<CheckpointView> Get(Checkpoints checkpoints, CancellationToken ct) => checkpoints.TakeAsync(ct);
}

public static class VerifyCheckpointEndpoint
{
    /// <summary>Recomputes every chain up to the checkpoint's sequence and says whether anything up to it changed, and what.</summary>
    /// <param name="checkpoint">The token from GET /api/audit/checkpoint: gdcp1:&lt;sequence&gt;:&lt;digest&gt;.</param>
    /// <param name="checkpoints">Checkpoint service.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/audit/verify", OperationId = "verifyAuditCheckpoint")]
    [Tags("Audit")]
    [EndpointSummary("Verify an audit checkpoint")]
    [ProducesResponseType<CheckpointVerification>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Get(string? checkpoint, Checkpoints checkpoints, CancellationToken ct)
    {
        if (!Checkpoint.TryParseToken(checkpoint, out var sequence, out var digest))
        {
            return Problems.Validation("checkpoint",
                "'checkpoint' must be a token from GET /api/audit/checkpoint: gdcp1:<sequence>:<64 lowercase hex digits>.");
        }
        return Results.Ok(await checkpoints.VerifyAsync(checkpoint!.Trim(), sequence, digest, ct));
    }
}
