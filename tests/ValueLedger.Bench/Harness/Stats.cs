using System.Diagnostics;

namespace ValueLedger.Harness;

/// <summary>Latency figures in milliseconds: nearest-rank percentiles over every sample (no sampling, no averaging).</summary>
public sealed record Latency(int Count, double P50, double P99, double Max, double Mean)
{
    public double P80 { get; init; } = double.NaN;

    public static Latency Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN);
        return new Latency(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], sorted.Average())
        {
            P80 = Percentile(sorted, 0.80)
        };
    }

    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Ms(long fromTimestamp, long toTimestamp) => (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    public string Describe() => Count == 0 ? "no samples" : $"p50 {P50:0.0} ms, p99 {P99:0.0} ms (n={Count})";
}
