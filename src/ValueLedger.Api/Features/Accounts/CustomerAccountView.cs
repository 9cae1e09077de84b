namespace ValueLedger.Api.Features.Accounts;

/// <summary>
/// The account as its customer's contacts see it, over HTTP and the hub: the value figures and commitments, without
/// the seller's prioritisation of the customer (priority tier, ability and willingness to pay, the note) or anything
/// else staff-only. A separate type rather than a filter, so a field added to the staff view never leaks by default.
/// </summary>
public sealed record CustomerAccountView(
    Guid Id, string Name, string Industry, string Currency, Approach Approach, string Owner,
    CommitmentStatus Status, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, Level? Confidence, IReadOnlyList<Gap> Gaps, IReadOnlyList<CommitmentSummary> Commitments, long Version,
    DateTimeOffset AsOf)
{
    public static CustomerAccountView Of(AccountValueView v) => new(
        v.Id, v.Name, v.Industry, v.Currency, v.Approach, v.Owner, v.Status, v.PromisedValue, v.PromisedToDate, v.RealizedValue,
        v.RealizationRate, v.AtRiskValue, v.Confidence, v.Gaps, v.Commitments, v.Version, v.AsOf)
    {
        Coverage = v.Coverage
    };

    /// <summary>How much of the elapsed time is measured, as in the staff view.</summary>
    public decimal? Coverage { get; init; }
}
