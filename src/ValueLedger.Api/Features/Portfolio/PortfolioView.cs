using System.Text.Json;

namespace ValueLedger.Api.Features.Portfolio;

/// <summary>
/// What executives see: money figures per currency (never added across currencies), the same broken down by approach,
/// driver, segment and owner, and the at-risk commitments worst first. Every figure is a sum of the commitments'
/// figures and every rate a ratio of those sums (realized ÷ promised to date), never an average of rates.
/// </summary>
/// <remarks>
/// <c>Position</c> is how many account events the figures reflect (the sum of the accounts' versions): it grows with
/// every write, so of two views of the same ledger the one with the higher position is the newer.
/// </remarks>
public sealed record PortfolioView(
    DateTimeOffset AsOf, long Position, int Accounts, int Commitments,
    IReadOnlyList<string> Currencies, IReadOnlyList<CurrencyTotals> Totals,
    IReadOnlyList<PortfolioBreakdown> ByApproach, IReadOnlyList<PortfolioBreakdown> ByDriver,
    IReadOnlyList<PortfolioBreakdown> BySegment, IReadOnlyList<PortfolioBreakdown> ByOwner,
    IReadOnlyList<StatusCount> ByStatus, IReadOnlyList<AtRiskCommitment> AtRisk)
{
    public static PortfolioView Of(IEnumerable<AccountSummary> summaries, DateTimeOffset asOf)
    {
        var accounts = summaries.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id).ToList();
        var rows = accounts.SelectMany(a => a.Commitments.Select(c => (Account: a, Commitment: c))).ToList();
        var counted = rows.Where(r => r.Commitment.Counts).ToList();
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);

        var totals = counted.GroupBy(r => r.Account.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sums = Sums.Of(g.Select(r => r.Commitment), today);
                return new CurrencyTotals(g.Key, sums.Promised, sums.PromisedToDate, sums.Realized, sums.Rate, sums.AtRisk,
                    accounts.Count(a => a.Currency == g.Key), g.Count(), g.Count(r => r.Commitment.Status == CommitmentStatus.AtRisk))
                {
                    Coverage = sums.Coverage
                };
            })
            .ToList();

        return new PortfolioView(
            asOf, accounts.Sum(a => a.Version), accounts.Count, rows.Count,
            totals.Select(t => t.Currency).ToList(), totals,
            Breakdown(counted, r => Name(r.Commitment.Approach), today),
            Breakdown(counted, r => Name(r.Commitment.Driver), today),
            Breakdown(counted, r => r.Account.Segment, today),
            Breakdown(counted, r => r.Account.Owner, today),
            rows.GroupBy(r => r.Commitment.Status).OrderBy(g => g.Key).Select(g => new StatusCount(g.Key, g.Count())).ToList(),
            rows.Where(r => r.Commitment.Status == CommitmentStatus.AtRisk)
                .Select(r => AtRiskCommitment.Of(r.Account, r.Commitment, today))
                .OrderByDescending(r => r.AtRiskValue).ThenBy(r => r.Progress ?? 0).ThenBy(r => r.AccountName, StringComparer.OrdinalIgnoreCase)
                .ToList())
        {
            Exposure = counted.Where(r => r.Commitment.Exposure is not null).Select(r => r.Commitment.Exposure!)
                .GroupBy(e => e.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ExposureTotal(g.Key, g.Sum(e => e.VariableAmount),
                    g.All(e => e.Floor is not null) ? g.Sum(e => e.Floor!.Value) : null,
                    g.All(e => e.Cap is not null) ? g.Sum(e => e.Cap!.Value) : null, g.Count()))
                .ToList()
        };
    }

    /// <summary>Gain-share exposure summed per contract currency (domain.md): what the open settlement periods would pay now, and the range of the bounds.</summary>
    public IReadOnlyList<ExposureTotal> Exposure { get; init; } = [];

    /// <summary>
    /// With <c>?currency=</c>: the totals converted into that reporting currency (domain.md, Reporting currency), the
    /// currencies left out for want of a rate, and <see cref="ExchangeRates"/> the rates used. Null otherwise; the
    /// per-currency figures above are there either way.
    /// </summary>
    public ConvertedTotals? Reporting { get; init; }

    /// <summary>The exchange rates the converted totals used, as recorded (<c>asOf</c> is the day each took effect).</summary>
    public IReadOnlyList<ExchangeRate>? ExchangeRates { get; init; }

    /// <summary>The view with its totals converted into <paramref name="currency"/> at the rates on record.</summary>
    public PortfolioView InCurrency(IEnumerable<AccountSummary> summaries, string currency, RateTable rates)
    {
        var lines = summaries.SelectMany(a => a.Commitments.Where(c => c.Counts).Select(c => new ReportingLine(a.Id, a.Currency, c))).ToList();
        var converted = ReportingConversion.Of(lines, currency, DateOnly.FromDateTime(AsOf.UtcDateTime), rates);
        return this with { Reporting = converted, ExchangeRates = converted.RatesUsed };
    }

    private static List<PortfolioBreakdown> Breakdown(
        IEnumerable<(AccountSummary Account, CommitmentLine Commitment)> rows, Func<(AccountSummary Account, CommitmentLine Commitment), string> key,
        DateOnly today) =>
        rows.GroupBy(r => (Key: key(r), r.Account.Currency))
            .OrderBy(g => g.Key.Currency, StringComparer.Ordinal).ThenBy(g => g.Key.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var sums = Sums.Of(g.Select(r => r.Commitment), today);
                return new PortfolioBreakdown(g.Key.Key, g.Key.Currency, sums.Promised, sums.PromisedToDate, sums.Realized, sums.Rate,
                    sums.AtRisk, g.Count(), g.Count(r => r.Commitment.Status == CommitmentStatus.AtRisk))
                {
                    Coverage = sums.Coverage
                };
            })
            .ToList();

    /// <summary>Enum values as the API writes them (camelCase), so breakdown keys match the values elsewhere.</summary>
    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private sealed record Sums(decimal Promised, decimal PromisedToDate, decimal Realized, decimal? Rate, decimal AtRisk, decimal? Coverage)
    {
        public static Sums Of(IEnumerable<CommitmentLine> commitments, DateOnly today)
        {
            var list = commitments.ToList();
            var promisedToDate = list.Sum(c => c.PromisedToDate);
            var realized = list.Sum(c => c.RealizedValue);
            // Coverage weighted by money, as for an account; lines stored before coverage existed have no inputs and are left out.
            var covered = list.Select(c => (c.PromisedToDate, Coverage: c.CoverageOn(today))).Where(c => c.Coverage is not null).ToList();
            var elapsed = covered.Sum(c => c.Coverage!.Value.PromisedElapsed);
            return new Sums(list.Sum(c => c.PromisedValue), promisedToDate, realized,
                promisedToDate == 0 ? null : realized / promisedToDate, list.Sum(c => c.AtRiskValue),
                elapsed == 0 ? null : Math.Clamp(covered.Sum(c => c.PromisedToDate) / elapsed, 0m, 1m));
        }
    }
}

