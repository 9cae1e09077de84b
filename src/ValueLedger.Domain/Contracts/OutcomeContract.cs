using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>The terms of an outcome-based fee, in the contract's currency (fee base, floor and cap).</summary>
public sealed record ContractTerms(
    string Currency, decimal FeeBase, Cadence SettlementPeriod, ShareModel Model, decimal? Rate, IReadOnlyList<ShareBand> Bands,
    decimal? Floor, decimal? Cap)
{
    /// <summary>Value equality including the bands (a record compares lists by reference).</summary>
    public bool SameAs(ContractTerms other) =>
        Currency == other.Currency && FeeBase == other.FeeBase && SettlementPeriod == other.SettlementPeriod && Model == other.Model &&
        Rate == other.Rate && Floor == other.Floor && Cap == other.Cap && Bands.SequenceEqual(other.Bands);

    /// <summary>What makes the terms unusable, if anything (the HTTP edge reports the same rules as field errors).</summary>
    public string? Problem()
    {
        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)) return "currency must be a three-letter ISO 4217 code.";
        if (FeeBase < 0) return "feeBase must not be negative.";
        if (Floor is { } floor && Cap is { } cap && floor > cap) return $"floor ({floor}) must not be above cap ({cap}).";
        switch (Model)
        {
            case ShareModel.SharedSavings:
                if (Rate is not { } rate || rate < 0 || rate > 1) return "sharedSavings needs a rate between 0 and 1.";
                if (Bands.Count > 0) return "sharedSavings takes a rate, not bands.";
                break;
            case ShareModel.Banded:
                if (Rate is not null) return "banded takes bands, not a rate.";
                return BandProblem(Bands);
        }
        return null;
    }

    public static string? BandProblem(IReadOnlyList<ShareBand> bands)
    {
        if (bands.Count == 0) return "banded needs at least one band.";
        for (var i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            if (band.Rate < 0 || band.Rate > 1) return $"band {i + 1}: rate must be between 0 and 1.";
            if (band is { From: { } from, To: { } to } && from >= to) return $"band {i + 1}: from must be below to.";
            if (i == 0) continue;
            var previous = bands[i - 1];
            if (previous.To is not { } previousTo || band.From is not { } start || start < previousTo)
                return $"band {i + 1} overlaps band {i}: list bands in ascending order without overlaps.";
        }
        return null;
    }
}

/// <summary>One version of the contract terms, governing the settlement periods from <see cref="EffectiveFrom"/>.</summary>
public sealed record ContractVersion(int Version, DateOnly EffectiveFrom, ContractTerms Terms, string? Reason, string AgreedBy, DateTimeOffset AgreedAt);

/// <summary>A settlement period and the contract version that governs it.</summary>
public sealed record SettlementPeriod(DateOnly Start, DateOnly End, int ContractVersion);

/// <summary>The contract of an outcome-centric commitment: every version of its terms and every settlement under them.</summary>
public sealed class OutcomeContract
{
    /// <summary>Oldest first; effective dates never go backwards, and on a tie the later version governs.</summary>
    public List<ContractVersion> Versions { get; set; } = [];
    public List<Settlement> Settlements { get; set; } = [];

    [JsonIgnore] // derived from the state, so not stored in the snapshot
    public ContractVersion Current => Versions[^1];

    public ContractVersion? VersionOn(DateOnly day) => Versions.LastOrDefault(v => v.EffectiveFrom <= day);

    public ContractVersion Version(int version) => Versions.Single(v => v.Version == version);

    public Settlement? FindSettlement(Guid id) => Settlements.Find(s => s.Id == id);

    public Settlement? SettlementOf(DateOnly start, DateOnly end) => Settlements.Find(s => s.PeriodStart == start && s.PeriodEnd == end);

    /// <summary>
    /// The settlement periods of the commitment: each version's stretch (until the next version takes effect) cut into
    /// calendar months, quarters or years of its settlement period, the first and last clipped to the commitment.
    /// </summary>
    public IEnumerable<SettlementPeriod> Periods(Commitment commitment)
    {
        for (var i = 0; i < Versions.Count; i++)
        {
            var version = Versions[i];
            var from = Later(version.EffectiveFrom, commitment.PeriodStart);
            var to = i + 1 < Versions.Count ? Versions[i + 1].EffectiveFrom.AddDays(-1) : commitment.PeriodEnd;
            if (to > commitment.PeriodEnd) to = commitment.PeriodEnd;
            if (from > to) continue;
            foreach (var part in CadenceCalendar.Split(from, to, version.Terms.SettlementPeriod))
                yield return new SettlementPeriod(part.Start, part.End, version.Version);
        }
    }

    /// <summary>The last day of any settled period (a change of terms may only take effect after it).</summary>
    [JsonIgnore]
    public DateOnly? LastSettledDay => Settlements.Count == 0 ? null : Settlements.Max(s => s.PeriodEnd);

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>The settlement of one period: every calculated version, and the customer's verdicts on them.</summary>
public sealed class Settlement
{
    public Guid Id { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }

    /// <summary>Version 1 first; a recalculation adds a version and never changes an earlier one.</summary>
    public List<SettlementCalculated> Versions { get; set; } = [];
    public List<SettlementVerdict> Verdicts { get; set; } = [];

    [JsonIgnore]
    public SettlementCalculated Latest => Versions[^1];

    public SettlementVerdict? VerdictOn(int version) => Verdicts.LastOrDefault(v => v.Version == version);

    public SettlementStatus StatusOf(int version) =>
        VerdictOn(version)?.State ?? (Versions.Single(v => v.Version == version).Breakdown.Provisional
            ? SettlementStatus.Provisional
            : SettlementStatus.Calculated);

    [JsonIgnore]
    public SettlementStatus Status => StatusOf(Latest.Version);
}

/// <summary>The customer certified or disputed one version of a settlement.</summary>
public sealed record SettlementVerdict(int Version, SettlementStatus State, string By, string? Comment, DateTimeOffset At);
