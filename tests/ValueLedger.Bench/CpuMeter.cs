using Npgsql;

namespace ValueLedger.Bench;

/// <summary>
/// Who used the two cores during a phase: the app, our PostgreSQL (postmaster and its children), this benchmark
/// process, and everything else on the machine (other engineers' builds share it). Read from /proc.
/// </summary>
public static class CpuMeter
{
    private const double TicksPerSecond = 100;
    private static int? _postmaster;

    public sealed record Sample(long At, double App, double Postgres, double Self, long MachineBusy, long MachineTotal);

    public sealed record Use(double App, double Postgres, double Bench, double Other, double MachineBusy)
    {
        public string Describe() =>
            $"CPU (cores of {Environment.ProcessorCount}): app {App:0.00}, PostgreSQL {Postgres:0.00}, benchmark client {Bench:0.00}, other processes {Other:0.00}; machine busy {MachineBusy:0.00}";
    }

    public static async Task FindPostmasterAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("select pg_backend_pid()");
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync());
        _postmaster = ParentOf(backend);
    }

    public static Sample Take(int? appPid)
    {
        var (busy, total) = Harness.ProcCpu.Machine();
        var postgres = 0.0;
        if (_postmaster is { } postmaster)
        {
            // The postmaster's own time plus that of its backends: those that exited are in its children's
            // times (cutime/cstime: it reaps them), the running ones are read one by one.
            postgres = Seconds(postmaster, withReapedChildren: true);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(pid) == postmaster)
                    postgres += Seconds(pid);
        }
        return new Sample(Environment.TickCount64, appPid is { } app ? Seconds(app) : 0, postgres, Seconds(Environment.ProcessId), busy, total);
    }

    public static Use Between(Sample a, Sample b)
    {
        var wall = Math.Max(0.001, (b.At - a.At) / 1000.0);
        var machine = (b.MachineTotal - a.MachineTotal) == 0 ? 0
            : (double)(b.MachineBusy - a.MachineBusy) / (b.MachineTotal - a.MachineTotal) * Environment.ProcessorCount;
        var app = (b.App - a.App) / wall;
        var postgres = (b.Postgres - a.Postgres) / wall;
        var bench = (b.Self - a.Self) / wall;
        return new Use(app, postgres, bench, Math.Max(0, machine - app - postgres - bench), machine);
    }

    private static double Seconds(int pid, bool withReapedChildren = false)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            if (withReapedChildren) ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
            return ticks / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Write transactions and WAL bytes of a phase, from the server itself (exact, unlike the lagging stats views).</summary>
public static class DbMeter
{
    public sealed record Sample(long TransactionId, decimal WalLsn);

    public static async Task<Sample> TakeAsync(NpgsqlDataSource db)
    {
        // pg_current_xact_id() assigns an id to this (tiny) transaction: the difference of two readings minus one is the
        // number of write transactions committed or aborted in between, cluster-wide (the cluster is ours alone).
        await using var command = db.CreateCommand("select pg_current_xact_id()::text::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Sample(reader.GetInt64(0), reader.GetDecimal(1));
    }

    public static (long Transactions, decimal WalBytes) Between(Sample a, Sample b) => (b.TransactionId - a.TransactionId - 1, b.WalLsn - a.WalLsn);
}
