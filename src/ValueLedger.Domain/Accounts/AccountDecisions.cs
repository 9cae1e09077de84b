namespace ValueLedger.Domain;

public sealed record OpenAccount(string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner);

public sealed record PrioritiseAccount(Level AbilityToPay, Level WillingnessToPay, string? Note);

public static class AccountDecisions
{
    public static AccountOpened Open(Guid accountId, OpenAccount command, DateTimeOffset now) =>
        new(accountId, command.Name.Trim(), command.Industry.Trim(), command.Segment.Trim(),
            command.Currency.ToUpperInvariant(), command.Approach, command.Owner.Trim(), now);

    public static AccountPrioritised Prioritise(Account account, PrioritiseAccount command, DateTimeOffset now) =>
        new(account.Id, command.AbilityToPay, command.WillingnessToPay,
            TierFor(command.AbilityToPay, command.WillingnessToPay), command.Note, now);

    /// <summary>
    /// Both high: a partner for value-based selling. One high and the other at least medium: a prospect worth
    /// investing in. Both medium, or one high with the other low: selective value selling. Otherwise the account
    /// buys on price and value selling is not worth its cost.
    /// </summary>
    public static PriorityTier TierFor(Level ability, Level willingness) => ((int)ability + (int)willingness) switch
    {
        4 => PriorityTier.ValuePartner,
        3 => PriorityTier.ValueProspect,
        2 => PriorityTier.Selective,
        _ => PriorityTier.PriceBuyer
    };
}
