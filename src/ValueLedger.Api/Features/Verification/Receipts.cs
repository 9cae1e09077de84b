using Marten;
using ValueLedger.Api.Features.Audit;

namespace ValueLedger.Api.Features.Verification;

/// <summary>
/// What the signer keeps to prove later what was signed: the account version the sign-off created, the hash of that
/// event, a checkpoint of the ledger that includes it and the proof of inclusion once a checkpoint covers it.
/// </summary>
public sealed record Receipt(Guid AccountId, long Version, string EventType, string EventHash, ReceiptCheckpoint Checkpoint,
    object? InclusionProof, DateTimeOffset IssuedAt);

/// <summary>
/// The checkpoint a receipt names. Until signed checkpoints of the whole ledger exist, it is the account's hash-chain
/// head (<c>kind: accountChainHead</c>): the sealed hash of the latest event of the account, which chains back to the
/// signed event, so the signed event cannot change without the head changing.
/// </summary>
public sealed record ReceiptCheckpoint(string Kind, Guid AccountId, long Version, string Hash);

/// <summary>Builds receipts. The one place that decides what a receipt's checkpoint is (swap it for signed checkpoints).</summary>
public sealed class ReceiptBuilder(TimeProvider clock)
{
    public async Task<Receipt?> ForAsync(IQuerySession session, Guid accountId, long version, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(accountId, fromVersion: version, token: cancellation);
        if (events.Count == 0 || events[0].Version != version) return null;
        var signed = events[0];
        var head = events[^1];
        return new Receipt(accountId, version, signed.EventTypeName, HashOf(signed),
            new ReceiptCheckpoint("accountChainHead", accountId, head.Version, HashOf(head)), null, clock.GetUtcNow());
    }

    private static string HashOf(JasperFx.Events.IEvent e) =>
        e.Headers is { } headers && headers.TryGetValue(EventSealTrigger.HashHeader, out var hash) ? hash?.ToString() ?? "" : "";
}
