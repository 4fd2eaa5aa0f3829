using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace GemeinsamDigital.Api.Security;

/// <summary>Settings of the JWT bearer scheme (section Auth:Jwt).</summary>
public sealed class JwtSettings
{
    public const string Section = "Auth:Jwt";

    /// <summary>The OpenID Connect authority (its discovery document names issuer and signing keys).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string? Audience { get; set; }

    /// <summary>The expected issuer; defaults to the one the authority's discovery document names.</summary>
    public string? Issuer { get; set; }

    /// <summary>The claim that names the caller's administration (a catalogue code).</summary>
    public string AdministrationClaim { get; set; } = "administration";

    /// <summary>The claim that carries the caller's roles.</summary>
    public string RolesClaim { get; set; } = "roles";

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// A symmetric key (Base64, at least 32 bytes) that replaces the authority, so tests can mint
    /// tokens. Refused outside the Development and Testing environments.
    /// </summary>
    public string? TestSigningKey { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(TestSigningKey);
}

public static class AuthSchemes
{
    /// <summary>Picks the scheme by what the request carries: X-Api-Key, else a bearer token.</summary>
    public const string Default = "api-key-or-bearer";
    public const string ApiKey = "ApiKey";
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;
    public const string ApiKeyHeader = "X-Api-Key";

    public static AuthenticationBuilder AddGemeinsamDigitalAuthentication(this IServiceCollection services, JwtSettings jwt, IHostEnvironment environment)
    {
        var builder = services.AddAuthentication(Default)
            .AddPolicyScheme(Default, "API key or bearer token", o => o.ForwardDefaultSelector = http =>
                jwt.Enabled && !http.Request.Headers.ContainsKey(ApiKeyHeader)
                    && http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Bearer
                    : ApiKey)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKey, null);
        if (jwt.Enabled)
        {
            builder.AddJwtBearer(Bearer, o => ConfigureJwt(o, jwt, environment));
        }
        return builder;
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtSettings jwt, IHostEnvironment environment)
    {
        // Claims keep their names as issued; we map them ourselves below.
        o.MapInboundClaims = false;
        o.Audience = jwt.Audience;
        o.TokenValidationParameters.ValidateAudience = true;
        o.TokenValidationParameters.ValidAudience = jwt.Audience;
        if (!string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            o.TokenValidationParameters.ValidIssuer = jwt.Issuer;
        }
        if (!string.IsNullOrWhiteSpace(jwt.TestSigningKey))
        {
            if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
            {
                throw new InvalidOperationException($"{JwtSettings.Section}:TestSigningKey is only allowed in the Development and Testing environments; configure {JwtSettings.Section}:Authority.");
            }
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.TestSigningKey));
            o.TokenValidationParameters.ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer);
        }
        else
        {
            o.Authority = jwt.Authority;
            o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        }
        o.Events = new JwtBearerEvents
        {
            // Every scheme yields the same claims: NameIdentifier, "administration", roles.
            OnTokenValidated = context =>
            {
                var token = context.Principal!;
                var subject = token.FindFirstValue("sub");
                if (string.IsNullOrWhiteSpace(subject))
                {
                    context.Fail("The token has no subject (sub).");
                    return Task.CompletedTask;
                }
                var issuer = token.FindFirstValue("iss");
                var administration = token.FindFirstValue(jwt.AdministrationClaim);
                context.Principal = Principals.Create(
                    Bearer,
                    subject,
                    token.FindFirstValue("name") ?? token.FindFirstValue("preferred_username"),
                    Domain.Catalog.StrategyCatalog.IsAdministration(administration) ? administration : null,
                    token.FindAll(jwt.RolesClaim).Select(c => c.Value));
                if (issuer is not null)
                {
                    ((ClaimsIdentity)context.Principal.Identity!).AddClaim(new Claim("iss", issuer));
                }
                return Task.CompletedTask;
            },
        };
    }
}

/// <summary>X-Api-Key: the key is hashed and looked up; revoked and unknown keys fail (401).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AuthSchemes.ApiKeyHeader, out var values))
        {
            // A bearer token reaches this scheme only when no authority is configured.
            return Request.Headers.Authorization.Count > 0
                ? AuthenticateResult.Fail("Bearer tokens are not accepted: no OpenID Connect authority is configured. Send X-Api-Key.")
                : AuthenticateResult.NoResult();
        }
        var presented = values.ToString();
        if (values.Count != 1 || presented.Length is 0 or > ApiKeyStore.MaxKeyLength)
        {
            return AuthenticateResult.Fail("X-Api-Key must hold exactly one key.");
        }
        var key = await keys.FindAsync(presented, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("Unknown or revoked API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(key.ToPrincipal(Scheme.Name), Scheme.Name));
    }
}
