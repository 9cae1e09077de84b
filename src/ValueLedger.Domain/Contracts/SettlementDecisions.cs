namespace ValueLedger.Domain;

/// <summary>Settle one settlement period; exchange rates are needed when the contract's currency is not the account's.</summary>
public sealed record CalculateSettlement(DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<ExchangeRate> ExchangeRates, string? Reason);

/// <summary>Certify a settlement; <see cref="Version"/>, when given, must be the latest (what the customer looked at).</summary>
public sealed record CertifySettlement(Signer Signer, string? Comment, int? Version);

public sealed record DisputeSettlement(Signer Signer, string Reason, int? Version);

public static class SettlementDecisions
{
    /// <summary>
    /// Calculates the settlement of a settlement period that has ended. A period settled before gets version n+1 beside
    /// the earlier versions, which stay as they were (with their certification or dispute).
    /// </summary>
    public static Decision Calculate(Account account, Guid commitmentId, Guid newSettlementId, CalculateSettlement command, string by, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.Approach != Approach.OutcomeCentric)
            return Decision.Unprocessable("Not an outcome-centric commitment", "Only outcome-centric commitments have contracts to settle.");
        if (commitment.Contract is not { Versions.Count: > 0 } contract)
            return Decision.Unprocessable("No contract terms",
                $"Agree the contract terms first: PUT /api/accounts/{account.Id}/commitments/{commitmentId}/contract.");

        var periods = contract.Periods(commitment).ToList();
        if (periods.Find(p => p.Start == command.PeriodStart && p.End == command.PeriodEnd) is not { } period)
        {
            var containing = periods.Find(p => p.Start <= command.PeriodStart && command.PeriodStart <= p.End);
            return Decision.Unprocessable("Not a settlement period",
                $"{command.PeriodStart:O}..{command.PeriodEnd:O} is not a settlement period of the contract. " +
                (containing is null
                    ? $"Its settlement periods run from {periods.FirstOrDefault()?.Start.ToString("O") ?? "-"} to {periods.LastOrDefault()?.End.ToString("O") ?? "-"}."
                    : $"The one that contains {command.PeriodStart:O} is {containing.Start:O}..{containing.End:O}."));
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today <= period.End)
            return Decision.Unprocessable("Period not over",
                $"The settlement period ends on {period.End:O}; it can be settled from {period.End.AddDays(1):O} on.");

        var result = SettlementBreakdown.Of(account, commitment, period, contract.Version(period.ContractVersion), command.ExchangeRates);
        if (result.Rejection is { } rejection) return rejection;

