using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ValueLedger.Cluster.Tests;

/// <summary>
/// A Redis server and two ValueLedger nodes (real processes, Cluster mode, Redis backplane) on loopback ports,
/// sharing the PostgreSQL that ops/test started. Nodes can be stopped and started again by the tests.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    internal string SigningKey => signingKey;
    private Process? redis;

    public string ConnectionString { get; } = System.Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
        ?? throw new InvalidOperationException("Set ConnectionStrings__Marten (ops/test does) to run the cluster tests.");
    public string Schema { get; } = "vl_cluster";
    public int RedisPort { get; } = FreePort();
    public Node A { get; private set; } = null!;
    public Node B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await StartRedisAsync();
        A = new Node("A", this);
        B = new Node("B", this);
        await Task.WhenAll(A.StartAsync(), B.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(A.StopAsync(), B.StopAsync());
        await StopRedisAsync();
    }

    public async Task StartRedisAsync()
    {
        var redisServer = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is missing: ops/test installs it (apt-get install -y redis-server).");
        redis = Process.Start(new ProcessStartInfo(redisServer, ["--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true
        })!;
        await Eventually.Async(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, RedisPort);
            return true;
        }, TimeSpan.FromSeconds(20), "redis to accept connections");
    }

    /// <summary>Kills Redis outright, as a crash or a network partition would take it away.</summary>
    public async Task StopRedisAsync()
    {
        if (redis is { HasExited: false })
        {
            redis.Kill(entireProcessTree: true);
            await redis.WaitForExitAsync();
        }
        redis?.Dispose();
        redis = null;
    }

    public string TokenFor(string role) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "valueledger-local", Audience = "valueledger",
        Claims = new Dictionary<string, object> { ["role"] = role, ["name"] = $"cluster-{role}", ["sub"] = $"cluster-{role}" },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), SecurityAlgorithms.HmacSha256)
    });

    internal Dictionary<string, string> NodeEnvironment(int port) => new()
    {
        ["ConnectionStrings__Marten"] = ConnectionString,
        ["ValueLedger__Schema"] = Schema,
        ["ValueLedger__Cluster"] = "true",
        ["Redis__ConnectionString"] = $"127.0.0.1:{RedisPort}",
        ["Auth__SigningKey"] = signingKey,
        ["RateLimiting__PermitsPerSecond"] = "100000",
        ["RateLimiting__Burst"] = "100000",
        ["ASPNETCORE_ENVIRONMENT"] = "Development", // local sign-in runs only in Development on loopback
        ["Logging__LogLevel__Default"] = "Warning",
    };

    internal static string AppDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueLedger.sln"))) directory = directory.Parent;
        var dll = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("ValueLedger.sln not found above the test output"),
            "src", "ValueLedger.Api", "bin", configuration, "net10.0", "ValueLedger.Api.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the app first: {dll} is missing.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One app process; the client it returns is signed in as the given role. Its environment is the cluster's unless given.</summary>
public sealed class Node(string name, ClusterFixture cluster, Func<int, Dictionary<string, string>>? environment = null)
{
    private Process? process;
    private readonly List<string> output = [];

    public string Name { get; } = name;
    public int Port { get; } = ClusterFixture.FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public bool IsRunning => process is { HasExited: false };

    public HttpClient ClientFor(string role)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.TokenFor(role));
        return client;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [ClusterFixture.AppDll(), "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ClusterFixture.AppDll())!
        };
        foreach (var (key, value) in (environment ?? cluster.NodeEnvironment)(Port)) start.Environment[key] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) if (e.Data is not null) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) if (e.Data is not null) output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Async(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"Node {Name} exited: {Output()}");
            return (await http.GetAsync("/alive")).IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(90), $"node {Name} to answer /alive");
    }

    /// <summary>A graceful stop (SIGTERM), as an orchestrator would do it.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited) return;
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public string Output()
    {
        lock (output) return string.Join(Environment.NewLine, output.TakeLast(40));
    }
}

public static class Eventually
{
    /// <summary>Polls a condition until it holds or the time is up; failures inside count as "not yet".</summary>
    public static async Task Async(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("Node ")) { throw; }
            catch (Exception e) { last = e; }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.", last);
    }
}
