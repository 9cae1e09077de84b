namespace ValueLedger.Domain;

/// <summary>
/// The gain-share exposure of an outcome contract (domain.md, More rules): the variable amount the current, unfinished
/// settlement period would pay if it ended on what is realized to date, under that period's terms (same bands, floor
/// and cap), with its range [floor, cap] (a missing bound is open), in the contract's currency.
/// </summary>
/// <remarks>
/// "To date" is as far as the commitment is measured: the period is the settlement period holding the latest final
/// measurement's end, and P and R are those of that period from its start to that day. A period already settled has
/// no exposure (its settlement is what it pays); nor has one in another currency than the account's until a
/// settlement has recorded a rate for the pair, which it is then converted at (the rate is named).
/// </remarks>
public sealed record GainShareExposure(
    DateOnly PeriodStart, DateOnly PeriodEnd, DateOnly MeasuredUntil, int ContractVersion, string Currency,
    decimal PromisedToDate, decimal RealizedToDate, decimal? PerformanceRatio, decimal VariableAmount, decimal? Floor, decimal? Cap,
    ExchangeRate? ConvertedAt)
{
    public static GainShareExposure? Of(Account account, Commitment commitment)
    {
        if (commitment.Contract is not { Versions.Count: > 0 } contract || commitment.Withdrawal is not null) return null;
        if (commitment.Latest is not { } latest) return null;
        var until = latest.PeriodEnd < commitment.PeriodEnd ? latest.PeriodEnd : commitment.PeriodEnd;
        var period = contract.Periods(commitment).FirstOrDefault(p => p.Start <= until && until <= p.End);
        if (period is null || contract.SettlementOf(period.Start, period.End) is not null) return null;

        var terms = contract.Version(period.ContractVersion).Terms;
        var conversion = 1m;
        ExchangeRate? rate = null;
        if (!string.Equals(terms.Currency, account.Currency, StringComparison.OrdinalIgnoreCase))
        {
            rate = contract.Settlements.SelectMany(s => s.Versions).OrderBy(v => v.Breakdown.PeriodEnd).ThenBy(v => v.Version)
                .Select(v => SettlementMath.RateFor(v.Breakdown.ExchangeRates, account.Currency, terms.Currency)).LastOrDefault(r => r is not null);
            if (rate is null) return null;
            conversion = rate.Rate;
        }
        var promised = ValueMath.PromisedValue(commitment, period.Start, until) * conversion;
        var realized = SettlementMath.Counted(commitment, period.Start, until).Sum(m => m.RealizedValue) * conversion;
        var share = SettlementMath.Share(terms, promised, realized);
        return new GainShareExposure(period.Start, period.End, until, period.ContractVersion, terms.Currency.ToUpperInvariant(),
            promised, realized, share.PerformanceRatio, share.VariableAmount, terms.Floor, terms.Cap, rate);
    }
}
