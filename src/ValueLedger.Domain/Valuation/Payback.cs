namespace ValueLedger.Domain;

/// <summary>
/// Payback, a time to value (domain.md): the first date on which cumulative realized value reaches the investment,
/// where one is known. The investment is the business case's, given with the commitment; otherwise, for an outcome
/// contract in the account's currency, the fees of the periods settled by that date (what the customer has paid).
/// The date is a measured period's end, as for the other times to value.
/// </summary>
public static class Payback
{
    public static (DateOnly? On, decimal? Investment, string? Source) Of(Commitment commitment, IReadOnlyList<MeasurementFigures> inPeriodOrder)
    {
        var cumulative = 0m;
        if (commitment.Investment is { } investment)
        {
            foreach (var m in inPeriodOrder)
            {
                cumulative += m.RealizedValue;
                if (cumulative >= investment.Amount) return (m.PeriodEnd, investment.Amount, $"business case: {investment.Source}");
            }
            return (null, investment.Amount, $"business case: {investment.Source}");
        }

        var fees = commitment.Contract?.Settlements.Select(s => s.Latest.Breakdown)
            .Where(b => string.Equals(b.Currency, b.AccountCurrency, StringComparison.OrdinalIgnoreCase))
            .OrderBy(b => b.PeriodEnd).ToList();
        if (fees is not { Count: > 0 }) return (null, null, null);
        decimal FeesBy(DateOnly day) => fees.Where(b => b.PeriodEnd <= day).Sum(b => b.Fee);
        foreach (var m in inPeriodOrder)
        {
            cumulative += m.RealizedValue;
            var paid = FeesBy(m.PeriodEnd);
            if (paid > 0 && cumulative >= paid) return (m.PeriodEnd, paid, "contract fees settled to date");
        }
        return (null, fees.Sum(b => b.Fee), "contract fees settled to date");
    }
}
