using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// Closed by default. Local mode (no Auth:Authority) lets anyone who reaches the app mint a token of any role
/// (<c>POST /api/local/sign-in</c>), so it runs only in Development, bound to loopback addresses only, and answers only
/// to loopback host names (a DNS-rebinding page cannot borrow the browser's way in). Anything else refuses to start.
/// </summary>
public static class LocalMode
{
    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private const string Remedy = "local sign-in is only for loopback in Development; set Auth__Authority to your OpenID Connect issuer";

    public static IServiceCollection AddValueLedgerLocalMode(this IServiceCollection services, AuthSettings auth)
    {
        if (!auth.IsLocal) return services;
        services.AddHostedService<LocalModeGuard>();
        // Runs after the web host's own PostConfigure, which fills AllowedHosts from configuration ("*" in appsettings).
        services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = [.. LoopbackHosts]);
        return services;
    }

    /// <summary>Why local mode may not run in <paramref name="environment"/> on <paramref name="addresses"/>; null when it may.</summary>
    public static string? Refusal(string environment, IEnumerable<string> addresses, string source)
    {
        if (!string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase))
            return $"Auth:Authority is not set and the environment is {environment}: {Remedy} " +
                   "(or, for a run on this machine only, ASPNETCORE_ENVIRONMENT=Development as ops/run sets it).";
        var open = addresses.Where(a => !IsLoopback(a)).ToList();
        return open.Count == 0
            ? null
            : $"Auth:Authority is not set and {source} binds {string.Join(", ", open)}: {Remedy} " +
              "(or bind 127.0.0.1 / localhost only, e.g. --urls http://127.0.0.1:5080).";
    }

    /// <summary>The addresses configuration asks Kestrel to bind: urls (--urls, ASPNETCORE_URLS), http(s)_ports, Kestrel:Endpoints.</summary>
    public static IEnumerable<string> ConfiguredAddresses(IConfiguration configuration)
    {
        foreach (var url in Split(configuration["urls"])) yield return url;
        foreach (var port in Split(configuration["http_ports"])) yield return $"http://*:{port}";
        foreach (var port in Split(configuration["https_ports"])) yield return $"https://*:{port}";
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url) yield return url;
    }

    /// <summary>localhost and loopback IP addresses; wildcards (*, +, 0.0.0.0, [::]), other names and sockets are not.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }
        if (parsed.IsUnixPipe || parsed.IsNamedPipe) return false;
        if (string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string[] Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>
/// Checks local mode twice: before anything starts, against the configured addresses; once the server listens, against
/// the addresses it really bound (code may add listeners configuration does not show). An in-memory server (the tests'
/// TestServer) binds no address at all, so nothing outside the process can reach it. A refusal stops the start.
/// </summary>
public sealed class LocalModeGuard(IHostEnvironment environment, IConfiguration configuration, IServer server, ILogger<LocalModeGuard> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) =>
        Check(LocalMode.ConfiguredAddresses(configuration), "the configuration (urls, ASPNETCORE_URLS, Kestrel:Endpoints)");

    public Task StartedAsync(CancellationToken cancellationToken) =>
        Check(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [], "Kestrel");

    private Task Check(IEnumerable<string> addresses, string source)
    {
        if (LocalMode.Refusal(environment.EnvironmentName, addresses, source) is not { } refusal) return Task.CompletedTask;
        logger.LogCritical("Refusing to start in local mode: {Refusal}", refusal);
        throw new InvalidOperationException(refusal);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
