namespace ValueLedger.Domain;

/// <summary>Turns a commitment's state into its figures, status and confidence.</summary>
public static class CommitmentValuation
{
    /// <summary>
    /// The commitment's figures. With <paramref name="today"/> (a view read for a moment) they include its coverage on
    /// that day, the unmeasured periods as a gap, and a confidence that is not high while coverage is below 1; without it
    /// (what is stored, which must not depend on the clock) they do not.
    /// </summary>
    public static CommitmentFigures Evaluate(Commitment commitment, DateOnly? today = null)
    {
        var all = commitment.InPeriodOrder().Select(m => ValueMath.Figures(commitment, m)).ToList();
        // A provisional figure (its period had not ended) is shown but counts in no total, status or time to value.
        var measurements = all.Where(f => !commitment.Measurement(f.MeasurementId).Provisional).ToList();
        var latest = measurements.MaxBy(m => m.PeriodEnd);
        var promisedValue = ValueMath.PromisedValue(commitment);
        var promisedToDate = measurements.Sum(m => m.PromisedValue);
        var realized = measurements.Sum(m => m.RealizedValue);
        var (status, reason) = StatusOf(commitment, latest);
        var coverage = today is { } day ? Coverage.Of(commitment, day) : null;
        var gaps = GapsOf(commitment);
        if (coverage is not null && Coverage.GapOf(coverage) is { } unmeasured) gaps = [.. gaps, unmeasured];
        var confidence = ConfidenceOf(gaps);
        if (confidence == Level.High && coverage?.Ratio is < 1m) confidence = Level.Medium;

        return new CommitmentFigures(
            commitment.Id,
            Progress: latest?.Progress,
            LatestImprovement: latest?.Improvement,
            PromisedImprovement: commitment.CurrentTerms.PromisedImprovement(commitment.Direction),
            PromisedValue: promisedValue,
            PromisedToDate: promisedToDate,
            RealizedValue: realized,
            RealizationRate: promisedToDate == 0 ? null : realized / promisedToDate,
            AtRiskValue: status == CommitmentStatus.AtRisk ? Math.Max(0, promisedValue - Math.Max(0, realized)) : 0,
            Status: status,
            StatusReason: reason,
            Confidence: confidence,
            Gaps: gaps,
            LastMeasuredAt: commitment.Measurements.Count == 0 ? null : commitment.Measurements.Max(m => m.Current.RecordedAt),
            LastMeasuredPeriodEnd: latest?.PeriodEnd,
            TimeToValue: TimeToValueOf(commitment, measurements),
            Measurements: all,
            Coverage: coverage);
    }

    /// <summary>
    /// The rules, in order: withdrawn; not started; disputed or stale data puts it at risk whatever the numbers say;
    /// target reached; period over without the target; behind the straight path by more than the tolerance; on track.
    /// </summary>
    public static (CommitmentStatus, string) StatusOf(Commitment commitment, MeasurementFigures? latest)
    {
        if (commitment.Withdrawal is { } withdrawal)
            return (CommitmentStatus.Withdrawn, $"Withdrawn: {withdrawal.Reason}");
        if (Accountability.StatusOf(commitment, latest) is { } accountable)
            return accountable;
        if (latest is null)
            return commitment.IsStale
                ? (CommitmentStatus.AtRisk, $"No measurement recorded; one was due by {commitment.Staleness!.DueBy:O}.")
                : (CommitmentStatus.NotStarted, "No measurement recorded yet.");

        var latestMeasurement = commitment.Measurement(latest.MeasurementId);
        if (latestMeasurement.VerificationState == VerificationState.Disputed)
            return (CommitmentStatus.AtRisk, $"The latest measurement ({latest.PeriodStart:O}..{latest.PeriodEnd:O}) is disputed by {latestMeasurement.CurrentVerification!.By}.");
        if (commitment.IsStale)
            return (CommitmentStatus.AtRisk, $"Stale: last measured for the period ending {latest.PeriodEnd:O}; a newer measurement was due by {commitment.Staleness!.DueBy:O}.");
        if (latest.Progress >= 1)
            return (CommitmentStatus.Achieved, $"Target reached in the period ending {latest.PeriodEnd:O}.");
        if (latest.PeriodEnd >= commitment.PeriodEnd)
            return (CommitmentStatus.Missed, $"The period ended with {latest.Progress:P0} of the promised improvement.");

        var expected = ValueMath.ExpectedProgress(commitment, latest.PeriodEnd);
        var actual = latest.Improvement / commitment.TermsOn(latest.PeriodStart).PromisedImprovement(commitment.Direction);
        if (expected - actual > commitment.RiskTolerance)
            return (CommitmentStatus.AtRisk,
                $"Behind the path to target: {actual:P0} of the promised improvement by {latest.PeriodEnd:O}, where the straight path is at {expected:P0} (tolerance {commitment.RiskTolerance:P0}).");
        return (CommitmentStatus.OnTrack, $"{actual:P0} of the promised improvement by {latest.PeriodEnd:O}; the path is at {expected:P0}.");
    }

