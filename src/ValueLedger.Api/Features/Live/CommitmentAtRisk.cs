using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Notifications;
using ValueLedger.Api.Features.Webhooks;
using Microsoft.AspNetCore.SignalR;

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

/// <summary>A commitment whose period ended without its target, found after the change that recorded the miss.</summary>
public sealed record CommitmentMissed(
    Guid AccountId, string AccountName, Guid CommitmentId, string Metric, string Reason, string Currency, decimal MissedValue, long Version);

public static class CommitmentMissedHandler
{
    /// <summary>Staff watching the portfolio and watchers of the account hear of it.</summary>
    public static Task Handle(CommitmentMissed missed, IHubContext<ValueHub> hub, CancellationToken cancellation) =>
        hub.Clients.Groups(ValueHub.PortfolioGroup, ValueHub.AccountGroup(missed.AccountId), ValueHub.CustomerAccountGroup(missed.AccountId))
            .SendAsync(LiveMessages.CommitmentMissed, missed, cancellation);
}

/// <summary>Published by the account projection with each committed step of an account (its first and last version).</summary>
public sealed record AccountStepped(Guid AccountId, long FromVersion, long Version);

/// <summary>The commitments of an account that were at risk when the watch last compared, and at which version.</summary>
public sealed class AtRiskWatch
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public List<Guid> AtRisk { get; set; } = [];
    /// <summary>The commitments achieved then; null in watches kept before achievements were announced.</summary>
    public List<Guid>? Achieved { get; set; }
    /// <summary>The commitments missed then; null in watches kept before missed targets were mailed.</summary>
    public List<Guid>? Missed { get; set; }
}

/// <summary>
/// Finds the commitments that turned at risk, after the change is committed: compares the account's committed
/// summary with the set the watch kept (a small document per account, optimistic concurrency, so two nodes racing
/// on one account compare once each and never announce twice) and cascades <see cref="CommitmentTurnedAtRisk"/> for
/// each commitment at risk now and not then. Steps that arrive late find a newer state already compared and do
/// nothing. An account watched for the first time after its first step starts the watch without announcing
/// what was already at risk before (an upgrade never floods the dashboards). A commitment newly missed is announced as
/// <see cref="CommitmentMissed"/> (never as at risk) and mailed to its owner. Commitments that turned at risk or
/// achieved are also announced to webhook subscribers (<see cref="CommitmentStatusChanged"/>).
/// </summary>
public static class AtRiskWatchHandler
{
    public static async Task<OutgoingMessages> Handle(AccountStepped stepped, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        var summary = await session.Query<Account>().Where(a => a.Id == stepped.AccountId).Select(a => a.Summary).FirstOrDefaultAsync(cancellation);
        if (summary is null) return messages;
        var watch = await session.LoadAsync<AtRiskWatch>(stepped.AccountId, cancellation);
        if (watch is not null && watch.Version >= summary.Version) return messages;

        var now = summary.Commitments.Where(c => c.Status == CommitmentStatus.AtRisk).ToList();
        var before = watch?.AtRisk.ToHashSet() ?? (stepped.FromVersion > 1 ? now.Select(c => c.Id).ToHashSet() : []);
        foreach (var c in now.Where(c => !before.Contains(c.Id)))
        {
            messages.Add(new CommitmentTurnedAtRisk(summary.Id, summary.Name, c.Id, c.Metric, c.StatusReason, summary.Currency, c.AtRiskValue, summary.Version));
            messages.Add(new CommitmentStatusChanged(summary.Id, c.Id, WebhookEventTypes.CommitmentAtRisk, c.Metric, c.StatusReason, summary.Version, clock.GetUtcNow()));
            messages.Add(new OwnerAlert(summary.Id, summary.Name, summary.Owner, c.Id, c.Metric, c.StatusReason, MailKind.AtRisk, summary.Currency, c.AtRiskValue, summary.Version));
            Record(session, summary, c, clock);
        }
        var achieved = summary.Commitments.Where(c => c.Status == CommitmentStatus.Achieved).ToList();
        foreach (var c in achieved.Where(c => !Before(watch?.Achieved, achieved).Contains(c.Id)))
        {
            messages.Add(new CommitmentStatusChanged(summary.Id, c.Id, WebhookEventTypes.CommitmentAchieved, c.Metric, c.StatusReason, summary.Version, clock.GetUtcNow()));
            Record(session, summary, c, clock);
        }
        var missed = summary.Commitments.Where(c => c.Status == CommitmentStatus.Missed).ToList();
        foreach (var c in missed.Where(c => !Before(watch?.Missed, missed).Contains(c.Id)))
        {
            messages.Add(new CommitmentMissed(summary.Id, summary.Name, c.Id, c.Metric, c.StatusReason, summary.Currency, c.AtRiskValue, summary.Version));
            messages.Add(new OwnerAlert(summary.Id, summary.Name, summary.Owner, c.Id, c.Metric, c.StatusReason, MailKind.Missed, summary.Currency, c.AtRiskValue, summary.Version));
            Record(session, summary, c, clock);
        }
        watch ??= new AtRiskWatch { Id = stepped.AccountId };
        watch.Version = summary.Version;
        watch.AtRisk = now.Select(c => c.Id).ToList();
        watch.Achieved = achieved.Select(c => c.Id).ToList();
        watch.Missed = missed.Select(c => c.Id).ToList();
        session.Store(watch);
        return messages;

        // A list the watch did not keep yet (an older watch, or the first look after the first step) counts as
        // "already so": an upgrade announces nothing that happened before it.
        HashSet<Guid> Before(List<Guid>? kept, List<CommitmentLine> current) =>
            kept?.ToHashSet() ?? (watch is not null || stepped.FromVersion > 1 ? current.Select(c => c.Id).ToHashSet() : []);
    }

    /// <summary>Kept for the weekly digest, in the same transaction as the watch.</summary>
    private static void Record(IDocumentSession session, AccountSummary summary, CommitmentLine c, TimeProvider clock) =>
        session.Store(new CommitmentStatusRecord
        {
            Id = $"{c.Id}/{c.Status}/{summary.Version}", AccountId = summary.Id, AccountName = summary.Name, CommitmentId = c.Id,
            Metric = c.Metric, Status = c.Status, Reason = c.StatusReason, At = clock.GetUtcNow()
        });
}
