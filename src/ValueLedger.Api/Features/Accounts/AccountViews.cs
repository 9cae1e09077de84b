namespace ValueLedger.Api.Features.Accounts;

/// <summary>The account value view of the API contract, derived from the account's state by the domain's formulas.</summary>
public sealed record AccountValueView(
    Guid Id, string Name, string Industry, string Currency, Approach Approach, string Segment, string Owner,
    CommitmentStatus Status, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, PriorityTier PriorityTier, PrioritisationView? Prioritisation, Level? Confidence,
    IReadOnlyList<Gap> Gaps, IReadOnlyList<CommitmentSummary> Commitments, long Version, DateTimeOffset AsOf)
{
    public static AccountValueView Of(Account account, DateTimeOffset asOf)
    {
        var figures = AccountValuation.Evaluate(account, DateOnly.FromDateTime(asOf.UtcDateTime));
        return new AccountValueView(
            account.Id, account.Name, account.Industry, account.Currency, account.Approach, account.Segment, account.Owner,
            figures.Status, figures.PromisedValue, figures.PromisedToDate, figures.RealizedValue, figures.RealizationRate,
            figures.AtRiskValue, account.PriorityTier, PrioritisationView.Of(account.Prioritisation), figures.Confidence,
            figures.Gaps,
            account.Commitments.Zip(figures.Commitments, (c, f) => CommitmentSummary.Of(c, f, account.Currency)).ToList(),
            account.Version, asOf)
        {
            Coverage = figures.Coverage,
            ExternalIds = account.ExternalIds
        };
    }

    /// <summary>The account's id in each system of record that knows it (system → id), e.g. its CRM.</summary>
    public IReadOnlyDictionary<string, string> ExternalIds { get; init; } = new Dictionary<string, string>();

    /// <summary>How much of the elapsed time is measured on <see cref="AsOf"/>, weighted by money (promised to date ÷ the promise of the elapsed periods).</summary>
    public decimal? Coverage { get; init; }
}

public sealed record PrioritisationView(Level AbilityToPay, Level WillingnessToPay, PriorityTier Tier, string? Note, DateTimeOffset At)
{
    public static PrioritisationView? Of(Prioritisation? p) =>
        p is null ? null : new PrioritisationView(p.AbilityToPay, p.WillingnessToPay, p.Tier, p.Note, p.At);
}

public sealed record CommitmentSummary(
    Guid Id, string Metric, string Unit, ValueDriver Driver, Direction Direction, Approach Approach, CommitmentStatus Status,
    string StatusReason, decimal? Progress, string Currency, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue,
    decimal? RealizationRate, decimal AtRiskValue, Level Confidence, IReadOnlyList<Gap> Gaps, DateTimeOffset? LastMeasuredAt,
    DateOnly? LastMeasuredPeriodEnd)
{
    public static CommitmentSummary Of(Commitment c, CommitmentFigures f, string currency) => new(
        c.Id, c.Metric, c.Unit, c.Driver, c.Direction, c.Approach, f.Status, f.StatusReason, f.Progress, currency,
        f.PromisedValue, f.PromisedToDate, f.RealizedValue, f.RealizationRate, f.AtRiskValue, f.Confidence, f.Gaps,
        f.LastMeasuredAt, f.LastMeasuredPeriodEnd)
    {
        Coverage = f.Coverage
    };

    /// <summary>How much of the elapsed time is measured on the view's moment, with the unmeasured periods.</summary>
    public CommitmentCoverage? Coverage { get; init; }
}

/// <summary>A row of the account list.</summary>
public sealed record AccountListItem(
    Guid Id, string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner,
    CommitmentStatus Status, PriorityTier PriorityTier, int Commitments, decimal PromisedValue, decimal RealizedValue,
    decimal? RealizationRate, decimal AtRiskValue, long Version)
{
    public static AccountListItem Of(AccountSummary a) => new(a.Id, a.Name, a.Industry, a.Segment, a.Currency, a.Approach,
        a.Owner, a.Status, a.PriorityTier, a.Commitments.Count, a.PromisedValue, a.RealizedValue, a.RealizationRate, a.AtRiskValue,
        a.Version);
}

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalItems, int TotalPages);
