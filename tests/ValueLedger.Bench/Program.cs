using ValueLedger.Bench;

// ops/bench runs this program against a private PostgreSQL and the built app. See `--help`.
if (args.Length > 0 && args[0] == "hello") return await HelloServer.RunAsync(args[1..]);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var options = BenchOptions.Parse(args);
await using var bench = new Bench(options);
return await bench.RunAsync();
