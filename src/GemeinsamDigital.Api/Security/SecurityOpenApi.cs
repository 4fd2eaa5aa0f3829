using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Security;

/// <summary>
/// Documents what the guards add to every operation: the security schemes (except on public
/// endpoints), 401/403, Idempotency-Key on commands, 413 on bodies, 429 and 503 everywhere.
/// </summary>
public sealed class SecurityOpenApi : IOperationFilter
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static void AddSecurityDocs(SwaggerGenOptions o)
    {
        o.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AuthSchemes.ApiKeyHeader,
            Description = "An API key bound to one administration and roles (see README, Security).",
        });
        o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token of the configured OpenID Connect authority (Auth:Jwt), validated per RFC8725 (JSON Web Token Best Current Practices): "
                + "signed with the authority's keys (unsigned tokens refused), audience, issuer, lifetime checked, a subject required.",
        });
        o.OperationFilter<SecurityOpenApi>();
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        operation.Responses ??= [];
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            ProblemResponses.Add(operation, StatusCodes.Status401Unauthorized, "No or invalid credentials.");
            ProblemResponses.Add(operation, StatusCodes.Status403Forbidden, "The caller's role or administration does not allow this.");
        }
        if (metadata.OfType<IdempotentCommandAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyRequest.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any unique value (e.g. a UUID). A retry with the same key and body answers the first response again "
                    + "and records nothing; the same key with another body answers 422. Remembered for at least 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRequest.MaxKeyLength },
            });
            ProblemResponses.Add(operation, StatusCodes.Status422UnprocessableEntity, "A broken rule, or an Idempotency-Key reused for another request.");
        }
        if (string.Equals(context.ApiDescription.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase))
        {
            ProblemResponses.Add(operation, StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        }
        ProblemResponses.Add(operation, StatusCodes.Status429TooManyRequests, "Rate limit of this client reached; see Retry-After.");
        ProblemResponses.Add(operation, StatusCodes.Status503ServiceUnavailable, "The event store does not answer; see Retry-After.");
    }
}
