namespace ValueLedger.Domain;

/// <summary>Either <see cref="Cadence"/> with <see cref="DueDayOfPeriod"/> (recurring) or <see cref="DueAt"/> (once).</summary>
public sealed record AssignResponsibility(
    Party Party, string Description, Guid? CommitmentId, Cadence? Cadence, int? DueDayOfPeriod, DateTimeOffset? DueAt);

public sealed record FulfilResponsibility(DateOnly? PeriodStart, DateOnly? PeriodEnd, string? Note);

public static class ResponsibilityDecisions
{
    public static Decision Assign(Account account, Guid responsibilityId, AssignResponsibility command, string by, DateTimeOffset now)
    {
        Commitment? commitment = null;
        if (command.CommitmentId is { } commitmentId)
        {
            commitment = account.FindCommitment(commitmentId);
            if (commitment is null) return Decision.NotFound("Commitment", commitmentId);
            if (commitment.IsWithdrawn) return CommitmentDecisions.Withdrawn(commitment);
        }
        var recurring = command is { Cadence: not null, DueDayOfPeriod: not null, DueAt: null };
        var once = command is { Cadence: null, DueDayOfPeriod: null, DueAt: not null };
        if (!recurring && !once)
            return Decision.Unprocessable("Recurring or once", "Give cadence with dueDayOfPeriod for a recurring responsibility, or dueAt for one that is due once.");
        if (command.DueDayOfPeriod is < 1) return Decision.Unprocessable("No such day", "dueDayOfPeriod counts from 1, the first day of the period.");
        if (command.DueAt is { } dueAt && dueAt <= now)
            return Decision.Unprocessable("Due in the past", $"dueAt {dueAt:O} has passed; a responsibility is assigned for what is still to be done.");

        var assigned = new ResponsibilityAssigned(responsibilityId, command.Party, command.Description.Trim(), command.CommitmentId,
            command.Cadence, command.DueDayOfPeriod, command.DueAt, by, now);
        if (ResponsibilitySchedule.NextAfter(Responsibility.From(assigned), commitment, now) is null)
            return Decision.Unprocessable("Nothing left to be due",
                $"The commitment's period ends on {commitment!.PeriodEnd:O}; no occurrence of this responsibility would fall due after now.");
        return Decision.Accept(assigned);
    }

    /// <summary>
    /// A recurring responsibility is fulfilled for the occurrences whose periods the fulfilment covers whole (in advance,
    /// on time or late); a late one leaves the miss on record and notes the late delivery.
    /// </summary>
    public static Decision Fulfil(Account account, Guid responsibilityId, Guid fulfilmentId, FulfilResponsibility command, string by, DateTimeOffset now)
    {
        if (account.FindResponsibility(responsibilityId) is not { } responsibility) return Decision.NotFound("Responsibility", responsibilityId);
        var commitment = CommitmentOf(account, responsibility);
        var fulfilment = new ResponsibilityFulfilled(responsibilityId, fulfilmentId, command.PeriodStart, command.PeriodEnd,
            string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(), by, now);

        if (!responsibility.IsRecurring)
            return responsibility.Fulfilments.Count > 0
                ? Decision.Reject(new Rejection(RejectionKind.Conflict, "Already fulfilled",
                    $"This one-off responsibility was fulfilled on {responsibility.Fulfilments[0].At:O} by {responsibility.Fulfilments[0].By}."))
                : Decision.Accept(fulfilment);

        if (command is not { PeriodStart: { } start, PeriodEnd: { } end })
            return Decision.Unprocessable("Which period", "A recurring responsibility is fulfilled for a period: give periodStart and periodEnd.");
        var asFulfilment = new Fulfilment(fulfilmentId, start, end, null, by, now);
        var occurrences = ResponsibilitySchedule.Occurrences(responsibility, commitment).TakeWhile(o => o.PeriodStart <= end).ToList();
        var covered = occurrences.Where(o => responsibility.Covers(asFulfilment, o.PeriodStart, o.PeriodEnd)).ToList();
        if (covered.Count == 0)
        {
            var near = occurrences.Find(o => o.PeriodStart <= start && start <= o.PeriodEnd) ?? occurrences.LastOrDefault();
            return Decision.Unprocessable("Covers no period of the responsibility",
                $"{start:O}..{end:O} covers no whole {ContractDecisions.Camel(responsibility.Cadence!.Value)} period in which the responsibility falls due" +
                (near is null ? "." : $"; for example {near.PeriodStart:O}..{near.PeriodEnd:O}."));
        }
        if (covered.All(responsibility.IsFulfilled))
            return Decision.Reject(new Rejection(RejectionKind.Conflict, "Already fulfilled",
                $"Every period in {start:O}..{end:O} is already fulfilled."));
        return Decision.Accept(fulfilment);
    }

    /// <summary>
    /// The scheduled check: every occurrence whose due time has come without a fulfilment in time, and that is not yet
    /// recorded as missed, becomes missed now (catching up on all of them if checks were late).
    /// </summary>
    public static Decision Check(Account account, Guid responsibilityId, DateTimeOffset now)
    {
        if (account.FindResponsibility(responsibilityId) is not { } responsibility) return Decision.NotFound("Responsibility", responsibilityId);
        var missed = ResponsibilitySchedule.DueBy(responsibility, CommitmentOf(account, responsibility), now)
            .Where(o => !responsibility.IsFulfilledInTime(o) && !responsibility.IsMissed(o))
            .Select(o => (object)new ResponsibilityMissed(responsibilityId, o.PeriodStart, o.PeriodEnd, o.DueAt, now))
            .ToArray();
        return Decision.Accept(missed);
    }

    public static Commitment? CommitmentOf(Account account, Responsibility responsibility) =>
        responsibility.CommitmentId is { } id ? account.FindCommitment(id) : null;
}
