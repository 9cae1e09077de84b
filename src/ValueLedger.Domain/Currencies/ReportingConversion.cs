namespace ValueLedger.Domain;

/// <summary>One commitment of the portfolio with the account it belongs to (whose currency its money figures are in).</summary>
public sealed record ReportingLine(Guid AccountId, string Currency, CommitmentLine Line);

/// <summary>A currency whose figures are left out of the converted totals, and the first day no rate into the reporting currency was in force.</summary>
public sealed record UnconvertedCurrency(string Currency, int Commitments, DateOnly MissingOn, string Reason);

/// <summary>
/// The portfolio's figures in one reporting currency (domain.md, Reporting currency), with the rates used and the
/// currencies that could not be converted (their figures are left out whole, never converted in part).
/// </summary>
public sealed record ConvertedTotals(
    string Currency, DateOnly RatesOn, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, decimal? Coverage, int Accounts, int Commitments, int AtRiskCommitments,
    ConvertedExposure? Exposure, IReadOnlyList<string> ConvertedCurrencies, IReadOnlyList<UnconvertedCurrency> Unconverted,
    IReadOnlyList<ExchangeRate> RatesUsed);

/// <summary>Gain-share exposure in the reporting currency: the variable amounts and the sums of the bounds (null: open on that side).</summary>
public sealed record ConvertedExposure(decimal VariableAmount, decimal? Floor, decimal? Cap, int Contracts);

/// <summary>
/// Converts the portfolio into one currency. A money figure of a period converts at the rate in force at the period's
/// end: each measured period's realized value and its promise (so realized and promised to date, and their ratio, use
/// the same rate period by period). Figures that are not of one period convert at the rate in force on the as-of day:
/// the promised value over the whole term, the value at risk, the gain-share exposure and the money weights of
/// coverage. Sums are rounded to the cent once, at the end; the realization rate is the ratio of the unrounded sums.
/// </summary>
public static class ReportingConversion
{
    public static ConvertedTotals Of(IReadOnlyList<ReportingLine> lines, string reporting, DateOnly today, RateTable rates)
    {
        var used = new HashSet<ExchangeRateRecorded>();
        var converted = new List<(ReportingLine Line, Func<DateOnly, decimal> Factor)>();
        var convertedCurrencies = new List<string>();
        var unconverted = new List<UnconvertedCurrency>();

        foreach (var currency in lines.GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var days = currency.SelectMany(l => DaysOf(l.Line)).Append(today).Distinct().Order().ToList();
            if (FactorsOn(currency.Key, reporting, days, rates, used) is not { } factors)
            {
                var missing = days.First(d => rates.On(currency.Key, reporting, d) is null);
                unconverted.Add(new UnconvertedCurrency(currency.Key, currency.Count(), missing,
                    $"No rate between {currency.Key} and {reporting} in force on {missing:O}: its figures are left out of the {reporting} totals."));
                continue;
            }
            convertedCurrencies.Add(currency.Key);
            converted.AddRange(currency.Select(l => (l, (Func<DateOnly, decimal>)(d => factors[d]))));
        }

        decimal promised = 0, promisedToDate = 0, realized = 0, atRisk = 0, coveredWeight = 0, elapsedWeight = 0;
        foreach (var (row, factor) in converted)
        {
            var line = row.Line;
            var now = factor(today);
            promised += line.PromisedValue * now;
            atRisk += line.AtRiskValue * now;
            if (line.Periods is { } periods)
                foreach (var p in periods)
                {
                    promisedToDate += p.Promised * factor(p.PeriodEnd);
                    realized += p.Realized * factor(p.PeriodEnd);
                }
            else
            {
                // A summary stored before periods were kept: its totals to date convert at the as-of day's rate.
                promisedToDate += line.PromisedToDate * now;
                realized += line.RealizedValue * now;
            }
            if (line.CoverageOn(today) is { } coverage)
            {
                coveredWeight += line.PromisedToDate * now;
                elapsedWeight += coverage.PromisedElapsed * now;
            }
        }

        var exposure = ExposureOf(lines.Select(l => l.Line.Exposure).OfType<GainShareExposure>().ToList(), reporting, today, rates, used, unconverted);
        var rows = converted.Select(c => c.Line).ToList();
        return new ConvertedTotals(reporting, today, Cents(promised), Cents(promisedToDate), Cents(realized),
            promisedToDate == 0 ? null : realized / promisedToDate, Cents(atRisk),
            elapsedWeight == 0 ? null : Math.Clamp(coveredWeight / elapsedWeight, 0m, 1m),
            rows.Select(r => r.AccountId).Distinct().Count(), rows.Count, rows.Count(r => r.Line.Status == CommitmentStatus.AtRisk),
            exposure, convertedCurrencies, unconverted,
            used.OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal).ThenBy(r => r.ValidFrom)
                .Select(r => new ExchangeRate(r.From, r.To, r.Rate, r.Source, r.ValidFrom)).ToList());
    }

    /// <summary>The days a line's figures convert on: each measured period's end (the as-of day is added by the caller).</summary>
    private static IEnumerable<DateOnly> DaysOf(CommitmentLine line) => line.Periods?.Select(p => p.PeriodEnd) ?? [];

    /// <summary>The factor on each day, or null when a day has no rate in force; the rates applied are added to <paramref name="used"/>.</summary>
    private static Dictionary<DateOnly, decimal>? FactorsOn(string from, string to, IReadOnlyList<DateOnly> days, RateTable rates, HashSet<ExchangeRateRecorded> used)
    {
        if (from == to) return days.ToDictionary(d => d, _ => 1m);
        var applied = new Dictionary<DateOnly, AppliedRate>();
        foreach (var day in days)
        {
            if (rates.On(from, to, day) is not { } rate) return null;
            applied[day] = rate;
        }
        foreach (var rate in applied.Values) used.Add(rate.Recorded);
        return applied.ToDictionary(a => a.Key, a => a.Value.Factor);
    }

    private static ConvertedExposure? ExposureOf(IReadOnlyList<GainShareExposure> exposures, string reporting, DateOnly today, RateTable rates,
        HashSet<ExchangeRateRecorded> used, List<UnconvertedCurrency> unconverted)
    {
        if (exposures.Count == 0) return null;
        decimal variable = 0, floor = 0, cap = 0;
        bool floored = true, capped = true;
        var contracts = 0;
        foreach (var currency in exposures.GroupBy(e => e.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (FactorsOn(currency.Key, reporting, [today], rates, used) is not { } factors)
            {
                if (unconverted.All(u => u.Currency != currency.Key))
                    unconverted.Add(new UnconvertedCurrency(currency.Key, 0, today,
                        $"No rate between {currency.Key} and {reporting} in force on {today:O}: its contracts' exposure is left out of the {reporting} totals."));
                continue;
            }
            var factor = factors[today];
            foreach (var e in currency)
            {
                contracts++;
                variable += e.VariableAmount * factor;
                if (e.Floor is { } f) floor += f * factor; else floored = false;
                if (e.Cap is { } c) cap += c * factor; else capped = false;
            }
        }
        return contracts == 0 ? null : new ConvertedExposure(Cents(variable), floored ? Cents(floor) : null, capped ? Cents(cap) : null, contracts);
    }

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.ToEven);
}
