using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

/// <summary>Commands on measures sent in one request: each runs as a request of its own and is answered on its own.</summary>
/// <param name="Items">The commands, run in this order (1 to 1,000).</param>
public sealed record CommandBatch(
    [property: Required, MinLength(1), MaxLength(CommandBatch.MaxItems)] IReadOnlyList<BatchItem?>? Items)
{
    public const int MaxItems = 1000;

    /// <summary>What an item's command may be: a proposal or any command on a measure, by its endpoint's last segment.</summary>
    public static IReadOnlyList<string> Commands { get; } = [ProposeMeasure.Name, .. MeasureCommandTypes.Names];

    /// <summary>
    /// The request example of the OpenAPI document: a proposal, a step on a measure at version 1, and a step
    /// not allowed after it. Made anew for each document (JSON elements are not shared across threads).
    /// </summary>
    public static CommandBatch Example => new(
    [
        new BatchItem(null, ProposeMeasure.Name, JsonSerializer.SerializeToElement(SampleCommands.Propose(), ApiJson.Options), null),
        new BatchItem(BatchAnswer.ExampleMeasure, UnderstandProblem.Name, JsonSerializer.SerializeToElement(SampleCommands.UnderstandProblem(), ApiJson.Options), ETags.For(1)),
        new BatchItem(BatchAnswer.ExampleMeasure, StartPilot.Name, JsonSerializer.SerializeToElement(SampleCommands.StartPilot(), ApiJson.Options), null),
    ]);
}

/// <summary>One command of a batch.</summary>
/// <param name="MeasureId">The measure the command is for; none for a proposal (it starts a new one).</param>
/// <param name="Command">The command: "propose", or the last segment of the command's endpoint (e.g. "understand-problem").</param>
/// <param name="Body">The command exactly as its own endpoint takes it.</param>
/// <param name="IfMatch">As the If-Match header of the command's own endpoint: the version the measure must be at (e.g. "\"3\""); not for a proposal.</param>
public sealed record BatchItem(
    Guid? MeasureId,
    [property: Required, Codes(typeof(CommandBatch), nameof(CommandBatch.Commands))] string? Command,
    [property: Required] JsonElement? Body,
    [property: MaxLength(ETags.MaxLength), RegularExpression(ETags.IfMatchPattern)] string? IfMatch);

/// <summary>What a batch answers: each item's own answer, in the order sent, and how many were accepted.</summary>
/// <param name="Items">One answer per item, in the order of the request.</param>
/// <param name="Counts">How many items were accepted and how many refused.</param>
public sealed record BatchAnswer(IReadOnlyList<BatchItemAnswer> Items, BatchCounts Counts)
{
    internal static readonly Guid ExampleMeasure = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private static readonly Guid ExampleProposed = Guid.Parse("0193a000-0000-7000-8000-000000000002");

    /// <summary>The answer example of the OpenAPI document: the answer to <see cref="CommandBatch.Example"/>, made anew like it.</summary>
    public static BatchAnswer Example => new(
    [
        new BatchItemAnswer(0, ExampleProposed, ProposeMeasure.Name, StatusCodes.Status201Created, 1, $"/api/measures/{ExampleProposed}",
            JsonSerializer.SerializeToElement(new CommandAccepted(ExampleProposed, 1, MeasureStage.Idea, [EventTypes.NameOf(typeof(MeasureProposed))]), ApiJson.Options), null),
        new BatchItemAnswer(1, ExampleMeasure, UnderstandProblem.Name, StatusCodes.Status200OK, 2, null,
            JsonSerializer.SerializeToElement(new CommandAccepted(ExampleMeasure, 2, MeasureStage.ProblemUnderstood, [EventTypes.NameOf(typeof(ProblemUnderstood))]), ApiJson.Options), null),
        new BatchItemAnswer(2, ExampleMeasure, StartPilot.Name, StatusCodes.Status409Conflict, null, null, null,
            JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["type"] = Problems.TypeBase + "transition-not-allowed",
                ["title"] = "The command is not allowed in the measure's current stage.",
                ["status"] = StatusCodes.Status409Conflict,
                ["detail"] = "'start-pilot' is not allowed while the measure is in stage 'ProblemUnderstood'.",
                ["instance"] = $"/api/measures/{ExampleMeasure}/start-pilot",
                ["currentStage"] = "problem-understood",
                ["currentStageLabel"] = MeasureStage.ProblemUnderstood.Label(),
                ["command"] = StartPilot.Name,
                ["allowedCommands"] = MeasureLifecycle.AllowedFrom(MeasureStage.ProblemUnderstood),
                ["traceId"] = "00-c0ffee00c0ffee00c0ffee00c0ffee00-0123456789abcdef-01",
                ["correlationId"] = "c0ffee00c0ffee00c0ffee00c0ffee00",
            }, ApiJson.Options)),
    ], new BatchCounts(2, 1));
}

