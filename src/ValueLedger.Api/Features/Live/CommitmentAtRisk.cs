using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Live;

/// <summary>
/// Published by the account projection when a commitment turns at risk or missed, whatever the cause (stale or
/// disputed data, behind the path, a missed responsibility, a period ended without its target).
/// </summary>
public sealed record CommitmentAtRisk(Guid AccountId, Guid CommitmentId, string Metric, CommitmentStatus Status, string Reason);

public static class CommitmentAtRiskHandler
{
    public static Task Handle(CommitmentAtRisk atRisk, IHubContext<ValueHub> hub, CancellationToken cancellation) =>
        hub.Clients.Group(ValueHub.AccountGroup(atRisk.AccountId)).SendAsync(LiveMessages.CommitmentAtRisk, atRisk, cancellation);
}

/// <summary>
/// Tells which commitments turned at risk (or missed) in one slice of events. The projection folds a slice event by
/// event into one account instance; the statuses are taken from that instance before its first event and compared
/// with the statuses after the last, so a commitment that stays at risk is not announced again. Kept beside the
/// instance in a weak table: nothing is added to the stored snapshot, and an instance that is never projected
/// (a time-travel read) takes its entry with it.
/// </summary>
public static class AtRiskWatch
{
    private static readonly ConditionalWeakTable<Account, Dictionary<Guid, CommitmentStatus>> StatusesBefore = new();

    /// <summary>Called before each event is folded; only the first call for an instance takes the statuses.</summary>
    public static void BeforeEvolve(Account? snapshot)
    {
        if (snapshot is not null && !StatusesBefore.TryGetValue(snapshot, out _))
            StatusesBefore.AddOrUpdate(snapshot, StatusesOf(snapshot));
    }

    /// <summary>Called once the slice is folded: the commitments whose status turned at risk or missed.</summary>
    public static IEnumerable<CommitmentAtRisk> TurnedAtRisk(Account account)
    {
        var before = StatusesBefore.TryGetValue(account, out var statuses) ? statuses : [];
        StatusesBefore.Remove(account);
        foreach (var commitment in account.Commitments)
        {
            var figures = CommitmentValuation.Evaluate(commitment);
            if (figures.Status is not (CommitmentStatus.AtRisk or CommitmentStatus.Missed)) continue;
            if (before.TryGetValue(commitment.Id, out var earlier) && earlier == figures.Status) continue;
            yield return new CommitmentAtRisk(account.Id, commitment.Id, commitment.Metric, figures.Status, figures.StatusReason);
        }
    }

    private static Dictionary<Guid, CommitmentStatus> StatusesOf(Account account) =>
        account.Commitments.ToDictionary(c => c.Id, c => CommitmentValuation.Evaluate(c).Status);
}
