using System.Net;
using System.Net.Sockets;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>
/// Where a webhook may go: absolute http(s) URLs whose host is public. Checked when a subscription is made (the URL
/// and its DNS answer) and again at every connection (<see cref="ConnectAsync"/>), so a name that later resolves to a
/// private address (DNS rebinding) is refused too. Redirects are never followed.
/// </summary>
public sealed class Destinations(bool allowPrivateNetworks)
{
    public bool AllowPrivateNetworks { get; } = allowPrivateNetworks;

    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8")
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return !NonPublic.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }

    /// <summary>Why a URL may not be subscribed, or null. Resolves the host as a delivery would.</summary>
    public async Task<string?> RefusalAsync(string? url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "Use an absolute http or https URL.";
        if (uri.UserInfo.Length > 0) return "Put no credentials in the URL; verify the signature instead.";
        if (AllowPrivateNetworks) return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {uri.DnsSafeHost} does not resolve.";
        }
        return addresses.Length == 0 || addresses.Any(a => !IsPublic(a))
            ? $"{uri.DnsSafeHost} is in a private, loopback or link-local network; deliveries go to public addresses only (Webhooks__AllowPrivateNetworks=true allows others)."
            : null;
    }

    /// <summary>The connection of every delivery: resolves the host and connects only to a public address (unless allowed).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => AllowPrivateNetworks || IsPublic(a)).ToList();
        if (allowed.Count == 0) throw new HttpRequestException($"{host} resolves to no public address; the delivery is refused.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
