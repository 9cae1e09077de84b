using System.Globalization;

namespace ValueLedger.Api.Features.Reports;

/// <summary>How reports write figures, moments and the domain's words (shared by the account and portfolio reports).</summary>
public static class ReportFormat
{
    // The app runs in globalization-invariant mode: the invariant culture groups thousands with commas and uses a decimal point.
    public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    public static string Money(decimal value, string currency) => $"{value.ToString("#,##0", Culture)} {currency}";
    public static string Number(decimal value) => value.ToString("#,##0.####", Culture);
    public static string Rate(decimal? rate) => rate is { } r ? r.ToString("0.0%", Culture) : "n/a";
    public static string Dim(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    public static string Moment(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    public static string Period(DateOnly start, DateOnly end) => start == end ? start.ToString("yyyy-MM-dd") : $"{start:yyyy-MM-dd} to {end:yyyy-MM-dd}";
    public static string Status(CommitmentStatus status) => status switch
    {
        CommitmentStatus.NotStarted => "not started", CommitmentStatus.OnTrack => "on track", CommitmentStatus.AtRisk => "at risk",
        _ => status.ToString().ToLowerInvariant()
    };
    public static string Approach(Approach approach) => approach switch
    {
        Domain.Approach.ProductCentric => "product-centric", Domain.Approach.ProcessCentric => "customer-process-centric", _ => "outcome-centric"
    };
    public static string Driver(ValueDriver driver) => driver.ToString().ToLowerInvariant();
    public static string SignOffStep(VerificationState state) => state switch
    {
        VerificationState.Confirmed => "confirmed", VerificationState.Disputed => "disputed",
        VerificationState.ConfirmedOnBehalf => "confirmation on behalf", _ => "unconfirmed"
    };
    /// <summary>
    /// Time to value in words: the first improvement, the target reached and payback, each with its day and the days
    /// from the start; payback not yet reached says how much of the investment is realized. Null when nothing is known.
    /// </summary>
    public static string? TimeToValueText(TimeToValue t, decimal realized, string currency)
    {
        var parts = new List<string>();
        if (t.FirstImprovementOn is { } first) parts.Add($"first improvement by {first:yyyy-MM-dd} ({t.DaysToFirstImprovement} days)");
        if (t.TargetReachedOn is { } target) parts.Add($"target reached by {target:yyyy-MM-dd} ({t.DaysToTarget} days)");
        if (t.Investment is { } investment)
        {
            var against = $"the investment of {Money(investment, currency)}{(t.InvestmentSource is { } source ? $" ({source})" : "")}";
            parts.Add(t.PaybackOn is { } payback
                ? $"paid back {against} by {payback:yyyy-MM-dd} ({t.DaysToPayback} days)"
                : $"not yet paid back: {Money(Math.Max(0, realized), currency)} of {against} realized");
        }
        return parts.Count == 0 ? null : "Time to value: " + string.Join("; ", parts) + ".";
    }

    public static string Gap(GapCode code) => code switch
    {
        GapCode.NoBaselineSource => "no baseline source", GapCode.NoMeasurement => "no measurement", GapCode.Stale => "stale",
        GapCode.SelfReportedWithoutEvidence => "self-reported without evidence", GapCode.Unconfirmed => "unconfirmed",
        GapCode.Disputed => "disputed", GapCode.ConfirmedOnBehalf => "confirmed on behalf", GapCode.Unmeasured => "unmeasured periods",
        _ => code.ToString()
    };
}
