using System.Diagnostics;

namespace ValueLedger.Cluster.Tests;

/// <summary>
/// Production loads Wolverine's handler and endpoint code only from the types compiled into the app
/// (TypeLoadMode.Static, from src/ValueLedger.Api/Internal/Generated). The app's own <c>codegen write</c>, run into a
/// scratch folder, must write exactly those files: a handler, endpoint, policy or middleware changed without
/// running ops/codegen shows here as a difference.
/// </summary>
public sealed class when_the_generated_code_is_checked
{
    [Fact]
    public async Task the_committed_code_is_what_the_app_generates_now()
    {
        var scratch = Directory.CreateTempSubdirectory("vl-codegen-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [ClusterFixture.AppDll(), "codegen", "write"])
            {
                WorkingDirectory = scratch, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
            };
            start.Environment["ConnectionStrings__Marten"] = "Host=127.0.0.1;Port=1;Database=codegen;Username=codegen"; // never opened
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"codegen write exited with {process.ExitCode}:\n{await output}\n{await errors}");

            var generated = Files(Path.Combine(scratch, "Internal", "Generated"));
            var committed = Files(Path.Combine(RepoRoot(), "src", "ValueLedger.Api", "Internal", "Generated"));
            var missing = generated.Keys.Except(committed.Keys).Order().ToList();
            var extra = committed.Keys.Except(generated.Keys).Order().ToList();
            var changed = generated.Keys.Intersect(committed.Keys).Where(k => generated[k] != committed[k]).Order().ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0 && changed.Count == 0,
                "The generated code in src/ValueLedger.Api/Internal/Generated is stale: run ops/codegen and commit the result.\n" +
                $"missing: {string.Join(", ", missing)}\nno longer generated: {string.Join(", ", extra)}\nchanged: {string.Join(", ", changed)}");
            Assert.NotEmpty(committed);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) => !Directory.Exists(root)
        ? []
        : Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueLedger.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ValueLedger.sln not found above the test output");
    }
}
