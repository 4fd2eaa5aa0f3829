using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GemeinsamDigital.Api.Tests.Infrastructure;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace GemeinsamDigital.Api.Tests.Security;

/// <summary>
/// The service configured as in production: an OpenID Connect authority whose discovery document
/// names the issuer and an RSA signing key (served here from memory instead of over HTTPS).
/// </summary>
public sealed class AuthorityFixture : ApiFixture
{
    public const string KeyId = "authority-rsa-1";

    public RSA Rsa { get; } = RSA.Create(2048);

    public RsaSecurityKey SigningKey => new(Rsa) { KeyId = KeyId };

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting($"{JwtSettings.Section}:TestSigningKey", "");
        builder.UseSetting($"{JwtSettings.Section}:Authority", TestTokens.Issuer);
        var configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
        configuration.SigningKeys.Add(new RsaSecurityKey(Rsa.ExportParameters(false)) { KeyId = KeyId });
        builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(AuthSchemes.Bearer,
            o => o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration)));
    }
}

/// <summary>
/// Tokens that must never be accepted (RFC 8725): each is a 401 problem on a public and on a
/// protected endpoint, never a 500, with an RFC 6750 challenge that says why in our words.
/// </summary>
public class TokenTests(AuthorityFixture api) : IClassFixture<AuthorityFixture>
{
    private static readonly string OtherKeyPem = RSA.Create(2048).ExportSubjectPublicKeyInfoPem();

