using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Portfolio;

/// <summary>
/// The portfolio read model: one document holding a summary of every account, each summary evaluated by the
/// domain's own valuation (<see cref="AccountValuation"/>) from the account's state at the version it names.
/// The totals and breakdowns are derived from these summaries by <see cref="PortfolioView.Of"/>.
/// </summary>
public sealed class ValuePortfolio
{
    public const string TheId = "portfolio";

    public string Id { get; set; } = TheId;

    /// <summary>The highest event sequence folded in: the position of the ledger this portfolio reflects.</summary>
    public long Sequence { get; set; }

    /// <summary>When the newest event folded in was recorded.</summary>
    public DateTimeOffset? LastEventAt { get; set; }

    public Dictionary<Guid, PortfolioAccount> Accounts { get; set; } = [];

    /// <summary>Replaces the summary of one account with its evaluation at the account's version.</summary>
    public void Put(Account account) => Accounts[account.Id] = PortfolioAccount.Of(account);
}

/// <summary>An account as the portfolio sees it: who, where, and its commitments' money figures.</summary>
public sealed record PortfolioAccount(
    Guid Id, string Name, string Currency, Approach Approach, string Segment, string Owner, long Version,
    CommitmentStatus Status, IReadOnlyList<PortfolioCommitment> Commitments)
{
    public static PortfolioAccount Of(Account account)
    {
        var figures = AccountValuation.Evaluate(account);
        return new PortfolioAccount(account.Id, account.Name, account.Currency, account.Approach, account.Segment, account.Owner,
            account.Version, figures.Status,
            account.Commitments.Zip(figures.Commitments, PortfolioCommitment.Of).ToList());
    }
}

public sealed record PortfolioCommitment(
    Guid Id, string Metric, string Unit, ValueDriver Driver, Approach Approach, CommitmentStatus Status, string StatusReason,
    decimal? Progress, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, Level Confidence, DateOnly? LastMeasuredPeriodEnd)
{
    /// <summary>Withdrawn commitments are listed but never counted, as in <see cref="AccountValuation"/>.</summary>
    public bool Counts => Status != CommitmentStatus.Withdrawn;

    public static PortfolioCommitment Of(Commitment c, CommitmentFigures f) => new(
        c.Id, c.Metric, c.Unit, c.Driver, c.Approach, f.Status, f.StatusReason, f.Progress, f.PromisedValue, f.PromisedToDate,
        f.RealizedValue, f.RealizationRate, f.AtRiskValue, f.Confidence, f.LastMeasuredPeriodEnd);
}
