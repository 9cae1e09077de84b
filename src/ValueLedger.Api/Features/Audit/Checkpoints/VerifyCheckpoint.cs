using Microsoft.AspNetCore.Mvc;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>The first place where the ledger no longer holds what a checkpoint covered.</summary>
public sealed record TreeDifference(long LeafIndex, long? Sequence, Guid? AccountId, long? Version, string Reason, string Detail);

/// <summary>
/// The ledger checked against a checkpoint kept from earlier: is the signature good, does the ledger still reproduce the
/// checkpoint's root, and if not, which event differs; with the chain and snapshot verification of the whole ledger.
/// </summary>
public sealed record CheckpointVerification(
    bool Verified, bool SignatureValid, string? SignatureProblem, long TreeSize, string RootHash, string LedgerRootHash,
    bool LedgerMatches, bool RecordedLeavesMatch, TreeDifference? FirstDifference, IReadOnlyList<BrokenStream> BrokenStreams,
    IReadOnlyList<SnapshotDifference> SnapshotDifferences);

/// <summary>A checkpoint sent back for checking, exactly as <c>GET /api/audit/checkpoints/latest</c> answered it.</summary>
public sealed record CheckpointToVerify(string Scheme, long TreeSize, string RootHash, DateTimeOffset Timestamp, string KeyId, string Signature)
{
    public SignedCheckpoint ToSigned() => new(Scheme, TreeSize, RootHash, Timestamp, KeyId, Signature);
}

public sealed class CheckpointToVerifyValidator : AbstractValidator<CheckpointToVerify>
{
    public CheckpointToVerifyValidator()
    {
        RuleFor(c => c.Scheme).Equal(Checkpoint.Scheme);
        RuleFor(c => c.TreeSize).GreaterThanOrEqualTo(0);
        RuleFor(c => c.RootHash).NotEmpty().Must(EventSeal.IsHash).WithMessage("Use the 64 lowercase hex digits of the checkpoint's rootHash.");
        RuleFor(c => c.KeyId).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Signature).NotEmpty().MaximumLength(200);
    }
}

public static class VerifyCheckpointEndpoint
{
    /// <summary>
    /// Checks the ledger against a checkpoint (as <c>GET /api/audit/checkpoints/latest</c> gave it): the signature, the
    /// ledger's root over the first <c>treeSize</c> sealed events now, and where they differ the first event that does
    /// (<c>changed</c>: resealed or rewritten, <c>missing</c>: deleted, <c>inserted</c>: slipped in); also every chain
    /// and every snapshot. 400 for a malformed checkpoint.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverinePost("/api/audit/checkpoints/verification", Name = "VerifyAgainstCheckpoint")]
    [ProducesResponseType(typeof(CheckpointVerification), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<CheckpointVerification> Post(CheckpointToVerify request, IQuerySession session, CheckpointKey key, CancellationToken ct)
    {
        var checkpoint = request.ToSigned();
        var signatureProblem = CheckpointSignatures.SignatureProblem(checkpoint, key);

        var recorded = await session.Query<LedgerLeaf>().Where(l => l.Index < checkpoint.TreeSize).OrderBy(l => l.Index).ToListAsync(ct);
        var recordedRoot = recorded.Count == checkpoint.TreeSize
            ? LedgerCheckpoints.Hex(LedgerTree.Root(recorded.Select(l => LedgerTree.LeafOfSeal(l.Seal)).ToList())) : null;

        var current = new List<byte[]>();
        TreeDifference? difference = null;
        var index = 0;
        await foreach (var row in LedgerLeaves.ReadEvents(session, 0, long.MaxValue, ct))
        {
            if (current.Count < checkpoint.TreeSize) current.Add(LedgerTree.LeafOfSeal(row.Seal));
            if (difference is null && index < recorded.Count)
            {
                var leaf = recorded[index];
                if (row.Sequence > leaf.Id)
                    difference = new TreeDifference(index, leaf.Id, leaf.StreamId, leaf.Version, "missing",
                        $"Event {leaf.Id} (account {leaf.StreamId}, version {leaf.Version}) was in the checkpoint and is no longer in the ledger.");
                else if (row.Sequence < leaf.Id)
                    difference = new TreeDifference(index, row.Sequence, row.StreamId, row.Version, "inserted",
                        $"Event {row.Sequence} (account {row.StreamId}, version {row.Version}) is not one the checkpoint covered at this place.");
                else if (row.Seal != leaf.Seal || row.StreamId != leaf.StreamId || row.Version != leaf.Version)
                    difference = new TreeDifference(index, row.Sequence, row.StreamId, row.Version, "changed",
                        $"Event {row.Sequence} (account {row.StreamId}, version {row.Version}) is not the event the checkpoint covered: it was rewritten or sealed again.");
            }
            index++;
            if (current.Count >= checkpoint.TreeSize && (difference is not null || index >= recorded.Count)) break;
        }
        if (difference is null && index < Math.Min(recorded.Count, checkpoint.TreeSize))
        {
            var leaf = recorded[index];
            difference = new TreeDifference(index, leaf.Id, leaf.StreamId, leaf.Version, "missing",
                $"Event {leaf.Id} (account {leaf.StreamId}, version {leaf.Version}) was in the checkpoint and is no longer in the ledger.");
        }

        var ledgerRoot = current.Count == checkpoint.TreeSize ? LedgerCheckpoints.Hex(LedgerTree.Root(current)) : "";
        var ledgerMatches = ledgerRoot == checkpoint.RootHash;
        var recordedMatch = recordedRoot == checkpoint.RootHash;
        if (!recordedMatch)
            difference = new TreeDifference(0, null, null, null, "leavesRewritten",
                "The leaves the ledger recorded for this checkpoint do not give its root: the record itself was rewritten, so the first changed event cannot be named from inside the database; compare an export with ops/verify.");
        else if (ledgerMatches) difference = null;

        var broken = new List<BrokenStream>();
        await foreach (var check in LedgerReader.VerifyAsync(LedgerReader.ReadStreams(session, null, ct), ct))
            if (check.Verdict.Break is { } b) broken.Add(new BrokenStream(check.Verdict.StreamId, b.Version, b.Reason, b.Sequence, b.Detail));
        var (_, snapshots) = await SnapshotCheck.CompareAsync(session, null, ct);

        return new CheckpointVerification(
            signatureProblem is null && ledgerMatches && broken.Count == 0 && snapshots.Count == 0,
            signatureProblem is null, signatureProblem, checkpoint.TreeSize, checkpoint.RootHash, ledgerRoot, ledgerMatches, recordedMatch,
            difference, broken, snapshots);
    }

}

/// <summary>Why a checkpoint's signature does not hold under the ledger's published keys, or null when it does.</summary>
public static class CheckpointSignatures
{
    public static string? SignatureProblem(SignedCheckpoint checkpoint, CheckpointKey key)
    {
        var published = key.Published.FirstOrDefault(k => k.KeyId == checkpoint.KeyId);
        if (published is null) return $"Key {checkpoint.KeyId} is not one of the ledger's published keys.";
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return "The signature is not base64.";
        }
        if (!CheckpointKey.Verify(Convert.FromBase64String(published.PublicKey), checkpoint.Statement.CanonicalText(), signature))
            return "The signature does not match the checkpoint's canonical text under its key.";
        if (published.ValidUntil is { } until && checkpoint.Timestamp > until)
            return $"Key {checkpoint.KeyId} was retired at {until:O}, before this checkpoint's time.";
        return null;
    }
}
