using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using ValueLedger.Api.Features.Live;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Accounts;

/// <summary>
/// Keeps the account's state as an inline snapshot (so writes and reads never replay the whole stream) using the
/// domain's own fold, and tells live watchers once the new state is committed.
/// </summary>
public sealed class AccountProjection : SingleStreamProjection<Account, Guid>
{
    public override Account? Evolve(Account? snapshot, Guid id, IEvent e)
    {
        AtRiskTransitions.NoteBefore(snapshot);
        var account = Account.Evolve(snapshot, e.Data);
        if (snapshot is null) AtRiskTransitions.NoteBefore(account, nothingAtRisk: true);
        account.Version = e.Version;
        return account;
    }

    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<Account> slice)
    {
        if (slice.Snapshot is { } account)
        {
            slice.PublishMessage(new AccountChanged(account.Id, account.Version));
            foreach (var turned in AtRiskTransitions.TurnedAtRisk(account)) slice.PublishMessage(turned);
        }
        return ValueTask.CompletedTask;
    }
}
