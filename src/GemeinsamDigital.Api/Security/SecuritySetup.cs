using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Security;

public static class SecuritySetup
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var jwt = configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();
        services.AddGemeinsamDigitalAuthentication(jwt, environment);
        services.AddSingleton(new AuthenticationChallenge(jwt.Enabled));
        services.AddAuthorization(o =>
        {
            // An endpoint that names no audience is closed: reads for those who read everything
            // (auditors, the strategy office), anything else for the strategy office only. A request
            // that matched no endpoint of ours (unknown path: 404; wrong content type: 415; wrong
            // method: 405) is answered the same for everyone, before anyone's role is looked at.
            o.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAssertion(c => c.Resource is HttpContext { } http && IsUnrouted(http)
                    || (c.User.Identity?.IsAuthenticated == true
                        && (c.User.IsInRole(Roles.StrategyOffice)
                            || (c.User.IsInRole(Roles.Auditor) && c.Resource is HttpContext read
                                && (HttpMethods.IsGet(read.Request.Method) || HttpMethods.IsHead(read.Request.Method))))))
                .Build();
            o.AddPolicy(Policies.WriteMeasures, p => p.RequireAuthenticatedUser().RequireRole(Roles.Editor, Roles.StrategyOffice));
            o.AddPolicy(Policies.ReadHistory, p => p.RequireAuthenticatedUser().RequireRole(Roles.HistoryReaders));
            o.AddPolicy(Policies.StrategyOffice, p => p.RequireAuthenticatedUser().RequireRole(Roles.StrategyOffice));
            o.AddPolicy(Policies.Subscribe, p => p.RequireAuthenticatedUser().RequireRole(Roles.All).RequireClaim(CommandMetadata.AdministrationClaim));
            o.AddPolicy(Policies.ActOnMeasure, p => p.AddRequirements(new ActOnMeasureRequirement()));
        });
        services.AddSingleton<IAuthorizationHandler, ActOnMeasureHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<ApiKeyRevocationListener>();
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureMarten(o => o.Schema.For<ApiKeyRecord>().UniqueIndex(k => k.Hash));
        return services;
    }

    /// <summary>Authentication, then a 401 for credentials that were sent but are not valid (even on public endpoints).</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            // Cached by the handler: this does not authenticate twice.
            var result = await http.AuthenticateAsync();
            if (result.Failure is not null)
            {
                // Our own words (never the token library's message): the same text in the problem and the challenge.
                var reason = CredentialFailures.Describe(result.Failure);
                http.Response.Headers[HeaderNames.WWWAuthenticate] = http.RequestServices.GetRequiredService<AuthenticationChallenge>().Refusal(http, reason);
                await Problems.InvalidCredentials(reason).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// No endpoint of ours matched: routing found none (404), or only the framework's rejection of a
    /// wrong content type (415) or method (405), which is not a route endpoint.
    /// </summary>
    public static bool IsUnrouted(HttpContext http) => http.GetEndpoint() is not RouteEndpoint;

    internal static void SetChallenge(HttpContext http) =>
        http.Response.Headers[HeaderNames.WWWAuthenticate] = http.RequestServices.GetRequiredService<AuthenticationChallenge>().Value;
}

/// <summary>The WWW-Authenticate value of a 401: the schemes this service accepts (RFC 6750 for Bearer).</summary>
public sealed record AuthenticationChallenge(bool BearerEnabled)
{
    private readonly string _apiKey = $"ApiKey header=\"{AuthSchemes.ApiKeyHeader}\"";

    /// <summary>No credentials were sent: the schemes, without error (RFC 6750, section 3.1).</summary>
    public string Value => BearerEnabled ? $"{_apiKey}, {AuthSchemes.Bearer}" : _apiKey;

    /// <summary>Credentials were sent and refused: the scheme the caller used carries error="invalid_token" and the reason.</summary>
    public string Refusal(HttpContext http, string reason)
    {
        var error = $"error=\"invalid_token\", error_description=\"{Quoted(reason)}\"";
        var usedApiKey = http.Request.Headers.ContainsKey(AuthSchemes.ApiKeyHeader) || !BearerEnabled;
        return usedApiKey
            ? BearerEnabled ? $"{_apiKey}, {error}, {AuthSchemes.Bearer}" : $"{_apiKey}, {error}"
            : $"{_apiKey}, {AuthSchemes.Bearer} {error}";
    }

    // RFC 9110 quoted-string: backslash and quote escaped; the reason is ours, but may name a configured claim.
    private static string Quoted(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

/// <summary>Refusals of the authorization middleware as problem responses: 401 without identity, 403 without the role.</summary>
// Its name and HandleAsync would make Wolverine take it for a message handler (and fail generating it).
[Wolverine.Attributes.WolverineIgnore]
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            SecuritySetup.SetChallenge(context);
            await Problems.Unauthorized().ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
            await Problems.Forbidden(roles).ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
