using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Commands;

/// <summary>
/// What every command endpoint of a stream family shares, applied to the Wolverine chains by route,
/// so a new command endpoint is protected and documented without remembering to: every POST under
/// the family's root is a command. It needs the family's policy, honours Idempotency-Key, carries the
/// family's tag and documents the answers the <see cref="CommandPipeline"/> gives: 201 for a command
/// that starts a stream (the root itself), else 200, 404 unknown stream, 409 not allowed now,
/// 412 stale If-Match, 422 a broken rule; always 400 invalid (and, from the OpenAPI filters, 401, 403,
/// 413, 422 for a reused Idempotency-Key, 429, 503). Which stream the caller
/// may change is checked in the pipeline. An endpoint adds only what is its own. A POST under the
/// root that names no stream (the batch of measure commands) gets the policy, idempotency, the tag
/// and 400; its answer is its own.
/// </summary>
public static class CommandConventions
{
    private sealed record Family(string Root, string Policy, string StartTag, string ChangeTag, Type Accepted);

    private static readonly Family[] _families =
    [
        new("/api/measures", Policies.WriteMeasures, "Measures", "Lifecycle", typeof(CommandAccepted)),
        new("/api/revisions", Policies.StrategyOffice, RevisionQueryEndpoints.Tag, RevisionQueryEndpoints.Tag, typeof(RevisionCommandAccepted)),
        new(ControllingEndpoints.CadenceRoute, Policies.StrategyOffice, ControllingEndpoints.Tag, ControllingEndpoints.Tag, typeof(CadenceCommandAccepted)),
        new(CatalogEndpoint.Route, Policies.StrategyOffice, CatalogEndpoint.Tag, CatalogEndpoint.Tag, typeof(CatalogCommandAccepted)),
    ];

    public static void Apply(HttpChain chain)
    {
        if (!chain.HttpMethods.Contains(HttpMethods.Post) || chain.RoutePattern?.RawText is not { } route
            || _families.FirstOrDefault(f => route == f.Root || route.StartsWith(f.Root + "/", StringComparison.Ordinal)) is not { } family)
        {
            return;
        }
        var starts = route == family.Root;
        // A route under the root that names no stream (a batch) runs commands on many streams and
        // answers each in its body: it declares its own success answer, and no stream's problems.
        var batch = !starts && !route.Contains('{', StringComparison.Ordinal);
        chain.RequireAuthorization(family.Policy);
        chain.WithMetadata(new IdempotentCommandAttribute());
        chain.WithMetadata(new TagsAttribute(starts || batch ? family.StartTag : family.ChangeTag));
        if (!batch)
        {
            chain.WithMetadata(new ProducesResponseTypeAttribute(family.Accepted, starts ? StatusCodes.Status201Created : StatusCodes.Status200OK));
        }
        chain.WithMetadata(new ProducesResponseTypeAttribute(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, Problems.ContentType));
        if (starts || batch)
        {
            return;
        }
        foreach (var status in (int[])[StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity])
        {
            chain.WithMetadata(new ProducesResponseTypeAttribute(typeof(ProblemDetails), status, Problems.ContentType));
        }
    }
}
