using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ValueLedger.Harness;

/// <summary>How to start the app: the built DLL, its database, the key its tokens are signed with, where it logs.</summary>
public sealed record AppSettings(string Dll, string ConnectionString, string SigningKey, string LogFile, string DataDirectory)
{
    /// <summary>Extra environment for every start (e.g. rate limits lifted for a benchmark).</summary>
    public Dictionary<string, string> Environment { get; init; } = new()
    {
        ["RateLimiting__PermitsPerSecond"] = "1000000",
        ["RateLimiting__Burst"] = "1000000"
    };
}

/// <summary>
/// One real app process (<c>dotnet ValueLedger.Api.dll --urls …</c>), started the way ops/run starts it. It can be
/// stopped politely (SIGTERM) or killed (SIGKILL, as <c>kill -9</c>); its memory and CPU are read from /proc.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly AppSettings _settings;

    private AppProcess(Process process, AppSettings settings, Uri baseUrl, long startedAt)
    {
        _process = process;
        _settings = settings;
        BaseUrl = baseUrl;
        StartedAt = startedAt;
    }

    public Uri BaseUrl { get; }
    public int Pid => _process.Id;
    /// <summary>Stopwatch timestamp taken just before the process was created.</summary>
    public long StartedAt { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app listening on 127.0.0.1:<paramref name="port"/>; extra arguments go before <c>--urls</c>.</summary>
    public static AppProcess Start(AppSettings settings, int port, params string[] extraArguments)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(Command(settings, [settings.Dll, .. extraArguments, "--urls", baseUrl.ToString().TrimEnd('/')]))
                      ?? throw new InvalidOperationException("Could not start dotnet");
        // The ops script stops whatever is listed here if this program itself dies.
        if (System.Environment.GetEnvironmentVariable("VL_PID_FILE") is { Length: > 0 } pidFile)
            File.AppendAllText(pidFile, $"{process.Id}\n");
        return new AppProcess(process, settings, baseUrl, started);
    }

    /// <summary>
    /// bash execs dotnet with its output appended to the log file, so the process id is the app's own and nothing
    /// blocks on a full pipe.
    /// </summary>
    public static ProcessStartInfo Command(AppSettings settings, IEnumerable<string> dotnetArguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(settings.Dll))!
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec dotnet \"$@\" >>\"$VL_APP_LOG\" 2>&1");
        info.ArgumentList.Add("dotnet");
        foreach (var argument in dotnetArguments) info.ArgumentList.Add(argument);
        info.Environment["VL_APP_LOG"] = settings.LogFile;
        info.Environment["ConnectionStrings__Marten"] = settings.ConnectionString;
        info.Environment["Auth__SigningKey"] = settings.SigningKey;
        info.Environment["ValueLedger__DataDirectory"] = settings.DataDirectory;
        // Local sign-in (the harness mints its own tokens) runs only in Development on loopback: closed by default.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings.Environment) info.Environment[key] = value;
        return info;
    }

    /// <summary>Polls GET /alive until it answers 200; fails early when the process dies.</summary>
    public async Task<TimeSpan> WaitUntilAliveAsync(TimeSpan timeout, string path = "/alive")
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} during startup.\n{LogTail()}");
            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK) return Stopwatch.GetElapsedTime(StartedAt);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"The app did not answer {path} within {timeout.TotalSeconds:0} s.\n{LogTail()}");
            await Task.Delay(10);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything (what kill -9 does).</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for a clean shutdown; SIGKILL after the grace period.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    public string LogTail(int lines = 30) => Files.Tail(_settings.LogFile, lines);

    /// <summary>Peak resident set size since start or since <see cref="ResetPeakMemory"/> (VmHWM), in bytes.</summary>
    public long PeakWorkingSetBytes() => ProcStatus("VmHWM");

    public long WorkingSetBytes() => ProcStatus("VmRSS");

    /// <summary>Resets VmHWM to the current RSS (Linux: write 5 to /proc/PID/clear_refs).</summary>
    public bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>User + system CPU time the process used so far.</summary>
    public TimeSpan CpuTime() => ProcCpu.Of(Pid);

    private long ProcStatus(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class ProcCpu
{
    private const double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    public static TimeSpan Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) -> indexes 11 and 12 here.
            return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Busy and total jiffies of the whole machine (/proc/stat), to tell how loaded the cores were.</summary>
    public static (long Busy, long Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = cpu[3] + (cpu.Length > 4 ? cpu[4] : 0);
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }
}

public static class Files
{
    public static string Tail(string path, int lines)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>The repository root: the nearest folder above the program holding ValueLedger.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ValueLedger.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
