using System.Net;
using System.Net.Sockets;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>
/// Where the service may send a webhook: never into its own network. A URL is checked when a
/// subscription is created, and every address a name resolves to is checked again when a delivery
/// connects (the connection is made to the checked address itself, so DNS cannot change in between).
/// </summary>
public static class WebhookTargets
{
    public const int MaxUrlLength = 2000;

    /// <summary>The URL's shape: null when acceptable, else why not.</summary>
    public static string? CheckUrl(string? url, bool requireHttps, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A target URL is required.";
        }
        if (url.Length > MaxUrlLength)
        {
            return $"The URL must be at most {MaxUrlLength} characters long.";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
        {
            return "The URL must be an absolute http or https URL.";
        }
        if (requireHttps && parsed.Scheme != "https")
        {
            return "Only https targets are accepted here.";
        }
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            return "The URL must not carry user name or password; authenticate the deliveries by their signature.";
        }
        if (!string.IsNullOrEmpty(parsed.Fragment))
        {
            return "The URL must not have a fragment.";
        }
        uri = parsed;
        return null;
    }

    /// <summary>Why an address is no target (loopback, private, link-local, metadata …), or null when it is a public one.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback ? null : "a loopback address";
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [0, ..] => "an address of this network (0.0.0.0/8)",
                [10, ..] => "a private address (10.0.0.0/8)",
                [172, >= 16 and <= 31, ..] => "a private address (172.16.0.0/12)",
                [192, 168, ..] => "a private address (192.168.0.0/16)",
                [169, 254, ..] => "a link-local or cloud metadata address (169.254.0.0/16)",
                [100, >= 64 and <= 127, ..] => "a shared (carrier-grade NAT) address (100.64.0.0/10)",
                [192, 0, 0, _] => "an IETF protocol address (192.0.0.0/24)",
                [198, 18 or 19, ..] => "a benchmarking address (198.18.0.0/15)",
                [>= 224, ..] => "a multicast or reserved address",
                _ => null,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
            {
                return "the unspecified address";
            }
            if ((b[0] & 0xfe) == 0xfc)
            {
                return "a unique local address (fc00::/7)";
            }
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
            {
                return "a link-local address (fe80::/10)";
            }
            if (address.IsIPv6Multicast)
            {
                return "a multicast address";
            }
            // IPv4 embedded by NAT64 or 6to4 would reach the IPv4 network the checks above guard.
            if (b is [0, 0x64, 0xff, 0x9b, ..] || b is [0x20, 0x02, ..])
            {
                return "an IPv6 address that embeds an IPv4 one (64:ff9b::/96, 2002::/16)";
            }
            return null;
        }
        return "an address of an unknown family";
    }

    /// <summary>The addresses of a host, each of them acceptable; else why not.</summary>
    public static async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, bool allowLoopback, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, ct);
            }
            catch (SocketException e)
            {
                return ([], $"'{host}' does not resolve ({e.SocketErrorCode}).");
            }
        }
        if (addresses.Length == 0)
        {
            return ([], $"'{host}' does not resolve.");
        }
        foreach (var address in addresses)
        {
            if (Refusal(address, allowLoopback) is { } why)
            {
                return (addresses, $"'{host}' resolves to {address}, {why}: webhooks are only sent to public addresses.");
            }
        }
        return (addresses, null);
    }
}
