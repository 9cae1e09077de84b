using System.Diagnostics;
using System.Text.Json;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// A real OpenID Connect provider on loopback for the dashboard's staff sign-in: <c>IdentityProvider/provider.mjs</c>
/// (the oidc-provider package) in a Node.js process of its own. It starts first and names its issuer, so that the app
/// can be started to trust it; <see cref="ConfigureAsync"/> then registers the app's address as the dashboard
/// client's redirect URI. Closing its standard input ends it.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private TestIdentityProvider(Process process) => _process = process;

    /// <summary>The provider's issuer (http://127.0.0.1:port), which its tokens name.</summary>
    public string Issuer { get; private set; } = "";

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var directory = Path.Combine(BrowserFixture.ProjectDirectory(), "Browser", "IdentityProvider");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
            throw new InvalidOperationException($"The test identity provider is not installed: run `npm ci` in {directory} (ops/test does it).");
        var process = Process.Start(new ProcessStartInfo("node", "provider.mjs")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start.");
        var provider = new TestIdentityProvider(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (provider._errors) provider._errors.Add(line); };
        process.BeginErrorReadLine();
        provider.Issuer = await provider.ReadLineAsync("issuer ");
        return provider;
    }

    /// <summary>Registers the app (its origin + "/", where the dashboard comes back) and waits until the provider serves.</summary>
    public async Task ConfigureAsync(Uri app, int accessTokenSeconds)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { redirectUri = new Uri(app, "/").ToString(), accessTokenSeconds }));
        await _process.StandardInput.FlushAsync();
        await ReadLineAsync("ready");
    }

    private async Task<string> ReadLineAsync(string prefix)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
        }
        catch (OperationCanceledException)
        {
        }
        string errors;
        lock (_errors) errors = string.Join(Environment.NewLine, _errors);
        throw new InvalidOperationException($"The test identity provider did not print '{prefix}' within {StartTimeout.TotalSeconds} s: {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception) when (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
