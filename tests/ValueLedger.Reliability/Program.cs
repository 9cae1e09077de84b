using ValueLedger.Reliability;

// ops/reliability runs this program against a private PostgreSQL it can stop and start. See `--help`.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SuiteOptions.Usage);
    return 0;
}

var options = SuiteOptions.Parse(args);
await using var suite = new Suite(options);
return await suite.RunAsync();
