namespace ValueLedger.Api.Features.Contracts;

public static class OutcomeRoutes
{
    public static string Contract(Guid accountId, Guid commitmentId) => $"{Infrastructure.Routes.Commitment(accountId, commitmentId)}/contract";
    public static string Settlements(Guid accountId, Guid commitmentId) => $"{Infrastructure.Routes.Commitment(accountId, commitmentId)}/settlements";
    public static string Settlement(Guid accountId, Guid commitmentId, Guid settlementId) => $"{Settlements(accountId, commitmentId)}/{settlementId}";
    public static string Responsibilities(Guid accountId) => $"{Infrastructure.Routes.Account(accountId)}/responsibilities";
    public static string Responsibility(Guid accountId, Guid responsibilityId) => $"{Responsibilities(accountId)}/{responsibilityId}";
}

/// <summary>A commitment's contract: the terms in force now, every version, and the settlement periods they govern.</summary>
public sealed record ContractView(
    Guid AccountId, Guid CommitmentId, ContractVersionView Current, IReadOnlyList<ContractVersionView> Versions,
    IReadOnlyList<SettlementPeriodView> SettlementPeriods)
{
    public static ContractView? Of(Account account, Commitment commitment) =>
        commitment.Contract is not { Versions.Count: > 0 } contract
            ? null
            : new ContractView(account.Id, commitment.Id, ContractVersionView.Of(contract.Current), contract.Versions.Select(ContractVersionView.Of).ToList(),
                contract.Periods(commitment)
                    .Select(p => new SettlementPeriodView(p.Start, p.End, p.ContractVersion, contract.SettlementOf(p.Start, p.End)?.Id))
                    .ToList())
            {
                Exposure = GainShareExposure.Of(account, commitment)
            };

    /// <summary>What the unfinished settlement period would pay if it ended on what is measured to date (domain.md), with its range.</summary>
    public GainShareExposure? Exposure { get; init; }
}

public sealed record ContractVersionView(
    int Version, DateOnly EffectiveFrom, string Currency, decimal FeeBase, Cadence SettlementPeriod, ShareModel Model, decimal? Rate,
    IReadOnlyList<ShareBand> Bands, decimal? Floor, decimal? Cap, string? Reason, string AgreedBy, DateTimeOffset AgreedAt)
{
    public static ContractVersionView Of(ContractVersion v) => new(
        v.Version, v.EffectiveFrom, v.Terms.Currency, v.Terms.FeeBase, v.Terms.SettlementPeriod, v.Terms.Model, v.Terms.Rate, v.Terms.Bands,
        v.Terms.Floor, v.Terms.Cap, v.Reason, v.AgreedBy, v.AgreedAt);
}

/// <summary>A settlement period and, once settled, the id of its settlement.</summary>
public sealed record SettlementPeriodView(DateOnly PeriodStart, DateOnly PeriodEnd, int ContractVersion, Guid? SettlementId);

/// <summary>
/// One version of a settlement with every step (api.md, "A settlement answer"), its status and the customer's verdict.
/// </summary>
public sealed record SettlementVersionView(
    Guid Id, Guid AccountId, Guid CommitmentId, int Version, DateOnly PeriodStart, DateOnly PeriodEnd, string Currency,
    decimal PromisedValue, decimal RealizedValue, decimal? PerformanceRatio, ShareModel Model, decimal? Rate, IReadOnlyList<BandAmount> Bands,
    decimal UnboundedVariableAmount, decimal? Floor, decimal? Cap, BoundBy? BoundBy, decimal VariableAmount, decimal FeeBase, decimal Fee,
    SettlementStatus Status, IReadOnlyList<Guid> ProvisionalBecause, IReadOnlyList<DateSpan> UnmeasuredPeriods,
    IReadOnlyList<ExchangeRate> ExchangeRates, string AccountCurrency, decimal PromisedValueInAccountCurrency,
    decimal RealizedValueInAccountCurrency, int ContractVersion, IReadOnlyList<CountedMeasurement> Measurements,
    IReadOnlyList<MissedDuty> ExcusedBy, IReadOnlyList<string> Explanation, string? Reason, string CalculatedBy, DateTimeOffset CalculatedAt,
    SettlementVerdict? Verdict)
{
    public static SettlementVersionView Of(Guid accountId, SettlementCalculated s, SettlementStatus status, SettlementVerdict? verdict)
    {
        var b = s.Breakdown;
        return new SettlementVersionView(
            s.SettlementId, accountId, s.CommitmentId, s.Version, b.PeriodStart, b.PeriodEnd, b.Currency, b.PromisedValue, b.RealizedValue,
            b.PerformanceRatio, b.Model, b.Rate, b.Bands, b.UnboundedVariableAmount, b.Floor, b.Cap, b.BoundBy, b.VariableAmount, b.FeeBase,
            b.Fee, status, b.ProvisionalBecause, b.UnmeasuredPeriods, b.ExchangeRates, b.AccountCurrency, b.PromisedValueInAccountCurrency,
            b.RealizedValueInAccountCurrency, b.ContractVersion, b.Measurements, b.ExcusedBy, b.Explanation, s.Reason, s.CalculatedBy,
            s.CalculatedAt, verdict);
    }

    /// <summary>A version just calculated: provisional or calculated, no verdict yet.</summary>
    public static SettlementVersionView New(Guid accountId, SettlementCalculated s) =>
        Of(accountId, s, s.Breakdown.Provisional ? SettlementStatus.Provisional : SettlementStatus.Calculated, null);
}

/// <summary>
/// A settlement with every version, newest last. <c>Outdated</c> says a measurement it counted has changed since its
/// latest version (a correction is recalculated on its own; a confirmation or a new measurement needs a recalculation).
/// </summary>
public sealed record SettlementView(
    Guid Id, Guid AccountId, Guid CommitmentId, DateOnly PeriodStart, DateOnly PeriodEnd, int LatestVersion, SettlementStatus Status,
    bool Outdated, IReadOnlyList<SettlementVersionView> Versions)
{
    public static SettlementView Of(Account account, Commitment commitment, Settlement s) => new(
        s.Id, account.Id, commitment.Id, s.PeriodStart, s.PeriodEnd, s.Latest.Version, s.Status, SettlementMath.IsOutdated(commitment, s.Latest),
        s.Versions.Select(v => SettlementVersionView.Of(account.Id, v, s.StatusOf(v.Version), s.VerdictOn(v.Version))).ToList());
}

public sealed record SettlementsView(
    Guid AccountId, Guid CommitmentId, IReadOnlyList<SettlementView> Settlements, IReadOnlyList<SettlementPeriodView> SettlementPeriods, long Version)
{
    public static SettlementsView Of(Account account, Commitment commitment) => new(
        account.Id, commitment.Id,
        commitment.Contract?.Settlements.OrderBy(s => s.PeriodStart).Select(s => SettlementView.Of(account, commitment, s)).ToList() ?? [],
        ContractView.Of(account, commitment)?.SettlementPeriods ?? [], account.Version);
}