    private string Sign(
        string? subject = "clerk-1", string? administration = "skzl", string issuer = TestTokens.Issuer, string audience = TestTokens.Audience,
        DateTime? notBefore = null, DateTime? expires = null, SigningCredentials? credentials = null)
    {
        var claims = new Dictionary<string, object> { ["roles"] = new[] { Roles.StrategyOffice } };
        if (subject is not null)
        {
            claims["sub"] = subject;
        }
        if (administration is not null)
        {
            claims["administration"] = administration;
        }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = notBefore ?? now.AddMinutes(-20),
            NotBefore = notBefore ?? now.AddMinutes(-20),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = credentials ?? new SigningCredentials(api.SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with a hand-written header, signed by HMAC-SHA256 with these bytes (or unsigned).</summary>
    private static string Forge(object header, string validToken, byte[]? hmacKey)
    {
        var payload = validToken.Split('.')[1];
        var signingInput = Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + payload;
        var signature = hmacKey is null ? "" : Base64UrlEncoder.Encode(HMACSHA256.HashData(hmacKey, Encoding.ASCII.GetBytes(signingInput)));
        return signingInput + "." + signature;
    }

    /// <summary>The Authorization header value of each case; null: the case sends X-Api-Key alone.</summary>
    private string Authorization(string name)
    {
        var valid = Sign();
        var now = DateTime.UtcNow;
        var publicPem = api.Rsa.ExportSubjectPublicKeyInfoPem();
        return name switch
        {
            "valid" => "Bearer " + valid,
            "alg none" => "Bearer " + Forge(new { alg = "none", typ = "JWT" }, valid, null),
            "alg none with the authority's kid" => "Bearer " + Forge(new { alg = "none", typ = "JWT", kid = AuthorityFixture.KeyId }, valid, null),
            "HS256 signed with the public key (PEM)" => "Bearer " + Forge(new { alg = "HS256", typ = "JWT", kid = AuthorityFixture.KeyId }, valid, Encoding.ASCII.GetBytes(publicPem)),
            "HS256 signed with the public key (DER)" => "Bearer " + Forge(new { alg = "HS256", typ = "JWT", kid = AuthorityFixture.KeyId }, valid, api.Rsa.ExportSubjectPublicKeyInfo()),
            "HS256 signed with the public key, no kid" => "Bearer " + Forge(new { alg = "HS256", typ = "JWT" }, valid, Encoding.ASCII.GetBytes(publicPem)),
            "wrong iss" => "Bearer " + Sign(issuer: "https://elsewhere.invalid"),
            "wrong aud" => "Bearer " + Sign(audience: "another-api"),
            "expired" => "Bearer " + Sign(notBefore: now.AddHours(-3), expires: now.AddHours(-2)),
            "not yet valid" => "Bearer " + Sign(notBefore: now.AddHours(1), expires: now.AddHours(2)),
            "missing sub" => "Bearer " + Sign(subject: null),
            "unknown kid" => "Bearer " + Sign(credentials: new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "someone-else" }, SecurityAlgorithms.RsaSha256)),
            "the authority's key under an unknown kid" => "Bearer " + Sign(credentials: new SigningCredentials(new RsaSecurityKey(api.Rsa) { KeyId = "rotated-away" }, SecurityAlgorithms.RsaSha256)),
            "the authority's key without kid" => "Bearer " + Sign(credentials: new SigningCredentials(new RsaSecurityKey(api.Rsa), SecurityAlgorithms.RsaSha256)),
            "another key under the authority's kid" => "Bearer " + Sign(credentials: new SigningCredentials(
                new RsaSecurityKey(RSA.Create(2048)) { KeyId = AuthorityFixture.KeyId }, SecurityAlgorithms.RsaSha256)),
            "unknown administration claim" => "Bearer " + Sign(administration: "ba-atlantis"),
            "garbage" => "Bearer not-a-jwt",
            "three garbage segments" => "Bearer a.b.c",
            "header that is not JSON" => "Bearer " + Base64UrlEncoder.Encode("{alg:") + "." + valid.Split('.')[1] + ".",
            "empty bearer" => "Bearer ",
            "wrong scheme: Basic" => "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("user:password")),
            "wrong scheme: the token without Bearer" => valid,
            "wrong scheme: Token" => "Token " + valid,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    [Fact]
    public async Task A_valid_token_of_the_authority_is_accepted()
    {
        foreach (var url in new[] { "/api/catalog", "/api/admin/api-keys" })
        {
            var response = await Send(url, Authorization("valid"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("alg none", "signature")]
    [InlineData("alg none with the authority's kid", "signature")]
    [InlineData("HS256 signed with the public key (PEM)", "")]
    [InlineData("HS256 signed with the public key (DER)", "")]
    [InlineData("HS256 signed with the public key, no kid", "")]
    [InlineData("wrong iss", "issuer")]
    [InlineData("wrong aud", "aud")]
    [InlineData("expired", "expired")]
    [InlineData("not yet valid", "not valid yet")]
    [InlineData("missing sub", "sub")]
    [InlineData("unknown kid", "kid")]
    [InlineData("the authority's key under an unknown kid", "kid")]
    [InlineData("the authority's key without kid", "kid")]
    [InlineData("another key under the authority's kid", "signature")]
    [InlineData("unknown administration claim", "administration")]
    [InlineData("garbage", "")]
    [InlineData("three garbage segments", "")]
    [InlineData("header that is not JSON", "")]
    [InlineData("empty bearer", "no token")]
    [InlineData("wrong scheme: Basic", "scheme")]
    [InlineData("wrong scheme: the token without Bearer", "scheme")]
    [InlineData("wrong scheme: Token", "scheme")]
    public async Task A_token_that_must_not_be_accepted_is_a_401_that_says_why(string name, string reasonMentions)
    {
        // A public read, a protected read and a command: refused alike, before anything else.
        foreach (var url in new[] { "/api/catalog", "/api/admin/api-keys", "/api/measures" })
        {
            var response = url == "/api/measures"
                ? await Send(url, Authorization(name), HttpMethod.Post, SampleCommands.Propose())
                : await Send(url, Authorization(name));
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
            var detail = problem.GetProperty("detail").GetString().ShouldNotBeNull();
            detail.ShouldContain(reasonMentions, Case.Insensitive, $"{name}: {detail}");

            // RFC 6750: the challenge names the error and the same reason; nothing of the token library's internals.
            var challenge = response.Headers.WwwAuthenticate.ToString();
            challenge.ShouldContain("error=\"invalid_token\"", customMessage: name);
            challenge.ShouldContain($"error_description=\"{detail}\"", customMessage: name);
            foreach (var leak in new[] { "IDX", "Microsoft.", "Exception", "PII", "   at " })
            {
                detail.ShouldNotContain(leak, customMessage: name);
                challenge.ShouldNotContain(leak, customMessage: name);
            }
        }
    }

    [Fact]
    public async Task Without_credentials_the_challenge_names_the_schemes_and_no_error()
    {
        var response = await api.AnonymousClient().GetAsync("/api/admin/api-keys");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.ShouldContain("Bearer");
        challenge.ShouldContain("X-Api-Key");
        challenge.ShouldNotContain("error=");
    }

    [Fact]
    public async Task An_unknown_api_key_is_challenged_on_the_api_key_scheme()
    {
        var response = await api.WithApiKey("gd_unknown").GetAsync("/api/catalog");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("ApiKey header=\"X-Api-Key\", error=\"invalid_token\", error_description=\"Unknown or revoked API key.\"");
    }

    private async Task<HttpResponseMessage> Send(string url, string authorization, HttpMethod? method = null, object? body = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body, body.GetType(), options: HttpExtensions.JsonOptions);
        }
        return await api.AnonymousClient().SendAsync(request);
    }
}