/// <summary>How many items of a batch were accepted (2xx) and how many refused (4xx).</summary>
public sealed record BatchCounts(int Succeeded, int Failed);

/// <summary>One item's answer: what its command's own endpoint would have answered.</summary>
/// <param name="Index">The item's position in the request (from 0).</param>
/// <param name="MeasureId">The measure: as sent, or the new one of an accepted proposal.</param>
/// <param name="Command">The command as sent.</param>
/// <param name="Status">The HTTP status its own request would have had: 201 (proposal) or 200 accepted, else the problem's.</param>
/// <param name="Version">The measure's version after the command (its ETag) when accepted.</param>
/// <param name="Location">Where an accepted proposal's measure is read.</param>
/// <param name="Result">The accepted command's answer (as its endpoint's: measureId, version, stage, events); left out when refused.</param>
/// <param name="Problem">The RFC 9457 problem its endpoint would have answered; left out when accepted.</param>
public sealed record BatchItemAnswer(int Index, Guid? MeasureId, string? Command, int Status, long? Version, string? Location,
    [property: AnswerSchema(typeof(CommandAccepted)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Result,
    [property: AnswerSchema(ProblemSchemas.Base), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Problem);

public static class BatchCommandsEndpoint
{
    [WolverinePost("/api/measures/batch", OperationId = "runCommandBatch")]
    [EndpointSummary("Run up to 1,000 commands on measures in one request")]
    [EndpointDescription("Each item (a proposal or a command on a measure, by name, with its body as its own endpoint takes it and an optional ifMatch) "
        + "runs in order, in its own transaction, through the same pipeline as a request of its own: the same authorization, If-Match, rules and answers. "
        + "The batch answers 200 whenever it ran, also when items were refused: each item's status, version and result, or its problem, are in 'items'. "
        + "X-Reason and X-Correlation-Id of the batch apply to every item. An Idempotency-Key covers the whole batch: a retry after a lost answer or a failure "
        + "half-way answers the items that were recorded from their stored answers and runs only the rest. A batch counts as one request against the rate limit; "
        + "its body may be larger than other requests' (Limits:MaxBatchBodyBytes, 8 MiB by default).")]
    [ProducesResponseType<BatchAnswer>(StatusCodes.Status200OK)]
    [BatchBody]
    public static async Task<IResult> Post(CommandBatch? batch, CommandPipeline pipeline, IDocumentStore store, HttpContext http, CancellationToken ct)
    {
        if (batch is null)
        {
            return Problems.MissingBody();
        }
        if (batch.Items is not { Count: > 0 and <= CommandBatch.MaxItems } items)
        {
            return Problems.Validation("items", $"A batch holds 1 to {CommandBatch.MaxItems} items (it holds {batch.Items?.Count ?? 0}).");
        }
        // Checked once for the batch rather than refused for every item: the header is the batch's.
        if (CommandPipeline.Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        var idempotency = IdempotencyRequest.Of(http);
        var answers = new List<BatchItemAnswer>(items.Count);
        for (var index = 0; index < items.Count; index++)
        {
            answers.Add(await RunAsync(index, items[index] ?? new BatchItem(null, null, null, null), pipeline, store, http, metadata, idempotency?.ForItem(index), ct));
        }
        var succeeded = answers.Count(a => a.Status is >= 200 and < 300);
        var answer = new BatchAnswer(answers, new BatchCounts(succeeded, answers.Count - succeeded));

        // Like a refused command, a batch that recorded nothing is not remembered: a retry runs it again.
        if (idempotency is not null && succeeded > 0)
        {
            await using var session = store.LightweightSession();
            idempotency.Remember(session, StatusCodes.Status200OK, answer, version: null, location: null);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IdempotencyRequest.IsDuplicate(e))
            {
                // The same batch sent concurrently finished first: answer what it answered (its items are these).
                await using var query = store.QuerySession();
                return await idempotency.CommittedAnswerAsync(query, ct) ?? throw new InvalidOperationException("The batch's answer was stored and is gone.", e);
            }
        }
        return Results.Ok(answer);
    }

    /// <summary>One item as a request of its own: the batch's caller, X-Reason and correlation, the item's If-Match and answer slot.</summary>
    private static async Task<BatchItemAnswer> RunAsync(int index, BatchItem item, CommandPipeline pipeline, IDocumentStore store, HttpContext http,
        CommandMetadata metadata, IdempotencyRequest? idempotency, CancellationToken ct)
    {
        var inner = InnerCommands.Request(http.User, http.RequestServices, item.IfMatch, metadata.Reason, metadata.CorrelationId, idempotency);
        // The batch request caused the item: its id (or the caller's span) is the events' causation.
        inner.TraceIdentifier = http.TraceIdentifier;
        if (http.Request.Headers.TryGetValue(CommandMetadata.TraceParentHttpHeader, out var traceParent))
        {
            inner.Request.Headers[CommandMetadata.TraceParentHttpHeader] = traceParent;
        }
        // The address the command has on its own: a problem's 'instance' and the log line name it.
        inner.Request.Path = item.Command == ProposeMeasure.Name ? "/api/measures"
            : item.MeasureId is { } measure && item.Command is { } name && MeasureCommandTypes.TryGet(name, out _) ? $"/api/measures/{measure}/{name}"
            : http.Request.Path;

        var answer = await InnerCommands.AnswerAsync(inner, await DecideAsync(item, pipeline, store, inner, idempotency, ct));
        var accepted = answer.Succeeded && answer.Body.ValueKind == JsonValueKind.Object;
        var measureId = item.MeasureId
            ?? (accepted && answer.Body.TryGetProperty("measureId", out var created) && created.TryGetGuid(out var id) ? id : null);
        JsonElement? body = answer.Body.ValueKind == JsonValueKind.Undefined ? null : answer.Body;
        return new BatchItemAnswer(index, measureId, item.Command, answer.Status, answer.Version, answer.Location,
            answer.Succeeded ? body : null, answer.Succeeded ? null : body);
    }

    /// <summary>The item's answer: its own 400 when it is malformed, its remembered answer when a retried batch recorded it, else the pipeline's.</summary>
    private static async Task<IResult> DecideAsync(BatchItem item, CommandPipeline pipeline, IDocumentStore store, HttpContext inner,
        IdempotencyRequest? idempotency, CancellationToken ct)
    {
        var proposal = item.Command == ProposeMeasure.Name;
        if (item.Command is null)
        {
            return Problems.Validation("command", "'command' is required: \"propose\" or the name of a command on a measure (see the OpenAPI document).");
        }
        if (!proposal && !MeasureCommandTypes.TryGet(item.Command, out _))
        {
            return Problems.Validation("command", $"'{Shorten(item.Command)}' is no command: \"propose\" or one of {string.Join(", ", MeasureCommandTypes.Names)}.");
        }
        if (proposal && item.MeasureId is not null)
        {
            return Problems.Validation("measureId", "A proposal starts a new measure: its id is given by the service, send none.");
        }
        if (proposal && item.IfMatch is not null)
        {
            return Problems.Validation("ifMatch", "A proposal starts a new measure: there is no version to match, send none.");
        }
        if (!proposal && item.MeasureId is null)
        {
            return Problems.Validation("measureId", $"'measureId' is required for '{item.Command}'.");
        }
        object? command;
        try
        {
            command = item.Body is not { ValueKind: not JsonValueKind.Null } body ? null
                : proposal ? body.Deserialize<ProposeMeasure>(ApiJson.Options)
                : MeasureCommandTypes.Read(item.Command, body);
        }
        catch (JsonException e)
        {
            return Results.Problem(FrameworkProblems.ReadFailure(e));
        }
        if (command is null)
        {
            return Problems.MissingBody();
        }
        if (idempotency is not null && await idempotency.KnownAnswerAsync(store, ct) is { } known)
        {
            return known;
        }
        return proposal
            ? await pipeline.ProposeAsync((ProposeMeasure)command, inner, ct)
            : await pipeline.RunCommandAsync(item.MeasureId!.Value, (IMeasureCommand)command, inner, ct);
    }

    private static string Shorten(string text) => text.Length <= FieldErrors.MaxCode ? text : text[..FieldErrors.MaxCode] + "…";
}
