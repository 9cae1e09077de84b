namespace ValueLedger.Domain;

/// <summary>The three ways of selling value (Keränen, Terho and Saurama).</summary>
public enum Approach { ProductCentric, ProcessCentric, OutcomeCentric }

/// <summary>Where in the customer's profit formula the value lands.</summary>
public enum ValueDriver { Cost, Revenue, Capital }

public enum Direction { HigherIsBetter, LowerIsBetter }

/// <summary>How often the committed metric is measured; cadence periods are calendar aligned.</summary>
public enum Cadence { Monthly, Quarterly, Yearly }

/// <summary>Who owns delivery of a commitment.</summary>
public enum CommitmentOwner { Seller, Customer, Joint }

/// <summary>A three-step scale used for estimate confidence, realized-claim confidence and ability/willingness to pay.</summary>
public enum Level { Low, Medium, High }

public enum MeasurementSource { Manual, Import, System }

public enum CommitmentStatus { NotStarted, OnTrack, AtRisk, Achieved, Missed, Withdrawn }

/// <summary><see cref="ConfirmedOnBehalf"/>: staff recorded a statement the customer made outside the system; never the customer's own confirmation.</summary>
public enum VerificationState { Unconfirmed, Confirmed, Disputed, ConfirmedOnBehalf }

/// <summary>
/// Priority of an account for value-based selling, from its ability and willingness to pay for value
/// (the article's step 4: not every customer will pay for value).
/// </summary>
public enum PriorityTier { ValuePartner, ValueProspect, Selective, PriceBuyer, Unassessed }
