using System.Diagnostics;
using System.Text;

namespace ValueLedger.Harness;

/// <summary>Runs a command to completion and keeps its output (the app's JasperFx CLI, pg tools, free).</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(ProcessStartInfo info, TimeSpan? timeout = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var output = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(30));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output) return new Result(process.ExitCode, output.ToString(), Stopwatch.GetElapsedTime(started));
    }

    public static Task<Result> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return RunAsync(info);
    }

    /// <summary>The app's own command line (JasperFx), e.g. <c>projections rebuild</c>, with the app's environment.</summary>
    public static Task<Result> RunAppCommandAsync(AppSettings settings, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(settings.Dll))! };
        info.ArgumentList.Add(settings.Dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var template = AppProcess.Command(settings, []);
        foreach (var (key, value) in template.Environment)
            if (key != "VL_APP_LOG" && value is not null) info.Environment[key] = value;
        return RunAsync(info);
    }
}
