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
/// <param name="FirstMismatch">The first event that does not match, and why; null when intact.</param>
public sealed record IntegrityReport(Guid MeasureId, bool Intact, int EventsChecked, long HeadVersion, string? HeadHash, ChainBreak? FirstMismatch);

public static class IntegrityEndpoint
{
    /// <summary>Recomputes the measure's hash chain from the stored events and names the first event that does not match.</summary>
    /// <remarks>Reasons: data-changed, order-changed, event-missing, hash-missing. Answers 200 also when the chain is broken: the report is the answer.</remarks>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/measures/{id}/integrity", OperationId = "checkMeasureIntegrity")]
    [Tags("Audit")]
    [EndpointSummary("Check a measure's hash chain")]
    [ProducesResponseType<IntegrityReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, StoredEvents stored, CancellationToken ct)
    {
        var declared = await stored.StreamVersionAsync(id, ct);
        var records = new List<ChainRecord>();
        await foreach (var record in stored.ReadStreamAsync(id, ct))
        {
            records.Add(record);
        }
        if (declared is null && records.Count == 0)
        {
            return Problems.MeasureNotFound(id);
        }
        var report = ChainVerifier.Verify(id, records, declared);
        if (report.FirstBreak is { } broken)
        {
            Telemetry.IntegrityFailure(broken.Reason);
        }
        return Results.Ok(new IntegrityReport(id, report.Intact, report.EventsChecked, report.HeadVersion, report.HeadHash, report.FirstBreak));
    }
}

public static class ExportEndpoint
{
    /// <summary>The measure's complete record as a self-contained line-delimited JSON bundle: header, every event with metadata, data and hashes, trailer.</summary>
    /// <remarks>Verify it offline: dotnet run --project src/GemeinsamDigital.Verify -- bundle.ndjson (see README "Audit export").</remarks>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/measures/{id}/export", OperationId = "exportMeasure")]
    [Tags("Audit")]
    [EndpointSummary("Export a measure for auditors")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, AuditBundle.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, StoredEvents stored, TimeProvider clock, CancellationToken ct)
    {
        if (await stored.StreamVersionAsync(id, ct) is null)
        {
            return Problems.MeasureNotFound(id);
        }
        var exportedAt = clock.GetUtcNow();
        return Results.Stream(
            body => AuditBundle.WriteAsync(body, id, exportedAt, stored.ReadStreamAsync(id, ct), ct),
            AuditBundle.ContentType,
            $"measure-{id:D}.ndjson");
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