public sealed record CurrencyTotals(
    string Currency, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, int Accounts, int Commitments, int AtRiskCommitments)
{
    /// <summary>How much of the elapsed time is measured, weighted by money (promised to date ÷ the promise of the elapsed periods).</summary>
    public decimal? Coverage { get; init; }
}

/// <summary>One group of a breakdown (an approach, a driver, a segment or an owner) in one currency.</summary>
public sealed record PortfolioBreakdown(
    string Key, string Currency, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, int Commitments, int AtRiskCommitments)
{
    /// <summary>How much of the elapsed time is measured, weighted by money.</summary>
    public decimal? Coverage { get; init; }
}

/// <summary>
/// The exposure of the outcome contracts in one currency: the variable amounts summed, and the sums of their floors and
/// caps (null when a contract has no such bound: the range is open on that side).
/// </summary>
public sealed record ExposureTotal(string Currency, decimal VariableAmount, decimal? Floor, decimal? Cap, int Contracts);

public sealed record StatusCount(CommitmentStatus Status, int Commitments);

public sealed record AtRiskCommitment(
    Guid AccountId, string AccountName, Guid CommitmentId, string Metric, ValueDriver Driver, Approach Approach,
    string Segment, string Owner, string Currency, decimal AtRiskValue, decimal PromisedValue, decimal RealizedValue,
    decimal? Progress, decimal? RealizationRate, Level Confidence, string Reason, DateOnly? LastMeasuredPeriodEnd)
{
    /// <summary>Confidence is not high while coverage on <paramref name="today"/> is below 1 (the stored one cannot know the day).</summary>
    public static AtRiskCommitment Of(AccountSummary a, CommitmentLine c, DateOnly today)
    {
        var coverage = c.CoverageOn(today)?.Ratio;
        return new(a.Id, a.Name, c.Id, c.Metric, c.Driver, c.Approach, a.Segment, a.Owner, a.Currency, c.AtRiskValue, c.PromisedValue,
            c.RealizedValue, c.Progress, c.RealizationRate, c.Confidence == Level.High && coverage is < 1m ? Level.Medium : c.Confidence,
            c.StatusReason, c.LastMeasuredPeriodEnd)
        {
            Coverage = coverage
        };
    }

    public decimal? Coverage { get; init; }
}
