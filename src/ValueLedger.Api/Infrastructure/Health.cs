using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ValueLedger.Api.Infrastructure;

/// <summary>Healthy when the event store answers and the projection daemon keeps up with the events.</summary>
public sealed class LedgerHealthCheck(IDocumentStore store) : IHealthCheck
{
    private const long MaxLag = 10_000;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation = default)
    {
        try
        {
            var database = store.Storage.Database;
            var highWater = await database.FetchHighestEventSequenceNumber(cancellation);
            var progress = await database.AllProjectionProgress(cancellation);
            var data = new Dictionary<string, object> { ["highestEventSequence"] = highWater };
            var lagging = new List<string>();
            foreach (var shard in progress.Where(p => !p.ShardName.Contains("HighWaterMark", StringComparison.OrdinalIgnoreCase)))
            {
                data[shard.ShardName] = shard.Sequence;
                if (highWater - shard.Sequence > MaxLag) lagging.Add(shard.ShardName);
            }
            return lagging.Count == 0
                ? HealthCheckResult.Healthy("Event store reachable; projections up to date.", data)
                : HealthCheckResult.Degraded($"Projections behind by more than {MaxLag} events: {string.Join(", ", lagging)}", data: data);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("Event store unreachable.", e);
        }
    }
}
