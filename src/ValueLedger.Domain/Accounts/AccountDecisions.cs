namespace ValueLedger.Domain;

public sealed record OpenAccount(string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner);

public sealed record PrioritiseAccount(Level AbilityToPay, Level WillingnessToPay, string? Note);

public static class AccountDecisions
{
    public static AccountOpened Open(Guid accountId, OpenAccount command, DateTimeOffset now) =>
        new(accountId, command.Name.Trim(), command.Industry.Trim(), command.Segment.Trim(),
            command.Currency.ToUpperInvariant(), command.Approach, command.Owner.Trim(), now);

    /// <summary>A new account that a system of record knows by <paramref name="externalId"/>.</summary>
    public static Decision OpenFromSystemOfRecord(Guid accountId, OpenAccount command, string system, string externalId, DateTimeOffset now) =>
        Decision.Accept(Open(accountId, command, now), new AccountExternalIdLinked(accountId, system, externalId, now));

    /// <summary>
    /// The system of record sent the account again: the details that differ change (nothing when none does); its
    /// currency and approach do not, since every figure of the account is in that currency and follows that approach.
    /// </summary>
    public static Decision UpdateFromSystemOfRecord(Account account, OpenAccount command, string system, string externalId, DateTimeOffset now)
    {
        if (!string.Equals(account.Currency, command.Currency.Trim(), StringComparison.OrdinalIgnoreCase))
            return Decision.Unprocessable("Currency cannot change",
                $"The account's figures are in {account.Currency}; it cannot become {command.Currency.ToUpperInvariant()}. Open a new account for the other currency.");
        if (account.Approach != command.Approach)
            return Decision.Unprocessable("Approach cannot change",
                $"The account is {account.Approach}; its commitments were made under that approach. Set an approach per commitment instead.");
        string? Changed(string now, string sent) => string.Equals(now, sent.Trim(), StringComparison.Ordinal) ? null : sent.Trim();
        var events = new List<object>();
        var (name, industry, segment, owner) = (Changed(account.Name, command.Name), Changed(account.Industry, command.Industry),
            Changed(account.Segment, command.Segment), Changed(account.Owner, command.Owner));
        if (name is not null || industry is not null || segment is not null || owner is not null)
            events.Add(new AccountDetailsChanged(account.Id, name, industry, segment, owner, now));
        if (!account.ExternalIds.TryGetValue(system, out var known) || known != externalId)
            events.Add(new AccountExternalIdLinked(account.Id, system, externalId, now));
        return Decision.Accept([.. events]);
    }

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
