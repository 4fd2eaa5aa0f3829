using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>
/// Mints bearer tokens as an OpenID Connect authority would, signed with a key the service is given
/// through Auth:Jwt:TestSigningKey (honoured only in the Development and Testing environments).
/// </summary>
public sealed class TestTokens
{
    public const string Issuer = "https://login.test.gemeinsamdigital.invalid";
    public const string Audience = "gemeinsamdigital-api";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting($"{JwtSettings.Section}:TestSigningKey", Convert.ToBase64String(_key));
        builder.UseSetting($"{JwtSettings.Section}:Issuer", Issuer);
        builder.UseSetting($"{JwtSettings.Section}:Audience", Audience);
    }

    public string Create(string subject, string? administration, IReadOnlyCollection<string> roles,
        string issuer = Issuer, string audience = Audience, TimeSpan? lifetime = null, byte[]? signingKey = null, string? name = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles.ToArray() };
        if (name is not null)
        {
            claims["name"] = name;
        }
        if (administration is not null)
        {
            claims["administration"] = administration;
        }
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? _key) { KeyId = JwtSettings.TestSigningKeyId }, SecurityAlgorithms.HmacSha256),
        });
    }
}
