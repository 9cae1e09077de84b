using JasperFx.Events;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Measurements;

/// <summary>Scheduled for the moment a commitment's next measurement falls due (a Wolverine scheduled message).</summary>
public sealed record CheckFreshness(Guid AccountId, Guid CommitmentId) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:freshness";
}

public static class CheckFreshnessHandler
{
    public static Written Handle(CheckFreshness check, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(null, account => Freshness.Check(account, check.CommitmentId, clock.GetUtcNow()));
}
