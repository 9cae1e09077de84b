namespace ValueLedger.Domain;

public sealed record OpenAccount(string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner);

public sealed record PrioritiseAccount(Level AbilityToPay, Level WillingnessToPay, string? Note);

/// <summary>New details of an account; a null field is left as it is.</summary>
public sealed record ChangeAccountDetails(string? Name, string? Industry, string? Segment, string? Owner);

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
        var events = new List<object>(ChangeDetails(account, new ChangeAccountDetails(command.Name, command.Industry, command.Segment, command.Owner), now).Events);
        if (!account.ExternalIds.TryGetValue(system, out var known) || known != externalId)
            events.Add(new AccountExternalIdLinked(account.Id, system, externalId, now));
        return Decision.Accept([.. events]);
    }

    /// <summary>The details given that differ from the account's are recorded (trimmed); nothing when none does.</summary>
    public static Decision ChangeDetails(Account account, ChangeAccountDetails change, DateTimeOffset now)
    {
        string? Changed(string current, string? sent) => sent is null || string.Equals(current, sent.Trim(), StringComparison.Ordinal) ? null : sent.Trim();
        var (name, industry, segment, owner) = (Changed(account.Name, change.Name), Changed(account.Industry, change.Industry),
            Changed(account.Segment, change.Segment), Changed(account.Owner, change.Owner));
        return name is null && industry is null && segment is null && owner is null
            ? Decision.Accept()
            : Decision.Accept(new AccountDetailsChanged(account.Id, name, industry, segment, owner, now));
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
