using ValueLedger.Harness;

namespace ValueLedger.Reliability;

public sealed record SuiteOptions
{
    public const string Usage = """
        ValueLedger.Reliability — the fault suite: kills the app (SIGKILL) and restarts PostgreSQL under load and
        checks that nothing acknowledged is lost, nothing is written twice and read models equal a replay.

          --connection CS   Npgsql connection string of an empty database in the cluster below (a superuser:
                            the suite's own checks and attacks use it)
          --app-connection CS  what the app connects with (default: --connection); with it the app does not
                            apply the schema (ops/reliability applies it as the owner role first)
          --owner-connection CS  what operator commands (projections rebuild) connect with (default: --connection)
          --pg-dir DIR      the cluster folder (ops/lib/postgres.sh layout) the suite may stop and start
          --pg-port PORT    the port that cluster listens on
          --app DLL         the built app (default: src/ValueLedger.Api/bin/Release/net10.0/ValueLedger.Api.dll)
          --work DIR        logs (default: a temporary folder)
          --short           the short form (well under two minutes), as ops/test runs it
          --only a,b,…      only these: kill, postgres, concurrent, fuzz, webhooks, catchup
          --out FILE        write the Markdown report here ("-" for none)
          --command TEXT    the command line to print in the report
        """;

    public required string ConnectionString { get; init; }
    public string? AppConnectionString { get; init; }
    public string? OwnerConnectionString { get; init; }
    public required string PgDir { get; init; }
    public required int PgPort { get; init; }
    public required string AppDll { get; init; }
    public required string WorkDir { get; init; }
    public string? OutFile { get; init; }
    public bool Short { get; init; }
    public HashSet<string>? Only { get; init; }
    public string Command { get; init; } = "ValueLedger.Reliability";
    public string PostgresLib { get; init; } = Path.Combine(Files.RepoRoot(), "ops", "lib", "postgres.sh");

    public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

    // Sizes of the full suite and of the short form.
    public int Writers => Short ? 6 : 8;
    public int AccountsPerWriter => 2;
    public int Kills => Short ? 1 : 3;
    public TimeSpan BetweenFaults => Short ? TimeSpan.FromSeconds(2.5) : TimeSpan.FromSeconds(6);
    public int PostgresOutages => Short ? 1 : 2;
    public TimeSpan Outage => Short ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(4);
    public int ConcurrentRounds => Short ? 1 : 3;
    public int ConcurrentWriters => 50;
    public int CatchUpImports => Short ? 4 : 8;
    public int CatchUpRows => Short ? 1_000 : 3_000;

    public static SuiteOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var repo = Files.RepoRoot();
        var work = Value("--work") ?? Directory.CreateTempSubdirectory("valueledger-reliability.").FullName;
        Directory.CreateDirectory(work);
        var outFile = Value("--out");
        return new SuiteOptions
        {
            ConnectionString = Value("--connection") ?? throw new ArgumentException("--connection is required"),
            AppConnectionString = Value("--app-connection"),
            OwnerConnectionString = Value("--owner-connection"),
            PgDir = Value("--pg-dir") ?? throw new ArgumentException("--pg-dir is required (the suite restarts that cluster)"),
            PgPort = int.Parse(Value("--pg-port") ?? throw new ArgumentException("--pg-port is required")),
            AppDll = Path.GetFullPath(Value("--app") ?? Path.Combine(repo, "src/ValueLedger.Api/bin/Release/net10.0/ValueLedger.Api.dll")),
            WorkDir = work,
            OutFile = outFile is null or "-" ? null : Path.GetFullPath(outFile),
            Short = args.Contains("--short"),
            Only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
            Command = Value("--command") ?? "ValueLedger.Reliability"
        };
    }
}
