using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Security;

/// <summary>API keys of client programs, managed by the strategy office. The first key comes from the command line (README, Security).</summary>
public static class ApiKeyEndpoints
{
    /// <summary>Create an API key for a client program; the key is in the answer once and never again.</summary>
    [WolverinePost("/api/admin/api-keys", OperationId = "createApiKey")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags("Administration")]
    [EndpointSummary("Create an API key")]
    [EndpointDescription("Binds a new key to one administration and roles. Only its SHA-256 hash is stored: copy 'key' from this answer.")]
    [ProducesResponseType<ApiKeyView>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Create(CreateApiKey? command, ApiKeyStore keys, HttpContext http, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.MissingBody();
        }
        var errors = new FieldErrors();
        command.Validate(errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var (record, secret) = await keys.CreateAsync(command, CommandMetadata.From(http).Actor, ct);
        return Results.Created($"/api/admin/api-keys/{record.Id}", ApiKeyView.Of(record, secret));
    }

    /// <summary>Every API key, revoked ones included (without secrets).</summary>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one row per key, roles joined with ';'.</param>
    /// <param name="keys">Key store.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/admin/api-keys", OperationId = "listApiKeys")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [AnswersTable]
    [Tags("Administration")]
    [EndpointSummary("List API keys")]
    [ProducesResponseType<ItemList<ApiKeyView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? format, ApiKeyStore keys, HttpContext http, CancellationToken ct) =>
        Tables.Answer(http, format, new ItemList<ApiKeyView>([.. (await keys.ListAsync(ct)).Select(k => ApiKeyView.Of(k))]), "api-keys");

    /// <summary>One API key (without its secret).</summary>
    [WolverineGet("/api/admin/api-keys/{id}", OperationId = "getApiKey")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags("Administration")]
    [EndpointSummary("Read an API key")]
    [ProducesResponseType<ApiKeyView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, ApiKeyStore keys, CancellationToken ct) =>
        await keys.GetAsync(id, ct) is { } key
            ? Results.Ok(ApiKeyView.Of(key))
            : Problems.NotFound("api-key", $"There is no API key with id '{id}'.");

    /// <summary>Revoke an API key: it stops working at once and stays on record.</summary>
    [WolverinePost("/api/admin/api-keys/{id}/revoke", OperationId = "revokeApiKey")]
    [Authorize(Policy = Policies.StrategyOffice)]
    [Tags("Administration")]
    [EndpointSummary("Revoke an API key")]
    [ProducesResponseType<ApiKeyView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Revoke(Guid id, ApiKeyStore keys, HttpContext http, CancellationToken ct) =>
        await keys.RevokeAsync(id, CommandMetadata.From(http).Actor, ct) is { } revoked
            ? Results.Ok(ApiKeyView.Of(revoked))
            : Problems.NotFound("api-key", $"There is no API key with id '{id}'.");
}
