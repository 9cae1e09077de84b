namespace ValueLedger.Api.Features.Demo;

/// <summary>How a demo commitment's story unfolds over its measured months.</summary>
public enum DemoStory
{
    /// <summary>Follows the straight path to target, give or take a little.</summary>
    OnTrack,
    /// <summary>Runs well ahead of the path and reaches the target early.</summary>
    Ahead,
    /// <summary>Delivers about half of what the path asks: behind it, so at risk.</summary>
    Lagging,
    /// <summary>Was on track, then nobody measured it for months: stale, so at risk.</summary>
    Stalled,
    /// <summary>On track on paper, but the customer disputes the latest figure: at risk until it is settled.</summary>
    Disputed,
    /// <summary>Re-targeted part way through, with a reason.</summary>
    Revised,
    /// <summary>Withdrawn after a few months, with a reason.</summary>
    Withdrawn
}

/// <summary>A kind of promise a seller makes, with realistic units and money per unit of improvement.</summary>
public sealed record DemoMetric(
    ValueDriver Driver, string Metric, string Unit, Direction Direction, decimal Baseline, decimal Target, decimal UnitValue,
    Cadence Cadence, int Decimals, string BaselineSource, MeasurementSource Source, string EvidencePath);

public sealed record DemoCommitment(DemoMetric Metric, DemoStory Story, int StartedMonthsAgo, int Months, CommitmentOwner Owner, Level Confidence);

public sealed record DemoAccount(
    string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner, string Contact,
    Level AbilityToPay, Level WillingnessToPay, IReadOnlyList<DemoCommitment> Commitments)
{
    public string Domain => new string(Name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray()) + ".example";
}

/// <summary>
/// The demo portfolio: 24 accounts across the three ways of selling value, each with the promises a seller of that
/// kind makes. Dates are relative to the day the demo is loaded, so the history always ends last month.
/// </summary>
public static class DemoPortfolio
{
    // Product-centric: a better resource, valued against the next-best alternative (TCO).
    private static readonly DemoMetric Energy = new(ValueDriver.Cost, "Energy per tonne", "kWh/t", Direction.LowerIsBetter, 520, 455, 1_150, Cadence.Monthly, 1, "Utility invoices 2024", MeasurementSource.Import, "energy/monthly");
    private static readonly DemoMetric Downtime = new(ValueDriver.Cost, "Unplanned downtime", "h/month", Direction.LowerIsBetter, 46, 28, 3_400, Cadence.Monthly, 1, "CMMS work orders", MeasurementSource.System, "cmms/downtime");
    private static readonly DemoMetric SpareParts = new(ValueDriver.Cost, "Spare-parts spend", "k/quarter", Direction.LowerIsBetter, 210, 168, 1_000, Cadence.Quarterly, 0, "AP ledger FY2024", MeasurementSource.Import, "ap/spares");
    private static readonly DemoMetric InventoryDays = new(ValueDriver.Capital, "Inventory days", "days", Direction.LowerIsBetter, 64, 51, 8_500, Cadence.Monthly, 1, "ERP stock report", MeasurementSource.Import, "erp/inventory");

    // Process-centric: the customer runs its process better, with the seller's help and the customer's data.
    private static readonly DemoMetric Yield = new(ValueDriver.Cost, "First-pass yield", "%", Direction.HigherIsBetter, 91.5m, 95.5m, 11_000, Cadence.Monthly, 2, "MES quality report", MeasurementSource.System, "mes/fpy");
    private static readonly DemoMetric OrderToCash = new(ValueDriver.Capital, "Order-to-cash cycle", "days", Direction.LowerIsBetter, 52, 40, 6_800, Cadence.Monthly, 1, "ERP AR ageing", MeasurementSource.Import, "erp/o2c");
    private static readonly DemoMetric Scrap = new(ValueDriver.Cost, "Scrap rate", "%", Direction.LowerIsBetter, 4.8m, 3.1m, 26_000, Cadence.Monthly, 2, "Plant scrap log", MeasurementSource.Manual, "quality/scrap");
    private static readonly DemoMetric Changeover = new(ValueDriver.Revenue, "Changeover time", "min", Direction.LowerIsBetter, 96, 58, 900, Cadence.Monthly, 0, "Shift reports", MeasurementSource.Manual, "ops/changeover");

    // Outcome-centric: the seller runs the process and is paid for the result.
    private static readonly DemoMetric Availability = new(ValueDriver.Revenue, "Line availability", "%", Direction.HigherIsBetter, 91.0m, 97.0m, 17_500, Cadence.Monthly, 2, "SCADA availability log", MeasurementSource.System, "scada/availability");
    private static readonly DemoMetric CostPerUnit = new(ValueDriver.Cost, "Cost per unit", "per unit", Direction.LowerIsBetter, 3.40m, 3.02m, 140_000, Cadence.Monthly, 3, "Cost accounting Q4", MeasurementSource.Import, "finance/cpu");
    private static readonly DemoMetric FleetUptime = new(ValueDriver.Revenue, "Fleet uptime", "%", Direction.HigherIsBetter, 88.5m, 96.0m, 13_000, Cadence.Monthly, 2, "Telematics feed", MeasurementSource.System, "telematics/uptime");
    private static readonly DemoMetric WorkingCapital = new(ValueDriver.Capital, "Consignment stock", "k", Direction.LowerIsBetter, 1_850, 1_420, 95, Cadence.Quarterly, 0, "Balance sheet FY2024", MeasurementSource.Import, "finance/consignment");

