using System.Security.Cryptography;
using System.Text;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>
/// Standard Webhooks (standardwebhooks.com): the secret is "whsec_" + base64 of random bytes; the
/// signature is HMAC-SHA256 with those bytes over "{webhook-id}.{webhook-timestamp}.{body}",
/// sent as "v1,{base64}".
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
