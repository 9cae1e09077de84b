namespace ValueLedger.Domain;

/// <summary>
/// An exchange rate as a recorded fact (domain.md, Reporting currency): one unit of <c>From</c> is worth <c>Rate</c> units
/// of <c>To</c> from <c>ValidFrom</c> on, until a later rate of the same pair takes over. Recording a rate of the same
/// pair and day again supersedes the earlier one for every conversion from then on; both stay in the ledger.
/// </summary>
public sealed record ExchangeRateRecorded(string From, string To, decimal Rate, DateOnly ValidFrom, string Source, DateTimeOffset RecordedAt);

/// <summary>
/// Every exchange rate is an event of one stream of its own, beside the accounts' streams: sealed into the hash chain
/// and the checkpoints like every account event, so a converted total can be proved to use the rates on record.
/// </summary>
public static class ExchangeRateLedger
{
    /// <summary>The stream of exchange rates. No account has this id: accounts get version-7 ids.</summary>
    public static readonly Guid StreamId = new("00000000-0000-4000-8000-0000000000f1");

    /// <summary>Rates may be recorded ahead of the day they take effect (a budget rate), by at most a year.</summary>
    public static DateOnly LatestValidFrom(DateOnly today) => today.AddYears(1);
}

/// <summary>A rate as applied to a conversion: the recorded rate, and whether it was used the other way round (1 ÷ rate).</summary>
public sealed record AppliedRate(ExchangeRateRecorded Recorded, bool Inverted)
{
    /// <summary>Units of the target currency per unit of the source currency.</summary>
    public decimal Factor => Inverted ? 1m / Recorded.Rate : Recorded.Rate;
}

/// <summary>
/// The rates on record, by pair: which one is in force on a day (the latest <c>ValidFrom</c> on or before it). A pair
/// recorded only the other way round is used inverted; when both directions are recorded the one that took effect last
/// wins, the direct one on a tie. No rate is chained through a third currency: a conversion uses a rate someone recorded.
/// </summary>
public sealed class RateTable
{
    private readonly Dictionary<(string From, string To), ExchangeRateRecorded[]> _byPair;

    private RateTable(Dictionary<(string, string), ExchangeRateRecorded[]> byPair) => _byPair = byPair;

    /// <summary>The rates in the order they were recorded; a later record of the same pair and day supersedes an earlier one.</summary>
    public static RateTable Of(IEnumerable<ExchangeRateRecorded> recorded) =>
        new(recorded.GroupBy(r => (r.From, r.To))
            .ToDictionary(pair => pair.Key, pair => pair.GroupBy(r => r.ValidFrom).Select(day => day.Last()).OrderBy(r => r.ValidFrom).ToArray()));

    public bool IsEmpty => _byPair.Count == 0;

    /// <summary>Every rate in force at some time, by pair and day (the superseded ones left out).</summary>
    public IEnumerable<ExchangeRateRecorded> All => _byPair.Values.SelectMany(r => r);

    /// <summary>The rate converting <paramref name="from"/> into <paramref name="to"/> in force on <paramref name="day"/>, or null.</summary>
    public AppliedRate? On(string from, string to, DateOnly day)
    {
        var direct = InForce(from, to, day);
        var inverse = InForce(to, from, day);
        if (direct is null && inverse is null) return null;
        return inverse is null || (direct is not null && direct.ValidFrom >= inverse.ValidFrom)
            ? new AppliedRate(direct!, false)
            : new AppliedRate(inverse, true);
    }

    private ExchangeRateRecorded? InForce(string from, string to, DateOnly day)
    {
        if (!_byPair.TryGetValue((from, to), out var rates)) return null;
        // Binary search for the last rate that took effect on or before the day.
        int low = 0, high = rates.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (rates[middle].ValidFrom <= day) { found = middle; low = middle + 1; }
            else high = middle - 1;
        }
        return found < 0 ? null : rates[found];
    }
}
