using ValueLedger.Api.Features.Audit.Checkpoints;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features.Reports;

/// <summary>
/// The portfolio's value report as it stood at a moment: the figures of <see cref="PortfolioView"/> for that moment
/// (per currency, never added across currencies), the breakdowns, the at-risk commitments, a register of the accounts
/// with the version each figure reflects, and the latest signed checkpoint of the ledger, against which each account's
/// history (and so its line here) can be checked with <c>ops/verify</c>.
/// </summary>
public sealed record PortfolioReport(
    PortfolioView View, IReadOnlyList<AccountSummary> Accounts, SignedCheckpoint? Checkpoint, DateTimeOffset GeneratedAt, string GeneratedBy,
    bool Live)
{
    /// <summary>At most this many accounts are listed in the register, and this many at-risk commitments; the counts say how many there are.</summary>
    public const int ListedAccounts = 500, ListedAtRisk = 50;

    public static PortfolioReport Of(PortfolioView view, IReadOnlyList<AccountSummary> summaries, SignedCheckpoint? checkpoint,
        DateTimeOffset generatedAt, string generatedBy, bool live) =>
        new(view,
            summaries.OrderBy(a => a.Currency, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id)
                .Take(ListedAccounts).ToList(),
            checkpoint, generatedAt, generatedBy, live);
}
