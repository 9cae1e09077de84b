using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Live;

/// <summary>A commitment that was not at risk before a change of its account is at risk after it.</summary>
public sealed record CommitmentTurnedAtRisk(
    Guid AccountId, string AccountName, Guid CommitmentId, string Metric, string Reason, string Currency, decimal AtRiskValue, long Version);

public static class CommitmentTurnedAtRiskHandler
{
    /// <summary>Staff watching the portfolio and watchers of the account hear of it.</summary>
    public static Task Handle(CommitmentTurnedAtRisk turned, IHubContext<ValueHub> hub, CancellationToken cancellation) =>
        hub.Clients.Groups(ValueHub.PortfolioGroup, ValueHub.AccountGroup(turned.AccountId), ValueHub.CustomerAccountGroup(turned.AccountId))
            .SendAsync(LiveMessages.CommitmentAtRisk, turned, cancellation);
}

/// <summary>
/// Finds the commitments that turn at risk in one projection step of an account. Before the account projection
/// applies the first event of a step to an account object, it notes which commitments of that object are at risk
/// (<see cref="NoteBefore"/>); after the step, the side effects ask which ones are at risk now and were not then
/// (<see cref="TurnedAtRisk"/>), which also clears the note for the next step. Notes hang off the account objects
/// themselves (a weak table), so they go away with them.
/// </summary>
public static class AtRiskTransitions
{
    private static readonly ConditionalWeakTable<Account, HashSet<Guid>> AtRiskBefore = new();

    /// <summary>Notes what is at risk in this account object now, unless a step already noted it.</summary>
    public static void NoteBefore(Account? account, bool nothingAtRisk = false)
    {
        if (account is null || AtRiskBefore.TryGetValue(account, out _)) return;
        AtRiskBefore.AddOrUpdate(account, nothingAtRisk ? [] : AtRisk(account));
    }

    public static IEnumerable<CommitmentTurnedAtRisk> TurnedAtRisk(Account account)
    {
        if (!AtRiskBefore.TryGetValue(account, out var before)) return [];
        AtRiskBefore.Remove(account);
        var turned = new List<CommitmentTurnedAtRisk>();
        foreach (var (id, metric, reason, atRiskValue) in AtRiskNow(account).Where(c => !before.Contains(c.Id)))
            turned.Add(new CommitmentTurnedAtRisk(account.Id, account.Name, id, metric, reason, account.Currency, atRiskValue, account.Version));
        return turned;
    }

    private static HashSet<Guid> AtRisk(Account account) => AtRiskNow(account).Select(c => c.Id).ToHashSet();

    /// <summary>
    /// The commitments at risk in this state: read from the account's summary when it is of this very version (the
    /// projection evaluates it once per step), so a write does not value the whole history again; else evaluated.
    /// </summary>
    private static IEnumerable<(Guid Id, string Metric, string Reason, decimal AtRiskValue)> AtRiskNow(Account account) =>
        account.Summary is { } summary && summary.Version == account.Version && summary.Commitments.Count == account.Commitments.Count
            ? summary.Commitments.Where(c => c.Status == CommitmentStatus.AtRisk).Select(c => (c.Id, c.Metric, c.StatusReason, c.AtRiskValue))
            : account.Commitments.Select(c => (Commitment: c, Figures: CommitmentValuation.Evaluate(c)))
                .Where(x => x.Figures.Status == CommitmentStatus.AtRisk)
                .Select(x => (x.Commitment.Id, x.Commitment.Metric, x.Figures.StatusReason, x.Figures.AtRiskValue));
}
