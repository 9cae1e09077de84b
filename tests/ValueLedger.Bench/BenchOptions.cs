using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>What to run and how big. <c>--quick</c> scales everything down to a smoke run of about two minutes.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        ValueLedger.Bench — benchmarks of the running app, each beside a baseline measured in the same run.

          --connection CS      Npgsql connection string of an empty database (or ConnectionStrings__Marten)
          --app DLL            the built app (default: src/ValueLedger.Api/bin/Release/net10.0/ValueLedger.Api.dll)
          --work DIR           logs and scratch files (default: a temporary folder)
          --out FILE           write the Markdown report here (default: docs/benchmarks.md; "-" for none)
          --quick              small sizes and short runs (a smoke run)
          --only a,b,…         only these rows: ingest, bulk, push, timetravel, portfolio, rebuild, coldstart
          --command TEXT       the command line to print in the report (ops/bench passes its own)
          --pg-version TEXT    PostgreSQL version to print (default: asked from the server)
        """;

    public required string ConnectionString { get; init; }
    public required string AppDll { get; init; }
    public required string WorkDir { get; init; }
    public string? OutFile { get; init; }
    public bool Quick { get; init; }
    public HashSet<string>? Only { get; init; }
    public string Command { get; init; } = "ValueLedger.Bench";

    public bool Runs(string row) => Only is null || Only.Contains(row);

    // Sizes: the full run is what the issue asks for; the quick run checks that everything works.
    public int IngestClients => 16;
    public int AccountsPerIngestClient => 16;
    public TimeSpan IngestWarmup => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);
    public TimeSpan IngestDuration => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30);
    public int BulkRows => 10_000;
    public int BulkRepetitions => Quick ? 1 : 3;
    public int PushClients => Quick ? 100 : 1_000;
    public int PushClientsLarge => Quick ? 300 : 5_000;
    public TimeSpan IngestOpenLoopDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);
    public int PushAccounts => 200; // 1 write per account per second: writers do not contend
    public int PushWritesPerSecond => 200;
    public TimeSpan PushDuration => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30);
    public TimeSpan PushBaselineDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);
    public int[] TimeTravelSizes => Quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    public int TimeTravelRepetitions(int size) => Quick ? 3 : size >= 100_000 ? 5 : 20;
    public int PortfolioAccounts => Quick ? 100 : 1_000;
    public int RebuildEvents => Quick ? 100_000 : 1_000_000;
    public int ColdStarts => Quick ? 1 : 3;

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var repo = Files.RepoRoot();
        var connection = Value("--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new ArgumentException("Give --connection or set ConnectionStrings__Marten.");
        var work = Value("--work") ?? Directory.CreateTempSubdirectory("valueledger-bench.").FullName;
        Directory.CreateDirectory(work);
        var outFile = Value("--out") ?? Path.Combine(repo, "docs", "benchmarks.md");
        return new BenchOptions
        {
            ConnectionString = connection,
            AppDll = Path.GetFullPath(Value("--app") ?? Path.Combine(repo, "src/ValueLedger.Api/bin/Release/net10.0/ValueLedger.Api.dll")),
            WorkDir = work,
            OutFile = outFile == "-" ? null : Path.GetFullPath(outFile),
            Quick = args.Contains("--quick"),
            Only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
            Command = Value("--command") ?? "dotnet ValueLedger.Bench.dll " + string.Join(' ', args.Where(a => !a.Contains("Host=")))
        };
    }
}
