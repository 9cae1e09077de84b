using System.Diagnostics;
using System.Net;
using Npgsql;
using NpgsqlTypes;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>10,000 measurements in one JSON import request, against a raw binary COPY of the same 10,000 event rows.</summary>
public sealed class BulkImport(Bench bench)
{
    public async Task RunAsync()
    {
        var o = bench.Options;
        var apiTimes = new List<double>();
        for (var rep = 0; rep < o.BulkRepetitions; rep++)
        {
            var target = (await Ingest.OpenTargetsAsync(bench, 1, $"Bulk {rep}"))[0];
            var elapsed = await ImportAsync(bench, target, 0, o.BulkRows);
            apiTimes.Add(elapsed);
            Bench.Log($"bulk: {o.BulkRows:N0} rows imported in {elapsed:N0} ms");
        }

        await RawTable.CreateAsync(bench.Db);
        var copyTimes = new List<double>();
        for (var rep = 0; rep < o.BulkRepetitions; rep++)
        {
            var rows = Enumerable.Range(0, o.BulkRows).Select(RawTable.EventJson).ToList();
            var t0 = Stopwatch.GetTimestamp();
            await using (var connection = await bench.Db.OpenConnectionAsync())
            await using (var copy = await connection.BeginBinaryImportAsync(
                             $"copy {RawTable.Name} (id, stream_id, version, data, type) from stdin (format binary)"))
            {
                var stream = Guid.NewGuid();
                for (var i = 0; i < rows.Count; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(stream, NpgsqlDbType.Uuid);
                    await copy.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(rows[i], NpgsqlDbType.Jsonb);
                    await copy.WriteAsync("measurement_recorded", NpgsqlDbType.Varchar);
                }
                await copy.CompleteAsync();
            }
            copyTimes.Add(Latency.Ms(t0, Stopwatch.GetTimestamp()));
        }

        var api = Median(apiTimes);
        var copyMs = Median(copyTimes);
        bench.Add(new Row($"Bulk import: {o.BulkRows:N0} measurements in one request",
            $"{api:N0} ms ({o.BulkRows / (api / 1000):N0} rows/s)",
            $"raw COPY: {copyMs:N0} ms ({o.BulkRows / (copyMs / 1000):N0} rows/s)",
            $"{api / copyMs:0.0}× the COPY time", "— (no goal set)", Verdict.Info,
            $"median of {o.BulkRepetitions}"));
    }

    /// <summary>Imports <paramref name="rows"/> daily measurements starting at day <paramref name="firstDay"/>; returns the request time in ms.</summary>
    public static async Task<double> ImportAsync(Bench bench, Ingest.Target target, int firstDay, int rows, Guid? commitment = null)
    {
        var body = new
        {
            rows = Enumerable.Range(firstDay, rows)
                .Select(d => Bodies.ImportRow(commitment ?? target.Commitment, Bodies.Day(d), 80 + d % 20)).ToList()
        };
        var content = ApiClient.JsonContent(body);
        await content.LoadIntoBufferAsync();
        var t0 = Stopwatch.GetTimestamp();
        using var response = await bench.Api.Http.PostAsync($"/api/accounts/{target.Account}/measurements/import", content);
        var elapsed = Latency.Ms(t0, Stopwatch.GetTimestamp());
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return elapsed;
    }

    public static double Median(List<double> values) => Latency.Percentile(values.Order().ToArray(), 0.5);
}