    private static DemoCommitment C(DemoMetric metric, DemoStory story, int startedMonthsAgo, int months = 24,
        CommitmentOwner owner = CommitmentOwner.Joint, Level confidence = Level.Medium) =>
        new(metric, story, startedMonthsAgo, months, owner, confidence);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("Nordhafen Foods", "Food processing", "enterprise", "EUR", Approach.ProcessCentric, "maria.lopez", "Anna Berg", Level.High, Level.High,
            [C(Yield, DemoStory.OnTrack, 16), C(Scrap, DemoStory.Ahead, 18, owner: CommitmentOwner.Customer), C(Changeover, DemoStory.OnTrack, 14)]),
        new("Castellan Steel", "Steel", "enterprise", "EUR", Approach.ProductCentric, "jonas.weber", "Marco Bianchi", Level.High, Level.Medium,
            [C(Energy, DemoStory.OnTrack, 20, 36, CommitmentOwner.Seller, Level.High), C(Downtime, DemoStory.Lagging, 15, owner: CommitmentOwner.Seller)]),
        new("Brightwater Utilities", "Water utility", "public", "GBP", Approach.OutcomeCentric, "sam.okafor", "Helen Marsh", Level.Medium, Level.High,
            [C(Availability, DemoStory.OnTrack, 18, 36, CommitmentOwner.Seller, Level.High), C(CostPerUnit, DemoStory.Disputed, 14, 36, CommitmentOwner.Seller)]),
        new("Alpenrad Logistics", "Logistics", "midMarket", "EUR", Approach.OutcomeCentric, "maria.lopez", "Lukas Gruber", Level.Medium, Level.Medium,
            [C(FleetUptime, DemoStory.Ahead, 17, owner: CommitmentOwner.Seller), C(WorkingCapital, DemoStory.OnTrack, 15)]),
        new("Hollis Packaging", "Packaging", "midMarket", "USD", Approach.ProcessCentric, "li.wei", "Dana Hollis", Level.Medium, Level.High,
            [C(Scrap, DemoStory.Lagging, 14), C(OrderToCash, DemoStory.OnTrack, 16, owner: CommitmentOwner.Customer)]),
        new("Vireo Pharma", "Pharmaceuticals", "enterprise", "EUR", Approach.ProcessCentric, "jonas.weber", "Sofia Marin", Level.High, Level.High,
            [C(Yield, DemoStory.OnTrack, 19, 36, confidence: Level.High), C(Changeover, DemoStory.Revised, 18), C(OrderToCash, DemoStory.OnTrack, 13)]),
        new("Kestrel Mining", "Mining", "enterprise", "USD", Approach.ProductCentric, "sam.okafor", "Ray Donovan", Level.Medium, Level.Low,
            [C(Downtime, DemoStory.OnTrack, 20, 36, CommitmentOwner.Seller), C(SpareParts, DemoStory.Stalled, 18, owner: CommitmentOwner.Customer)]),
        new("Lumen Retail Group", "Retail", "enterprise", "EUR", Approach.ProcessCentric, "li.wei", "Claire Dubois", Level.Medium, Level.Medium,
            [C(OrderToCash, DemoStory.Ahead, 15), C(Changeover, DemoStory.Withdrawn, 18)]),
        new("Oakridge Paper", "Pulp and paper", "midMarket", "USD", Approach.ProductCentric, "maria.lopez", "Tom Becker", Level.Low, Level.Medium,
            [C(Energy, DemoStory.Lagging, 16, 36, CommitmentOwner.Seller), C(InventoryDays, DemoStory.OnTrack, 14)]),
        new("Severn Aerospace", "Aerospace", "strategic", "GBP", Approach.OutcomeCentric, "jonas.weber", "Priya Nair", Level.High, Level.High,
            [C(Availability, DemoStory.Ahead, 20, 36, CommitmentOwner.Seller, Level.High), C(CostPerUnit, DemoStory.OnTrack, 18, 36, CommitmentOwner.Seller), C(WorkingCapital, DemoStory.OnTrack, 16)]),
        new("Tidewater Chemicals", "Chemicals", "enterprise", "EUR", Approach.ProductCentric, "sam.okafor", "Erik Lund", Level.High, Level.Medium,
            [C(Energy, DemoStory.OnTrack, 17, 36, CommitmentOwner.Seller), C(SpareParts, DemoStory.OnTrack, 15)]),
        new("Mistral Beverages", "Beverages", "midMarket", "EUR", Approach.ProcessCentric, "li.wei", "Julia Costa", Level.Medium, Level.High,
            [C(Yield, DemoStory.Disputed, 15), C(Scrap, DemoStory.OnTrack, 17)]),
        new("Granite Cement", "Building materials", "enterprise", "EUR", Approach.OutcomeCentric, "maria.lopez", "Pieter de Vries", Level.Medium, Level.Medium,
            [C(CostPerUnit, DemoStory.Lagging, 16, 36, CommitmentOwner.Seller), C(Availability, DemoStory.OnTrack, 14, 36, CommitmentOwner.Seller)]),
        new("Pacific Rim Electronics", "Electronics", "strategic", "USD", Approach.ProcessCentric, "jonas.weber", "Kenji Sato", Level.High, Level.High,
            [C(Yield, DemoStory.Ahead, 18, confidence: Level.High), C(Changeover, DemoStory.OnTrack, 16), C(InventoryDays, DemoStory.OnTrack, 13)]),
        new("Fjordline Seafood", "Food processing", "midMarket", "EUR", Approach.ProductCentric, "sam.okafor", "Ingrid Solberg", Level.Medium, Level.Low,
            [C(Energy, DemoStory.OnTrack, 14), C(Downtime, DemoStory.OnTrack, 13, owner: CommitmentOwner.Seller)]),
        new("Meridian Health Supply", "Healthcare distribution", "enterprise", "USD", Approach.OutcomeCentric, "li.wei", "Grace Kim", Level.High, Level.Medium,
            [C(FleetUptime, DemoStory.OnTrack, 19, 36, CommitmentOwner.Seller), C(WorkingCapital, DemoStory.Lagging, 15)]),
        new("Bergmann Automotive", "Automotive supplier", "strategic", "EUR", Approach.ProcessCentric, "maria.lopez", "Felix Bergmann", Level.High, Level.High,
            [C(Scrap, DemoStory.OnTrack, 20, 36), C(Changeover, DemoStory.Ahead, 17), C(OrderToCash, DemoStory.Stalled, 15)]),
        new("Cobalt Data Centres", "Data centres", "enterprise", "GBP", Approach.OutcomeCentric, "jonas.weber", "Oliver Grant", Level.High, Level.High,
            [C(Availability, DemoStory.OnTrack, 16, 36, CommitmentOwner.Seller, Level.High), C(CostPerUnit, DemoStory.Ahead, 14, 36, CommitmentOwner.Seller)]),
        new("Rivermill Textiles", "Textiles", "smallBusiness", "EUR", Approach.ProductCentric, "sam.okafor", "Elena Rossi", Level.Low, Level.Low,
            [C(Energy, DemoStory.OnTrack, 13), C(InventoryDays, DemoStory.Lagging, 14)]),
        new("Summit Agri Co-op", "Agriculture", "midMarket", "USD", Approach.OutcomeCentric, "li.wei", "Mark Jensen", Level.Medium, Level.Medium,
            [C(FleetUptime, DemoStory.OnTrack, 15), C(CostPerUnit, DemoStory.OnTrack, 13, 24, CommitmentOwner.Seller)]),
        new("Halden Glassworks", "Glass", "midMarket", "EUR", Approach.ProductCentric, "maria.lopez", "Nils Halden", Level.Medium, Level.High,
            [C(Energy, DemoStory.Ahead, 18, 36, CommitmentOwner.Seller), C(SpareParts, DemoStory.OnTrack, 16)]),
        new("Atlas Freight", "Logistics", "enterprise", "USD", Approach.ProcessCentric, "jonas.weber", "Carlos Mendes", Level.Medium, Level.Medium,
            [C(OrderToCash, DemoStory.Lagging, 16), C(Yield, DemoStory.OnTrack, 13)]),
        new("Quayside Breweries", "Beverages", "smallBusiness", "GBP", Approach.ProcessCentric, "sam.okafor", "Fiona Walsh", Level.Low, Level.Medium,
            [C(Scrap, DemoStory.OnTrack, 14), C(Changeover, DemoStory.OnTrack, 13)]),
        new("Polaris Wind Services", "Energy", "strategic", "EUR", Approach.OutcomeCentric, "li.wei", "Sven Aalto", Level.High, Level.High,
            [C(Availability, DemoStory.OnTrack, 20, 36, CommitmentOwner.Seller, Level.High), C(FleetUptime, DemoStory.OnTrack, 17, 36, CommitmentOwner.Seller), C(WorkingCapital, DemoStory.Ahead, 15)])
    ];

    public static readonly string[] CorrectionReasons =
    [
        "The meter export double-counted the night shift.",
        "Late invoices for the month arrived after the report was run.",
        "The plant reclassified rework as scrap after the audit.",
        "The first figure was a month-to-date estimate; this is the closed month.",
        "A sensor outage was filled with zeros instead of being excluded."
    ];

    public static readonly string[] DisputeReasons =
    [
        "Our controller's figure for this month is lower; the seller's report includes a plant we closed.",
        "The availability log counts planned maintenance as uptime.",
        "We do not recognise this baseline for the month; please share the raw export."
    ];
}
