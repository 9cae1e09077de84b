namespace ValueLedger.Domain;

/// <summary>Folds the events of contracts, settlements and responsibilities into the account (called by <see cref="Account.Evolve"/>).</summary>
public static class OutcomeEvolution
{
    public static void Apply(Account account, IOutcomeEvent @event)
    {
        switch (@event)
        {
            case ContractTermsAgreed e:
                var commitment = CommitmentOf(account, e.CommitmentId);
                commitment.Contract ??= new OutcomeContract();
                commitment.Contract.Versions.Add(new ContractVersion(e.Version, e.EffectiveFrom, e.Terms, e.Reason, e.AgreedBy, e.AgreedAt));
                break;
            case SettlementCalculated e:
                var contract = ContractOf(account, e.CommitmentId);
                if (contract.FindSettlement(e.SettlementId) is not { } settlement)
                {
                    settlement = new Settlement { Id = e.SettlementId, PeriodStart = e.Breakdown.PeriodStart, PeriodEnd = e.Breakdown.PeriodEnd };
                    contract.Settlements.Add(settlement);
                }
                settlement.Versions.Add(e);
                break;
            case SettlementCertified e:
                SettlementOf(account, e.CommitmentId, e.SettlementId).Verdicts
                    .Add(new SettlementVerdict(e.Version, SettlementStatus.Certified, e.CertifiedBy, e.Comment, e.CertifiedAt));
                break;
            case SettlementDisputed e:
                SettlementOf(account, e.CommitmentId, e.SettlementId).Verdicts
                    .Add(new SettlementVerdict(e.Version, SettlementStatus.Disputed, e.DisputedBy, e.Reason, e.DisputedAt));
                break;
            case ResponsibilityAssigned e:
                account.Responsibilities.Add(Responsibility.From(e));
                break;
            case ResponsibilityFulfilled e:
                Fulfil(account, ResponsibilityOf(account, e.ResponsibilityId), e);
                break;
            case ResponsibilityMissed e:
                var responsibility = ResponsibilityOf(account, e.ResponsibilityId);
                var miss = new MissedDuty(e.ResponsibilityId, responsibility.Party, responsibility.Description, e.PeriodStart, e.PeriodEnd,
                    e.DueAt, e.DetectedAt, null);
                responsibility.Misses.Add(miss);
                foreach (var concerned in Concerned(account, responsibility, miss)) concerned.Accountability.Misses.Add(miss);
                break;
            case TargetMissedAtPeriodEnd e:
                CommitmentOf(account, e.CommitmentId).Accountability.TargetMiss =
                    new TargetMiss(e.PeriodEnd, e.LatestProgress, e.LatestMeasuredPeriodEnd, e.ExcusingResponsibilities, e.DetectedAt);
                break;
        }
    }

    /// <summary>The commitments a missed occurrence concerns: its own, or every live one of the account whose period it touches.</summary>
    private static IEnumerable<Commitment> Concerned(Account account, Responsibility responsibility, MissedDuty miss) =>
        responsibility.CommitmentId is { } id
            ? [CommitmentOf(account, id)]
            : account.Commitments.Where(c => !c.IsWithdrawn && c.PeriodStart <= miss.PeriodEnd && miss.PeriodStart <= c.PeriodEnd);

    private static void Fulfil(Account account, Responsibility responsibility, ResponsibilityFulfilled e)
    {
        var fulfilment = new Fulfilment(e.FulfilmentId, e.PeriodStart, e.PeriodEnd, e.Note, e.FulfilledBy, e.FulfilledAt);
        responsibility.Fulfilments.Add(fulfilment);
        foreach (var misses in account.Commitments.Select(c => c.Accountability.Misses).Append(responsibility.Misses))
        {
            for (var i = 0; i < misses.Count; i++)
            {
                var miss = misses[i];
                if (miss.ResponsibilityId == responsibility.Id && miss.IsOutstanding && responsibility.Covers(fulfilment, miss.PeriodStart, miss.PeriodEnd))
                    misses[i] = miss with { FulfilledLateAt = e.FulfilledAt };
            }
        }
    }

    private static Commitment CommitmentOf(Account account, Guid id) =>
        account.FindCommitment(id) ?? throw new InvalidOperationException($"Unknown commitment {id} in account {account.Id}");

    private static OutcomeContract ContractOf(Account account, Guid commitmentId) =>
        CommitmentOf(account, commitmentId).Contract ?? throw new InvalidOperationException($"Commitment {commitmentId} has no contract");

    private static Settlement SettlementOf(Account account, Guid commitmentId, Guid settlementId) =>
        ContractOf(account, commitmentId).FindSettlement(settlementId)
        ?? throw new InvalidOperationException($"Unknown settlement {settlementId} of commitment {commitmentId}");

    private static Responsibility ResponsibilityOf(Account account, Guid id) =>
        account.FindResponsibility(id) ?? throw new InvalidOperationException($"Unknown responsibility {id} in account {account.Id}");
}
