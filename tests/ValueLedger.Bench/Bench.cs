using System.Diagnostics;
using Npgsql;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

public enum Verdict { Met, Missed, NotAvailable, Info }

/// <summary>One line of the result table: the figure, its baseline from the same run, and the goal of the issue.</summary>
public sealed record Row(string Name, string Figure, string Baseline, string Ratio, string Goal, Verdict Verdict, string Note = "");

/// <summary>Runs the rows in an order that lets each build on the data of the ones before, and writes the report.</summary>
public sealed class Bench : IAsyncDisposable
{
    public Bench(BenchOptions options)
    {
        Options = options;
        var key = Tokens.NewKey();
        Tokens = new Tokens(key);
        Settings = new AppSettings(options.AppDll, options.ConnectionString, key, Path.Combine(options.WorkDir, "app.log"),
            Path.Combine(options.WorkDir, "data"));
        Db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString) { MaxPoolSize = 64 }.ConnectionString);
        Ledger = new Ledger(Db);
        Report = new Report(this);
    }

    public BenchOptions Options { get; }
    public Tokens Tokens { get; }
    public AppSettings Settings { get; }
    public NpgsqlDataSource Db { get; }
    public Ledger Ledger { get; }
    public Report Report { get; }
    public AppProcess? App { get; private set; }
    public ApiClient Api { get; private set; } = null!;
    public List<Row> Rows { get; } = [];
    public List<string> Notes { get; } = [];
    /// <summary>Per goal of the issue: the measured figure, met or missed, and what bounds it.</summary>
    public Dictionary<string, string> Bounds { get; } = new();
    /// <summary>Figures the rows leave for the closing analysis (what bounds each goal).</summary>
    public Dictionary<string, double> Facts { get; } = new();

    /// <summary>Set when the portfolio accounts are in: the moment the portfolio as-of row asks about.</summary>
    public DateTimeOffset? PortfolioMoment { get; set; }

    public async Task<int> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        Report.CaptureMachine();
        Log($"work folder {Options.WorkDir}; app log {Settings.LogFile}");
        try
        {
            await StartAppAsync();
            await CpuMeter.FindPostmasterAsync(Db);

            if (Options.Runs("portfolio")) await new PortfolioAsOf(this).SeedAsync();
            if (Options.Runs("ingest")) await new Ingest(this).RunAsync();
            if (Options.Runs("bulk")) await new BulkImport(this).RunAsync();
            if (Options.Runs("push")) await new LivePush(this).RunAsync();
            if (Options.Runs("timetravel")) await new TimeTravel(this).RunAsync();
            if (Options.Runs("portfolio")) await new PortfolioAsOf(this).MeasureAsync();
            await StopAppAsync();

            // Cold start before the rebuild: a rebuild stopped by its time budget leaves the read models half built.
            if (Options.Runs("coldstart")) await new ColdStart(this).RunAsync();
            if (Options.Runs("rebuild")) await new Rebuild(this).RunAsync();
        }
        catch (Exception e)
        {
            Log($"error: {e}");
            if (App is not null) Log("app log tail:\n" + App.LogTail());
            Notes.Add($"The run stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            await StopAppAsync();
            Analysis.Compose(this);
            Report.Finish(Stopwatch.GetElapsedTime(started));
            return 1;
        }

        Analysis.Compose(this);
        Report.Finish(Stopwatch.GetElapsedTime(started));
        return 0;
    }

    public async Task<AppProcess> StartAppAsync()
    {
        App = AppProcess.Start(Settings, AppProcess.FreePort());
        await App.WaitUntilAliveAsync(TimeSpan.FromMinutes(2));
        Api = new ApiClient(App.BaseUrl, Tokens.For(Roles.Csm, "bench.csm"));
        Log($"app started (pid {App.Pid}) at {App.BaseUrl}");
        return App;
    }

    public async Task StopAppAsync()
    {
        if (App is null) return;
        await App.DisposeAsync();
        App = null;
    }

    public void Add(Row row)
    {
        Rows.Add(row);
        Log($"{row.Name}: {row.Figure} | baseline {row.Baseline} | {row.Ratio} | {row.Verdict} {row.Note}");
    }

    public static void Log(string message) => Console.Error.WriteLine($"ops/bench: [{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Runs <paramref name="count"/> jobs with at most <paramref name="degree"/> at a time.</summary>
    public static async Task<T[]> ParallelAsync<T>(int count, int degree, Func<int, Task<T>> body)
    {
        var results = new T[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = degree },
            async (i, _) => results[i] = await body(i));
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        await Db.DisposeAsync();
    }
}