    public static IReadOnlyList<Gap> GapsOf(Commitment commitment)
    {
        var gaps = new List<Gap>();
        if (string.IsNullOrWhiteSpace(commitment.CurrentTerms.Baseline.Source))
            gaps.Add(new Gap(GapCode.NoBaselineSource, "The baseline has no stated source."));
        var counted = commitment.Measurements.Where(m => !m.Provisional).ToList();
        var count = counted.Count;
        if (count == 0)
        {
            gaps.Add(new Gap(GapCode.NoMeasurement, "Nothing has been measured yet: realized value is unknown, not zero."));
        }
        if (commitment.IsStale)
            gaps.Add(new Gap(GapCode.Stale, $"No measurement newer than {commitment.Staleness!.LatestMeasuredPeriodEnd?.ToString("O") ?? "the start"}; one was due by {commitment.Staleness.DueBy:O}."));
        if (count == 0) return gaps;

        var selfReported = counted.Count(m => m.Source == MeasurementSource.Manual && string.IsNullOrWhiteSpace(m.EvidenceUrl));
        if (selfReported > 0)
            gaps.Add(new Gap(GapCode.SelfReportedWithoutEvidence, $"{selfReported} of {count} measurements were entered by hand without evidence."));
        var disputed = counted.Count(m => m.VerificationState == VerificationState.Disputed);
        if (disputed > 0)
            gaps.Add(new Gap(GapCode.Disputed, $"{disputed} of {count} measurements are disputed by the customer."));
        var unconfirmed = counted.Count(m => m.VerificationState == VerificationState.Unconfirmed);
        if (unconfirmed > 0)
            gaps.Add(new Gap(GapCode.Unconfirmed, $"{unconfirmed} of {count} measurements are not confirmed by the customer."));
        var onBehalf = counted.Count(m => m.VerificationState == VerificationState.ConfirmedOnBehalf);
        if (onBehalf > 0)
            gaps.Add(new Gap(GapCode.ConfirmedOnBehalf, $"{onBehalf} of {count} measurements are confirmed only by staff on the customer's behalf."));
        return gaps;
    }

    /// <summary>High only with no gap at all; low when the claim is contested or has nothing to stand on; medium otherwise.</summary>
    public static Level ConfidenceOf(IReadOnlyList<Gap> gaps)
    {
        if (gaps.Count == 0) return Level.High;
        if (gaps.Count >= 3 || gaps.Any(g => g.Code is GapCode.Disputed or GapCode.NoMeasurement or GapCode.NoBaselineSource))
            return Level.Low;
        return Level.Medium;
    }

    private static TimeToValue TimeToValueOf(Commitment commitment, IReadOnlyList<MeasurementFigures> inPeriodOrder)
    {
        var firstImprovement = inPeriodOrder.FirstOrDefault(m => m.Improvement > 0)?.PeriodEnd;
        var targetReached = inPeriodOrder.FirstOrDefault(m => m.Progress >= 1)?.PeriodEnd;
        var payback = Payback.Of(commitment, inPeriodOrder);
        return new TimeToValue(
            firstImprovement, firstImprovement is { } f ? CadenceCalendar.Days(commitment.PeriodStart, f) : null,
            targetReached, targetReached is { } t ? CadenceCalendar.Days(commitment.PeriodStart, t) : null)
        {
            PaybackOn = payback.On, DaysToPayback = payback.On is { } p ? CadenceCalendar.Days(commitment.PeriodStart, p) : null,
            Investment = payback.Investment, InvestmentSource = payback.Source
        };
    }
}
