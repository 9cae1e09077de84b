using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>
/// The state of one account's value programme, folded from its event stream. One stream per account keeps
/// every promise and measurement of the account behind a single version (see docs/decisions/0001).
/// </summary>
public sealed class Account
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    public string Industry { get; set; } = "";
    public string Segment { get; set; } = "";
    public string Currency { get; set; } = "";
    public Approach Approach { get; set; }
    public string Owner { get; set; } = "";
    public DateTimeOffset OpenedAt { get; set; }
    public Prioritisation? Prioritisation { get; set; }
    /// <summary>The account's id in each system of record that knows it (system → id).</summary>
    public Dictionary<string, string> ExternalIds { get; set; } = [];
    public List<Commitment> Commitments { get; set; } = [];
    public List<Responsibility> Responsibilities { get; set; } = [];

    /// <summary>
    /// The read side's summary at <see cref="Version"/>, set by the account projection at the end of each step (never
    /// by <see cref="Evolve"/>, and never read by a decision). Null on a state folded outside the projection.
    /// </summary>
    public AccountSummary? Summary { get; set; }

    [JsonIgnore] // derived from the state, so not stored in the snapshot
    public PriorityTier PriorityTier => Prioritisation?.Tier ?? PriorityTier.Unassessed;

    public Commitment? FindCommitment(Guid commitmentId) => Commitments.Find(c => c.Id == commitmentId);

    public Responsibility? FindResponsibility(Guid responsibilityId) => Responsibilities.Find(r => r.Id == responsibilityId);

    /// <summary>Folds one event into the state; the only way the state changes.</summary>
    public static Account Evolve(Account? state, object @event)
    {
        if (@event is AccountOpened opened)
        {
            return new Account
            {
                Id = opened.AccountId, Name = opened.Name, Industry = opened.Industry, Segment = opened.Segment,
                Currency = opened.Currency, Approach = opened.Approach, Owner = opened.Owner, OpenedAt = opened.OpenedAt
            };
        }

        var account = state ?? throw new InvalidOperationException($"{@event.GetType().Name} before AccountOpened");
        switch (@event)
        {
            case AccountExternalIdLinked e:
                account.ExternalIds[e.System] = e.ExternalId;
                break;
            case AccountDetailsChanged e:
                account.Name = e.Name ?? account.Name;
                account.Industry = e.Industry ?? account.Industry;
                account.Segment = e.Segment ?? account.Segment;
                account.Owner = e.Owner ?? account.Owner;
                break;
            case AccountPrioritised e:
                account.Prioritisation = new Prioritisation(e.AbilityToPay, e.WillingnessToPay, e.Tier, e.Note, e.PrioritisedAt);
                break;
            case ValueCommitted e:
                account.Commitments.Add(ValueLedger.Domain.Commitment.From(e));
                break;
            case CommitmentRevised e:
                account.CommitmentOf(e.CommitmentId).Apply(e);
                break;
            case CommitmentWithdrawn e:
                account.CommitmentOf(e.CommitmentId).Withdrawal = new Withdrawal(e.Reason, e.WithdrawnAt);
                break;
            case MeasurementRecorded e:
                account.CommitmentOf(e.CommitmentId).Apply(e);
                break;
            case MeasurementCorrected e:
                account.CommitmentOf(e.CommitmentId).Measurement(e.MeasurementId).Apply(e);
                break;
            case MeasurementConfirmed e:
                account.CommitmentOf(e.CommitmentId).Measurement(e.MeasurementId).Verifications
                    .Add(new Verification(VerificationState.Confirmed, e.Revision, e.ConfirmedBy, e.Comment, e.ConfirmedAt, e.Signer));
                break;
            case MeasurementDisputed e:
                account.CommitmentOf(e.CommitmentId).Measurement(e.MeasurementId).Verifications
                    .Add(new Verification(VerificationState.Disputed, e.Revision, e.DisputedBy, e.Reason, e.DisputedAt, e.Signer));
                break;
            case MeasurementsWentStale e:
                account.CommitmentOf(e.CommitmentId).Staleness = new Staleness(e.LatestMeasuredPeriodEnd, e.DueBy, e.DetectedAt);
                break;
            case IVerificationEvent e:
                VerificationEvolution.Apply(account, e);
                break;
            case IOutcomeEvent e:
                OutcomeEvolution.Apply(account, e);
                break;
        }

        return account;
    }

    public static Account From(IEnumerable<object> events) => events.Aggregate((Account?)null, Evolve)!;

    private Commitment CommitmentOf(Guid id) =>
        FindCommitment(id) ?? throw new InvalidOperationException($"Unknown commitment {id} in account {Id}");
}

public sealed record Prioritisation(Level AbilityToPay, Level WillingnessToPay, PriorityTier Tier, string? Note, DateTimeOffset At);

public sealed record Withdrawal(string Reason, DateTimeOffset At);

/// <summary>The commitment was found without a fresh measurement: due by <see cref="DueBy"/>.</summary>
public sealed record Staleness(DateOnly? LatestMeasuredPeriodEnd, DateOnly DueBy, DateTimeOffset DetectedAt);
