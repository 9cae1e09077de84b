using ValueLedger.Api.Features.Audit;
using ValueLedger.Api.Features.Audit.Checkpoints;

namespace ValueLedger.Api.Features.Verification;

/// <summary>
/// What the signer keeps to prove later, without trusting the operator, what was signed: the event the sign-off created
/// (account, version, global sequence, type and sealed hash), the latest signed checkpoint of the whole ledger and,
/// once that checkpoint covers the event, the RFC 9162 inclusion proof that leads from the event's seal to the
/// checkpoint's signed root. <c>ops/verify --receipt</c> checks it offline with the ledger's public key.
/// <see cref="AccountHead"/> is the account's hash-chain head when the receipt was issued.
/// </summary>
public sealed record Receipt(Guid AccountId, long Version, long Sequence, string EventType, string EventHash,
    SignedCheckpoint? Checkpoint, InclusionProof? InclusionProof, AccountHead AccountHead, DateTimeOffset IssuedAt);

/// <summary>The account's latest event when the receipt was issued and its sealed hash, which chains back to the signed event.</summary>
public sealed record AccountHead(long Version, string Hash);

/// <summary>Builds receipts: the one place that decides what a receipt holds.</summary>
public sealed class ReceiptBuilder(TimeProvider clock, ILogger<ReceiptBuilder> logger)
{
    /// <summary>
    /// The receipt of a sign-off just written: first a checkpoint is signed (only if the ledger moved since the last
    /// one), so that the receipt can carry the proof that the signed checkpoint includes the event. When another
    /// transaction still holds an earlier position open, the new checkpoint stops before it and the receipt carries
    /// the latest checkpoint without a proof; <c>GET …/receipts/{version}</c> gives the proof later.
    /// </summary>
    public async Task<Receipt?> IssueAsync(IMessageBus bus, IQuerySession session, Guid accountId, long version, CancellationToken cancellation)
    {
        try
        {
            await bus.InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(EvenIfUnchanged: false), cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Another signer took this tree size, or the database is away: the latest checkpoint serves.
            logger.LogInformation(e, "No checkpoint signed for the receipt of account {AccountId} version {Version}", accountId, version);
        }
        return await ForAsync(session, accountId, version, cancellation);
    }

    /// <summary>The receipt of the event at <paramref name="version"/> of the account, as the ledger stands now; null when there is no such event.</summary>
    public async Task<Receipt?> ForAsync(IQuerySession session, Guid accountId, long version, CancellationToken cancellation)
    {
        var signed = (await session.Events.FetchStreamAsync(accountId, version: version, fromVersion: version, token: cancellation)).SingleOrDefault();
        if (signed is null || signed.Version != version) return null;
        var state = await session.Events.FetchStreamStateAsync(accountId, cancellation);
        var head = state is null || state.Version == version
            ? signed
            : (await session.Events.FetchStreamAsync(accountId, version: state.Version, fromVersion: state.Version, token: cancellation)).Single();

        var checkpoint = await LedgerCheckpoints.LatestStoredAsync(session, cancellation);
        var proof = checkpoint is null ? null : await LedgerCheckpoints.InclusionProofAsync(session, signed.Sequence, checkpoint.TreeSize, cancellation);
        return new Receipt(accountId, version, signed.Sequence, signed.EventTypeName, HashOf(signed), checkpoint?.ToSigned(), proof,
            new AccountHead(head.Version, HashOf(head)), clock.GetUtcNow());
    }

    private static string HashOf(IEvent e) =>
        e.Headers is { } headers && headers.TryGetValue(EventSealTrigger.HashHeader, out var hash) ? hash?.ToString() ?? "" : "";
}