        var existing = contract.SettlementOf(period.Start, period.End);
        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        return Decision.Accept(new SettlementCalculated(commitmentId, existing?.Id ?? newSettlementId,
            existing is null ? 1 : existing.Latest.Version + 1, result.Breakdown!, reason, by, now));
    }

    /// <summary>Calculates a settled period again with the exchange rates of its latest version (after a correction).</summary>
    public static Decision Recalculate(Account account, Guid commitmentId, Guid settlementId, string reason, string by, DateTimeOffset now)
    {
        if (Find(account, commitmentId, settlementId, out var settlement) is { } missing) return missing;
        var latest = settlement.Latest.Breakdown;
        return Calculate(account, commitmentId, settlementId,
            new CalculateSettlement(latest.PeriodStart, latest.PeriodEnd, latest.ExchangeRates, reason), by, now);
    }

    /// <summary>The customer certifies the latest version once it is final: not provisional, not disputed, not certified already.</summary>
    public static Decision Certify(Account account, Guid commitmentId, Guid settlementId, CertifySettlement command, DateTimeOffset now)
    {
        if (Find(account, commitmentId, settlementId, out var settlement) is { } missing) return missing;
        if (Superseded(settlement, command.Version) is { } superseded) return superseded;
        if (NotCertifiable(settlement) is { } refused) return refused;
        var latest = settlement.Latest;
        return Decision.Accept(new SettlementCertified(commitmentId, settlementId, latest.Version, command.Signer.Name, command.Comment, now, command.Signer));
    }

    /// <summary>
    /// Customer success asks the approvers to certify the latest version; only a version the customer could certify
    /// now is asked about (not certified, disputed or provisional), and there must be someone to ask.
    /// </summary>
    public static Decision RequestCertification(Account account, Guid commitmentId, Guid settlementId, IReadOnlyList<string> recipients,
        string? message, string requestedBy, DateTimeOffset now)
    {
        if (Find(account, commitmentId, settlementId, out var settlement) is { } missing) return missing;
        if (NotCertifiable(settlement) is { } refused) return refused;
        if (recipients.Count == 0)
            return Decision.Unprocessable("No approver to ask", "The account has no approver contact with access: invite one first.");
        return Decision.Accept(new SettlementCertificationRequested(commitmentId, settlementId, settlement.Latest.Version, recipients,
            string.IsNullOrWhiteSpace(message) ? null : message.Trim(), requestedBy, now));
    }

    /// <summary>Why the latest version cannot be certified now, or null when it can.</summary>
    private static Decision? NotCertifiable(Settlement settlement)
    {
        var latest = settlement.Latest;
        return settlement.Status switch
        {
            SettlementStatus.Certified => Decision.Unprocessable("Already certified",
                $"Version {latest.Version} was certified by {settlement.VerdictOn(latest.Version)!.By}."),
            SettlementStatus.Disputed => Decision.Unprocessable("Disputed",
                $"Version {latest.Version} is disputed by {settlement.VerdictOn(latest.Version)!.By}; resolve the dispute and calculate the period again."),
            SettlementStatus.Provisional => Decision.Reject(new Rejection(RejectionKind.Unprocessable, "Provisional settlement",
                "A provisional settlement cannot be certified: confirm or resolve the measurements it names, measure the periods it lacks, then calculate it again.",
                new Dictionary<string, object?>
                {
                    ["provisionalBecause"] = latest.Breakdown.ProvisionalBecause,
                    ["unmeasuredPeriods"] = latest.Breakdown.UnmeasuredPeriods
                })),
            _ => null
        };
    }

    public static Decision Dispute(Account account, Guid commitmentId, Guid settlementId, DisputeSettlement command, DateTimeOffset now)
    {
        if (Find(account, commitmentId, settlementId, out var settlement) is { } missing) return missing;
        if (Superseded(settlement, command.Version) is { } superseded) return superseded;
        var latest = settlement.Latest;
        return settlement.Status switch
        {
            SettlementStatus.Certified => Decision.Unprocessable("Already certified",
                $"Version {latest.Version} was certified by {settlement.VerdictOn(latest.Version)!.By}; a correction of its measurements produces a new version to dispute."),
            SettlementStatus.Disputed => Decision.Unprocessable("Already disputed",
                $"Version {latest.Version} is already disputed by {settlement.VerdictOn(latest.Version)!.By}."),
            _ => Decision.Accept(new SettlementDisputed(commitmentId, settlementId, latest.Version, command.Signer.Name, command.Reason.Trim(), now, command.Signer))
        };
    }

    private static Decision? Superseded(Settlement settlement, int? version)
    {
        if (version is not { } v || v == settlement.Latest.Version) return null;
        return v < 1 || v > settlement.Latest.Version
            ? Decision.Reject(new Rejection(RejectionKind.NotFound, "Settlement version not found",
                $"Settlement {settlement.Id} has versions 1 to {settlement.Latest.Version}."))
            : Decision.Reject(new Rejection(RejectionKind.Conflict, "Superseded settlement version",
                $"Version {v} was superseded by version {settlement.Latest.Version}; look at the latest version and decide on it.",
                new Dictionary<string, object?> { ["latestVersion"] = settlement.Latest.Version }));
    }

    private static Decision? Find(Account account, Guid commitmentId, Guid settlementId, out Settlement settlement)
    {
        settlement = null!;
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.Contract?.FindSettlement(settlementId) is not { } found) return Decision.NotFound("Settlement", settlementId);
        settlement = found;
        return null;
    }
}
