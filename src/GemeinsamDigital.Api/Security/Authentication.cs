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

    /// <summary>The key id (<c>kid</c>) of <see cref="TestSigningKey"/>: test tokens name it as an authority's do.</summary>
    public const string TestSigningKeyId = "test-signing-key";

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
                    && http.Request.Headers.Authorization.ToString().Split(' ', 2)[0].Equals(Bearer, StringComparison.OrdinalIgnoreCase)
                    ? Bearer
                    : ApiKey)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKey, null);
        if (jwt.Enabled)
        {
            builder.AddJwtBearer(Bearer, o => ConfigureJwt(o, jwt, environment));
        }
        return builder;
    }

    /// <summary>What an OpenID Connect authority signs with: asymmetric algorithms only.</summary>
    private static readonly string[] AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static void ConfigureJwt(JwtBearerOptions o, JwtSettings jwt, IHostEnvironment environment)
    {
        // Claims keep their names as issued; we map them ourselves below.
        o.MapInboundClaims = false;
        // RFC 8725: the key is chosen by the token's kid (never every key in turn, so a token naming
        // no known key is refused), and only the algorithms of that key type are honoured (no 'none',
        // no HS256 signed with an authority's public key).
        o.TokenValidationParameters.TryAllIssuerSigningKeys = false;
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
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.TestSigningKey)) { KeyId = JwtSettings.TestSigningKeyId };
            o.TokenValidationParameters.ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer);
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else
        {
            o.Authority = jwt.Authority;
            o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            o.TokenValidationParameters.ValidAlgorithms = AuthorityAlgorithms;
        }
        o.Events = new JwtBearerEvents
        {
            // "Authorization: Bearer" with nothing after it is a credential that was sent and is not valid.
            OnMessageReceived = context =>
            {
                var header = context.Request.Headers.Authorization.ToString();
                if (header.Length <= "Bearer".Length + 1 || string.IsNullOrWhiteSpace(header["Bearer ".Length..]))
                {
                    context.Fail(new CredentialRejected("The Authorization header names Bearer but carries no token."));
                }
                return Task.CompletedTask;
            },
            // Every scheme yields the same claims: NameIdentifier, "administration", roles.
            OnTokenValidated = context =>
            {
                var token = context.Principal!;
                var subject = token.FindFirstValue("sub");
                if (string.IsNullOrWhiteSpace(subject))
                {
                    context.Fail(new CredentialRejected("The token has no subject (sub)."));
                    return Task.CompletedTask;
                }
                var issuer = token.FindFirstValue("iss");
                var administration = token.FindFirstValue(jwt.AdministrationClaim);
                if (administration is not null && !Domain.Catalog.StrategyCatalog.IsAdministration(administration))
                {
                    // Acting for an administration the strategy does not know would record it on every event.
                    context.Fail(new CredentialRejected($"The token's '{jwt.AdministrationClaim}' claim names no administration of the catalogue (GET /api/catalog)."));
                    return Task.CompletedTask;
                }
                context.Principal = Principals.Create(
                    Bearer,
                    subject,
                    token.FindFirstValue("name") ?? token.FindFirstValue("preferred_username"),
                    administration,
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

/// <summary>Why credentials were refused, in words meant for the caller (it becomes the 401's detail and error_description).</summary>
public sealed class CredentialRejected(string message) : Exception(message);

/// <summary>The caller-facing reason for a refused credential: our own words, never the token library's messages.</summary>
public static class CredentialFailures
{
    public static string Describe(Exception failure) => failure switch
    {
        CredentialRejected r => r.Message,
        AggregateException { InnerExceptions.Count: > 0 } all => Describe(all.InnerExceptions[0]),
        SecurityTokenExpiredException => "The token has expired (exp).",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp).",
        SecurityTokenInvalidLifetimeException => "The token's lifetime (nbf, exp) is not valid.",
        SecurityTokenInvalidIssuerException => "The token's issuer (iss) is not the one this service trusts.",
        SecurityTokenInvalidAudienceException => "The token is not issued for this service (aud).",
        SecurityTokenSignatureKeyNotFoundException => "The token names no signing key (kid) this service knows.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm (alg) is not accepted.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenMalformedException => "The bearer token is not a well-formed JWT.",
        _ => "The bearer token is not valid.",
    };
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
            // A bearer token reaches this scheme only when no authority is configured; any other
            // Authorization scheme always does.
            var authorization = Request.Headers.Authorization.ToString();
            if (Request.Headers.Authorization.Count == 0)
            {
                return AuthenticateResult.NoResult();
            }
            var scheme = authorization.Split(' ', 2)[0];
            var bearerEnabled = Context.RequestServices.GetRequiredService<AuthenticationChallenge>().BearerEnabled;
            return AuthenticateResult.Fail(new CredentialRejected(
                scheme.Equals(AuthSchemes.Bearer, StringComparison.OrdinalIgnoreCase) && !bearerEnabled
                    ? "Bearer tokens are not accepted: no OpenID Connect authority is configured. Send X-Api-Key."
                    : bearerEnabled
                        ? "This Authorization scheme is not accepted: send 'Authorization: Bearer <token>' or X-Api-Key."
                        : "This Authorization scheme is not accepted: send X-Api-Key."));
        }
        var presented = values.ToString();
        if (values.Count != 1 || presented.Length is 0 or > ApiKeyStore.MaxKeyLength)
        {
            return AuthenticateResult.Fail(new CredentialRejected("X-Api-Key must hold exactly one key."));
        }
        var key = await keys.FindAsync(presented, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail(new CredentialRejected("Unknown or revoked API key."))
            : AuthenticateResult.Success(new AuthenticationTicket(key.ToPrincipal(Scheme.Name), Scheme.Name));
    }
}
