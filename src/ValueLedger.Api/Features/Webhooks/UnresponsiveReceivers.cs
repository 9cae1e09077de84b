using System.Collections.Concurrent;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>
/// The subscriptions whose receiver lately gave no answer within the timeout, on this node. While one is marked, its
/// deliveries go straight to Wolverine's retry schedule rather than each holding a lane for the whole timeout, so a
/// burst to a hanging receiver drains in moments and the lane it shares (partition slots are hashed) is free again.
/// Kept in memory: it only saves waiting, and a restarted node simply learns it again from the next timeout.
/// Machine time, not the business clock: it measures the network.
/// </summary>
public sealed class UnresponsiveReceivers
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _quietUntil = new();

    public void TimedOut(Guid subscriptionId, TimeSpan pause) => _quietUntil[subscriptionId] = DateTimeOffset.UtcNow + pause;

    public void Answered(Guid subscriptionId) => _quietUntil.TryRemove(subscriptionId, out _);

    /// <summary>When the subscription's pause ends, if it is paused now.</summary>
    public DateTimeOffset? PausedUntil(Guid subscriptionId)
    {
        if (!_quietUntil.TryGetValue(subscriptionId, out var until)) return null;
        if (until > DateTimeOffset.UtcNow) return until;
        _quietUntil.TryRemove(KeyValuePair.Create(subscriptionId, until));
        return null;
    }
}
