namespace ValueLedger.Domain;

/// <summary>Agree or change a commitment's contract terms; <see cref="EffectiveFrom"/> is optional (see the decision).</summary>
public sealed record AgreeContract(ContractTerms Terms, DateOnly? EffectiveFrom, string? Reason);

public static class ContractDecisions
{
    /// <summary>
    /// The first terms govern from the commitment's start (or the given start of a settlement period). A change needs a
    /// reason and takes effect at the start of a settlement period of both the old and the new terms, after every
    /// period already settled; by default at the first such start after the current settlement period. Earlier terms
    /// keep governing the periods before it. Sending the current terms again changes nothing.
    /// </summary>
    public static Decision Agree(Account account, Guid commitmentId, AgreeContract command, string by, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.IsWithdrawn) return CommitmentDecisions.Withdrawn(commitment);
        if (commitment.Approach != Approach.OutcomeCentric)
            return Decision.Unprocessable("Not an outcome-centric commitment",
                $"Contract terms tie the fee to the result, which only outcome-centric commitments promise; this one is {Camel(commitment.Approach)}.");
        var terms = command.Terms with { Currency = command.Terms.Currency.ToUpperInvariant() };
        if (terms.Problem() is { } problem) return Decision.Unprocessable("Unusable contract terms", problem);

        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        if (commitment.Contract is not { Versions.Count: > 0 } contract)
        {
            var start = command.EffectiveFrom ?? commitment.PeriodStart;
            if (Outside(commitment, start) is { } outside) return outside;
            if (!IsBoundary(commitment, start, terms.SettlementPeriod))
                return NotABoundary(start, terms.SettlementPeriod);
            return Decision.Accept(new ContractTermsAgreed(commitmentId, 1, start, terms, reason, by, now));
        }

        var current = contract.Current;
        if (terms.SameAs(current.Terms) && (command.EffectiveFrom is null || command.EffectiveFrom == current.EffectiveFrom))
            return Decision.Accept();
        if (reason is null)
            return Decision.Unprocessable("A change needs a reason",
                $"Version {current.Version} of the terms is in force since {current.EffectiveFrom:O}; say why they change (reason).");

        var effectiveFrom = command.EffectiveFrom ?? DefaultChangeDate(commitment, contract, terms, now);
        if (effectiveFrom is not { } from)
            return Decision.Unprocessable("No settlement period left to change",
                $"No settlement period of the commitment (until {commitment.PeriodEnd:O}) starts after the current one under both the old and the new settlement period.");
        if (Outside(commitment, from) is { } notInPeriod) return notInPeriod;
        if (from < current.EffectiveFrom)
            return Decision.Unprocessable("Change before the current terms",
                $"Version {current.Version} took effect on {current.EffectiveFrom:O}; a change cannot take effect before it.");
        if (contract.LastSettledDay is { } settled && from <= settled)
            return Decision.Unprocessable("Period already settled",
                $"Periods until {settled:O} are settled under the terms in force then; a change can take effect from {settled.AddDays(1):O} on.");
        if (!IsBoundary(commitment, from, current.Terms.SettlementPeriod)) return NotABoundary(from, current.Terms.SettlementPeriod);
        if (!IsBoundary(commitment, from, terms.SettlementPeriod)) return NotABoundary(from, terms.SettlementPeriod);

        return Decision.Accept(new ContractTermsAgreed(commitmentId, current.Version + 1, from, terms, reason, by, now));
    }

    /// <summary>The first start of a settlement period, under the old and the new terms, after the current period and every settled one.</summary>
    public static DateOnly? DefaultChangeDate(Commitment commitment, OutcomeContract contract, ContractTerms terms, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var candidate = today < commitment.PeriodStart
            ? commitment.PeriodStart
            : CadenceCalendar.EndOfPeriod(today, contract.Current.Terms.SettlementPeriod).AddDays(1);
        if (candidate < contract.Current.EffectiveFrom) candidate = contract.Current.EffectiveFrom;
        if (contract.LastSettledDay is { } settled && candidate <= settled) candidate = settled.AddDays(1);
        while (candidate <= commitment.PeriodEnd)
        {
            if (IsBoundary(commitment, candidate, contract.Current.Terms.SettlementPeriod) && IsBoundary(commitment, candidate, terms.SettlementPeriod))
                return candidate;
            candidate = CadenceCalendar.NextStart(CadenceCalendar.StartOfPeriod(candidate, Cadence.Monthly), Cadence.Monthly);
        }
        return null;
    }

    /// <summary>Settlement periods start on calendar months, quarters or years, except the first, which starts with the commitment.</summary>
    public static bool IsBoundary(Commitment commitment, DateOnly day, Cadence settlementPeriod) =>
        day == commitment.PeriodStart || CadenceCalendar.StartOfPeriod(day, settlementPeriod) == day;

    private static Decision? Outside(Commitment commitment, DateOnly day) =>
        day < commitment.PeriodStart || day > commitment.PeriodEnd
            ? Decision.Unprocessable("Terms outside the commitment's period",
                $"effectiveFrom {day:O} must fall within {commitment.PeriodStart:O}..{commitment.PeriodEnd:O}.")
            : null;

    private static Decision NotABoundary(DateOnly day, Cadence settlementPeriod) =>
        Decision.Unprocessable("Not the start of a settlement period",
            $"{day:O} does not start a {Camel(settlementPeriod)} settlement period; terms change only between settlement periods " +
            $"(the next one starts on {CadenceCalendar.NextStart(CadenceCalendar.StartOfPeriod(day, settlementPeriod), settlementPeriod):O}).");

    internal static string Camel<T>(T value) where T : Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}
