namespace ValueLedger.Domain;

/// <summary>
/// Every step of a settlement, as calculated: the promised and realized value in the account's currency, the rate that
/// converted them to the contract's currency, P, R, p, each band's part, the bounds, the fee, what makes it provisional
/// and which missed customer responsibilities excuse a result below target.
/// </summary>
public sealed record SettlementBreakdown(
    DateOnly PeriodStart, DateOnly PeriodEnd, int ContractVersion, string Currency, ShareModel Model, decimal? Rate,
    string AccountCurrency, decimal PromisedValueInAccountCurrency, decimal RealizedValueInAccountCurrency,
    IReadOnlyList<ExchangeRate> ExchangeRates, decimal PromisedValue, decimal RealizedValue, decimal? PerformanceRatio,
    IReadOnlyList<BandAmount> Bands, decimal UnboundedVariableAmount, decimal? Floor, decimal? Cap, BoundBy? BoundBy,
    decimal VariableAmount, decimal FeeBase, decimal Fee, bool Provisional, IReadOnlyList<Guid> ProvisionalBecause,
    IReadOnlyList<DateSpan> UnmeasuredPeriods, IReadOnlyList<CountedMeasurement> Measurements, IReadOnlyList<MissedDuty> ExcusedBy,
    IReadOnlyList<string> Explanation)
{
    /// <summary>
    /// Works out the settlement of a period under one version of the terms. Amounts of the commitment are in the
    /// account's currency; when the contract is in another one, P and R are converted first with the supplied rate
    /// (1 account currency = rate contract currency), which is recorded with its source.
    /// </summary>
    public static Result Of(Account account, Commitment commitment, SettlementPeriod period, ContractVersion version,
        IReadOnlyList<ExchangeRate> suppliedRates)
    {
        var terms = version.Terms;
        var (from, to) = (period.Start, period.End);
        var promisedHere = ValueMath.PromisedValue(commitment, from, to);
        var counted = SettlementMath.Counted(commitment, from, to);
        var realizedHere = counted.Sum(m => m.RealizedValue);
        var explanation = new List<string>
        {
            $"P = promised value of {from:O}..{to:O} ({SettlementMath.Amount(CadenceCalendar.Weight(from, to, commitment.Cadence))} {commitment.Cadence.ToString().ToLowerInvariant()} period(s) of promised improvement × unit value) = {SettlementMath.Amount(promisedHere)} {account.Currency}.",
            $"R = realized value of {counted.Count} measurement(s) in the period = {SettlementMath.Amount(realizedHere)} {account.Currency}."
        };

        var conversion = 1m;
        IReadOnlyList<ExchangeRate> used = [];
        if (!string.Equals(terms.Currency, account.Currency, StringComparison.OrdinalIgnoreCase))
        {
            if (SettlementMath.RateFor(suppliedRates, account.Currency, terms.Currency) is not { } rate)
                return new Result(null, new Rejection(RejectionKind.Unprocessable, "Exchange rate needed",
                    $"The commitment's values are in {account.Currency} and the contract is in {terms.Currency}: send exchangeRates with " +
                    $"{{\"from\": \"{account.Currency}\", \"to\": \"{terms.Currency}\", \"rate\": …, \"source\": …}} (1 {account.Currency} = rate {terms.Currency})."));
            conversion = rate.Rate;
            used = [rate with { From = rate.From.ToUpperInvariant(), To = rate.To.ToUpperInvariant() }];
            explanation.Add($"Converted at 1 {account.Currency} = {SettlementMath.Amount(rate.Rate)} {terms.Currency} ({rate.Source}" +
                            (rate.AsOf is { } asOf ? $", {asOf:O}" : "") + ").");
        }
        var promised = promisedHere * conversion;
        var realized = realizedHere * conversion;
        var share = SettlementMath.Share(terms, promised, realized);
        explanation.AddRange(Steps(terms, promised, realized, share));

        var unmeasured = SettlementMath.Unmeasured(commitment, from, to);
        var unverified = counted.Where(m => m.Verification != VerificationState.Confirmed).Select(m => m.MeasurementId).Distinct().ToList();
        if (unverified.Count > 0)
            explanation.Add($"Provisional: {unverified.Count} measurement(s) not confirmed by the customer or disputed.");
        if (unmeasured.Count > 0)
            explanation.Add($"Provisional: no measurement covers {string.Join(", ", unmeasured.Select(g => $"{g.Start:O}..{g.End:O}"))}.");

        var belowTarget = share.PerformanceRatio is < 1m;
        var excusedBy = belowTarget
            ? commitment.Accountability.Misses.Where(m => m.Party == Party.Customer && m.PeriodStart <= to && from <= m.PeriodEnd).ToList()
            : [];
        if (excusedBy.Count > 0)
            explanation.Add($"Below target while the customer missed {excusedBy.Count} of its responsibilities in the period: " +
                            string.Join("; ", excusedBy.Select(m => $"'{m.Description}' due {m.DueAt:O}")) + ".");

        return new Result(new SettlementBreakdown(
            from, to, version.Version, terms.Currency, terms.Model, terms.Rate, account.Currency, promisedHere, realizedHere, used,
            promised, realized, share.PerformanceRatio, share.Bands, share.UnboundedVariableAmount, terms.Floor, terms.Cap,
            share.BoundBy, share.VariableAmount, terms.FeeBase, share.Fee, unverified.Count > 0 || unmeasured.Count > 0, unverified,
            unmeasured, counted, excusedBy, explanation), null);
    }

    private static IEnumerable<string> Steps(ContractTerms terms, decimal promised, decimal realized, ShareOutcome share)
    {
        var currency = terms.Currency;
        string A(decimal value) => SettlementMath.Amount(value);
        yield return share.PerformanceRatio is { } p
            ? $"p = R / P = {A(realized)} / {A(promised)} = {A(p)}."
            : "P is zero: there is no performance ratio p.";
        if (terms.Model == ShareModel.SharedSavings)
        {
            yield return $"sharedSavings: V = rate × max(0, R) = {A(terms.Rate!.Value)} × {A(Math.Max(0, realized))} = {A(share.UnboundedVariableAmount)} {currency}.";
        }
        else
        {
            if (share.PerformanceRatio is null) yield return "banded: without a ratio no band applies; V = 0 before the bounds.";
            foreach (var band in share.Bands.Where(b => b.Width != 0))
                yield return $"Band [{(band.From is { } f ? A(f) : "−∞")}, {(band.To is { } t ? A(t) : "∞")}) at {A(band.Rate)}: " +
                             $"{(band.Amount < 0 ? "−" : "")}{A(band.Rate)} × {A(promised)} × {A(band.Width)} = {A(band.Amount)} {currency}.";
            yield return $"banded: V before the bounds = {A(share.UnboundedVariableAmount)} {currency}.";
        }
        if (share.BoundBy == Domain.BoundBy.Cap) yield return $"The cap binds: V = {A(share.VariableAmount)} {currency}.";
        if (share.BoundBy == Domain.BoundBy.Floor) yield return $"The floor binds: V = {A(share.VariableAmount)} {currency}.";
        yield return $"Fee = fee base {A(terms.FeeBase)} + V {A(share.VariableAmount)} = {A(share.Fee)} {currency}.";
    }

    public sealed record Result(SettlementBreakdown? Breakdown, Rejection? Rejection);
}
