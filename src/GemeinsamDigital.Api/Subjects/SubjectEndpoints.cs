using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Subjects;

/// <summary>The audit event of an erasure: which pseudonym lost its identity, why and when. No personal data.</summary>
/// <param name="Subject">The pseudonym.</param>
/// <param name="Reason">Why (the X-Reason of the request).</param>
/// <param name="ErasedAt">When.</param>
public sealed record SubjectErased(string Subject, string Reason, DateTimeOffset ErasedAt);

/// <summary>The stream type of erasure records (one stream per erased subject).</summary>
public sealed class SubjectErasure;

/// <summary>Find the pseudonym of a real subject.</summary>
/// <param name="Subject">The token's subject (sub), or "apikey:{id}" for an API key.</param>
/// <param name="Issuer">The token's issuer (iss); none for an API key.</param>
public sealed record FindSubject(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MaxLength(FieldErrors.MaxTitle)] string? Subject,
    [property: System.ComponentModel.DataAnnotations.MaxLength(FieldErrors.MaxTitle)] string? Issuer)
{
    public static readonly FindSubject Example = new("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "https://login.berlin.de/realms/verwaltung");
}

/// <summary>What an erasure did.</summary>
/// <param name="Subject">The subject now: erased, without a name.</param>
/// <param name="Erased">What is gone: the subject's key, its encrypted identity and its lookup (HMAC).</param>
/// <param name="AuditStream">The stream that records the erasure (event 'subject-erased').</param>
public sealed record SubjectErasedView(SubjectView Subject, IReadOnlyList<string> Erased, Guid AuditStream);

/// <summary>Subjects (who acted, under a pseudonym) for the strategy office: read, find, erase.</summary>
public static partial class SubjectEndpoints
{
    private const string Tag = "Administration";

    [GeneratedRegex(SubjectDirectory.PseudonymPattern)]
    private static partial Regex Pseudonym();

    /// <summary>A subject: its pseudonym, when it was first seen, whether it is erased, and its name while it is not.</summary>
    /// <param name="id">The pseudonym (the 'actor' of events).</param>
    /// <param name="directory">The subjects.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/admin/subjects/{id}", OperationId = "getSubject")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags(Tag)]
    [EndpointSummary("Read a subject")]
    [ProducesResponseType<SubjectView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(string id, SubjectDirectory directory, CancellationToken ct) =>
        Pseudonym().IsMatch(id) && await directory.GetAsync(id, ct) is { } subject
            ? Results.Ok(subject)
            : Problems.SubjectNotFound(id);

    /// <summary>The pseudonym of a real subject (in the body, so it never reaches an access log).</summary>
    [WolverinePost("/api/admin/subjects/lookup", OperationId = "findSubject")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags(Tag)]
    [EndpointSummary("Find a subject's pseudonym")]
    [EndpointDescription("Finds the pseudonym of a token subject (with its issuer) or an API key ('apikey:{id}') the service has seen and not erased.")]
    [ProducesResponseType<SubjectView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Find(FindSubject? query, SubjectDirectory directory, CancellationToken ct)
    {
        if (query is null)
        {
            return Problems.MissingBody();
        }
        var errors = new FieldErrors();
        errors.Required(query.Subject, "subject", FieldErrors.MaxTitle);
        if (query.Issuer is { Length: > FieldErrors.MaxTitle })
        {
            errors.Add("issuer", $"'issuer' is at most {FieldErrors.MaxTitle} characters long.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var apiKey = query.Subject!.StartsWith("apikey:", StringComparison.Ordinal);
        var pseudonym = await directory.FindAsync(apiKey ? AuthSchemes.ApiKey : AuthSchemes.Bearer, apiKey ? null : query.Issuer, query.Subject, ct);
        return pseudonym is not null && await directory.GetAsync(pseudonym, ct) is { } subject
            ? Results.Ok(subject)
            : Problems.NotFound("subject", "The service has not seen this subject, or it was erased.");
    }

    /// <summary>Erase a subject's identity: its events keep the pseudonym, and nothing can name it again.</summary>
    /// <param name="id">The pseudonym.</param>
    /// <param name="directory">The subjects.</param>
    /// <param name="store">The document store.</param>
    /// <param name="ledger">The event ledger (the erasure is recorded in a hash chain).</param>
    /// <param name="http">The request (X-Reason is required).</param>
    /// <param name="ct">Request aborted.</param>
    [WolverinePost("/api/admin/subjects/{id}/erase", OperationId = "eraseSubject")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags(Tag)]
    [EndpointSummary("Erase a subject's identity")]
    [EndpointDescription("Deletes the subject's key, its encrypted identity and its lookup (crypto-shredding): history, exports and the change feed show the pseudonym thereafter, with no name. "
        + "Every hash chain still verifies. X-Reason is required; it is recorded in the event 'subject-erased', so it must not name the person.")]
    [ProducesResponseType<SubjectErasedView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public static async Task<IResult> Erase(string id, SubjectDirectory directory, IDocumentStore store, EventLedger ledger, HttpContext http, CancellationToken ct)
    {
        if (!Pseudonym().IsMatch(id) || await directory.GetAsync(id, ct) is not { } subject)
        {
            return Problems.SubjectNotFound(id);
        }
        if (CommandPipeline.Metadata(http, out var metadata) is { } invalid)
        {
            return invalid;
        }
        if (metadata.Reason is not { } reason)
        {
            return Problems.Validation(CommandMetadata.ReasonErrorKey, "Erasing a subject needs a reason (X-Reason); it is recorded, so it must not name the person.");
        }
        if (subject.Erased)
        {
            return Problems.SubjectAlreadyErased(id, subject.ErasedAt);
        }
        var at = EventHash.Truncate(ledger.UtcNow);
        var stream = StreamOf(id);
        await using (var session = store.LightweightSession())
        {
            EventLedger.StartStream<SubjectErasure>(session, stream, [(new SubjectErased(id, reason, at), at)], metadata);
            directory.QueueErase(session, id, at);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Marten.Exceptions.ExistingStreamIdCollisionException)
            {
                // Erased by a concurrent request.
                return Problems.SubjectAlreadyErased(id, (await directory.GetAsync(id, ct))?.ErasedAt);
            }
        }
        directory.Forget(id);
        return Results.Ok(new SubjectErasedView(subject with { Erased = true, ErasedAt = at, Name = null }, ["key", "identity", "lookup"], stream));
    }

    /// <summary>The erasure stream of a pseudonym: one per subject, so a second erasure cannot start it again.</summary>
    public static Guid StreamOf(string pseudonym) => new(SHA256.HashData(Encoding.UTF8.GetBytes("subject-erased:" + pseudonym))[..16]);
}
