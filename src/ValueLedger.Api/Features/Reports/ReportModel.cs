using System.Globalization;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;
using ValueLedger.Api.Features.Contracts;
using ValueLedger.Api.Features.Verification;

namespace ValueLedger.Api.Features.Reports;

/// <summary>
/// An account's value report as it stood at a moment: the headline figures, each commitment with its chart, the
/// customer's sign-offs (apart from confirmations recorded on the customer's behalf), disputes, corrections and
/// revisions, the gaps, the settlements of outcome contracts, and the receipt of the account's version then, whose
/// hashes and signed checkpoint let a reader check the report with <c>ops/verify</c>.
/// </summary>
public sealed record AccountReport(
    AccountValueView Account, IReadOnlyList<CommitmentReport> Commitments, Receipt? Receipt, DateTimeOffset GeneratedAt,
    string GeneratedBy, bool Live)
{
    /// <summary>At most this many sign-offs and corrections are listed per commitment, newest first; the counts say how many there are.</summary>
    public const int ListedSteps = 60;

    public static AccountReport Of(Account account, AccountValueView view, Receipt? receipt, DateTimeOffset generatedAt, string generatedBy, bool live) =>
        new(view, account.Commitments.Select(c => CommitmentReport.Of(account, c, view.AsOf)).ToList(), receipt, generatedAt, generatedBy, live);
}

public sealed record CommitmentReport(
    CommitmentView View, IReadOnlyList<SignOff> SignOffs, int SignOffCount, IReadOnlyList<CorrectionLine> Corrections, int CorrectionCount,
    IReadOnlyList<SettlementView> Settlements, ReportChart Chart)
{
    public static CommitmentReport Of(Account account, Commitment c, DateTimeOffset asOf)
    {
        var view = CommitmentView.Of(account, c, asOf);
        var signOffs = c.Measurements
            .SelectMany(m => m.Verifications.Select(v => SignOff.Of(m, v)))
            .OrderByDescending(s => s.At).ToList();
        var corrections = c.Measurements
            .SelectMany(m => m.Values.Skip(1).Select(v => new CorrectionLine(m.PeriodStart, m.PeriodEnd, v.Revision,
                m.Values.Last(p => p.Revision < v.Revision).Value, v.Value, v.Reason, v.RecordedBy, v.RecordedAt)))
            .OrderByDescending(x => x.At).ToList();
        var settlements = c.Contract?.Settlements.OrderBy(s => s.PeriodStart).Select(s => SettlementView.Of(account, c, s)).ToList() ?? [];
        return new CommitmentReport(view, signOffs.Take(AccountReport.ListedSteps).ToList(), signOffs.Count,
            corrections.Take(AccountReport.ListedSteps).ToList(), corrections.Count, settlements, ReportChart.Of(view));
    }
}

/// <summary>
/// One step of the customer's sign-off on a measurement. <see cref="OnBehalf"/>: staff recorded a confirmation the
/// customer gave outside the system (shown as such, never as the customer's own).
/// </summary>
public sealed record SignOff(DateOnly PeriodStart, DateOnly PeriodEnd, int Revision, VerificationState State, string By, string? StatedBy,
    string? Comment, DateTimeOffset At)
{
    public bool OnBehalf => State == VerificationState.ConfirmedOnBehalf;

    public static SignOff Of(Measurement m, Domain.Verification v) =>
        new(m.PeriodStart, m.PeriodEnd, v.Revision, v.State, v.Signer?.Name ?? v.By, v.StatedBy, v.Comment, v.At);
}

public sealed record CorrectionLine(DateOnly PeriodStart, DateOnly PeriodEnd, int Revision, decimal From, decimal To, string? Reason, string By,
    DateTimeOffset At);

/// <summary>
/// A commitment's chart as SVG coordinates: the measured values, the path to target and the baseline, over the
/// commitment's period (the view's down-sampled series, so a chart never holds more than its points).
/// </summary>
public sealed record ReportChart(string Measured, string Path, double BaselineY, double TargetY, string Low, string High, int Points)
{
    public const double Width = 640, Height = 200, Pad = 8;

    public static ReportChart Of(CommitmentView view)
    {
        var terms = view.CurrentTerms;
        var values = view.Series.Select(p => (double)p.Value).Concat(view.Series.Select(p => (double)p.PathValue))
            .Append((double)terms.Baseline.Value).Append((double)terms.Target).ToList();
        double low = values.Min(), high = values.Max();
        if (high - low < 1e-9) { low -= 1; high += 1; }
        var start = view.PeriodStart.DayNumber;
        var span = Math.Max(1, view.PeriodEnd.DayNumber - start);
        double X(DateOnly day) => Pad + (Width - 2 * Pad) * Math.Clamp((day.DayNumber - start) / (double)span, 0, 1);
        double Y(double value) => Pad + (Height - 2 * Pad) * (1 - (value - low) / (high - low));
        string Line(Func<SeriesPoint, decimal> of) => string.Join(' ', view.Series.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{X(p.PeriodEnd):0.#},{Y((double)of(p)):0.#}")));
        return new ReportChart(Line(p => p.Value), Line(p => p.PathValue), Y((double)terms.Baseline.Value), Y((double)terms.Target),
            Format(low), Format(high), view.Series.Count);
    }

    private static string Format(double value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);
}
