// The shapes of the API contract (docs: ../../../../docs and the OpenAPI document at /openapi/v1.json).

export type Approach = "productCentric" | "processCentric" | "outcomeCentric";
export type Driver = "cost" | "revenue" | "capital";
export type Status = "notStarted" | "onTrack" | "atRisk" | "achieved" | "missed" | "withdrawn";
export type Level = "low" | "medium" | "high";
export type Verification = "unconfirmed" | "confirmed" | "disputed" | "confirmedOnBehalf";
export type Role = "csm" | "executive" | "auditor" | "admin" | "customer";

export interface Figures {
  promisedValue: number;
  promisedToDate: number;
  realizedValue: number;
  realizationRate: number | null;
  atRiskValue: number;
}

/** How much of the elapsed time is measured (weighted by money above a commitment); null when nothing has elapsed. */
export interface Covered {
  coverage?: number | null;
}

/** A commitment's coverage on the view's moment, with the elapsed periods no measurement covers. */
export interface CommitmentCoverage {
  elapsedUntil: string | null;
  elapsedWeight: number;
  measuredWeight: number;
  ratio: number | null;
  promisedElapsed: number;
  unmeasuredCount: number;
  unmeasured: { start: string; end: string }[];
}

export interface CurrencyTotals extends Figures, Covered {
  currency: string;
  accounts: number;
  commitments: number;
  atRiskCommitments: number;
}

export interface Breakdown extends Figures, Covered {
  key: string;
  currency: string;
  commitments: number;
  atRiskCommitments: number;
}

export interface AtRiskCommitment {
  accountId: string;
  accountName: string;
  commitmentId: string;
  metric: string;
  driver: Driver;
  approach: Approach;
  segment: string;
  owner: string;
  currency: string;
  atRiskValue: number;
  promisedValue: number;
  realizedValue: number;
  progress: number | null;
  realizationRate: number | null;
  confidence: Level;
  reason: string;
  lastMeasuredPeriodEnd: string | null;
  coverage?: number | null;
}

export interface PortfolioView {
  asOf: string;
  /** How many account events the figures reflect; higher is newer. */
  position: number;
  accounts: number;
  commitments: number;
  currencies: string[];
  totals: CurrencyTotals[];
  byApproach: Breakdown[];
  byDriver: Breakdown[];
  bySegment: Breakdown[];
  byOwner: Breakdown[];
  byStatus: { status: Status; commitments: number }[];
  atRisk: AtRiskCommitment[];
  /** Gain-share exposure per contract currency: what the open settlement periods would pay now, and the bounds' range (null: open). */
  exposure?: { currency: string; variableAmount: number; floor: number | null; cap: number | null; contracts: number }[];
  /** With ?currency=: the totals converted into that reporting currency. */
  reporting?: ReportingTotals | null;
  /** The rates the converted totals used (asOf: the day each took effect). */
  exchangeRates?: { from: string; to: string; rate: number; source: string; asOf: string }[] | null;
}

/** The portfolio in one reporting currency: each measured period at the rate in force at its end, the rest at the as-of day's. */
export interface ReportingTotals {
  currency: string;
  ratesOn: string;
  promisedValue: number;
  promisedToDate: number;
  realizedValue: number;
  realizationRate: number | null;
  atRiskValue: number;
  coverage: number | null;
  accounts: number;
  commitments: number;
  atRiskCommitments: number;
  exposure: { variableAmount: number; floor: number | null; cap: number | null; contracts: number } | null;
  convertedCurrencies: string[];
  unconverted: { currency: string; commitments: number; missingOn: string; reason: string }[];
}

export interface Gap {
  code: string;
  detail: string;
}

export interface CommitmentSummary extends Figures {
  coverage?: CommitmentCoverage | null;
  id: string;
  metric: string;
  unit: string;
  driver: Driver;
  direction: "higherIsBetter" | "lowerIsBetter";
  approach: Approach;
  status: Status;
  statusReason: string;
  progress: number | null;
  currency: string;
  confidence: Level;
  gaps: Gap[];
  lastMeasuredAt: string | null;
  lastMeasuredPeriodEnd: string | null;
}

export interface AccountView extends Figures, Covered {
  id: string;
  name: string;
  industry: string;
  currency: string;
  approach: Approach;
  segment: string;
  owner: string;
  status: Status;
  promisedToDate: number;
  priorityTier: string;
  /** The account's id in each system of record (staff only; absent from the customer's view). */
  externalIds?: Record<string, string>;
  confidence: Level | null;
  gaps: Gap[];
  commitments: CommitmentSummary[];
  version: number;
  asOf: string;
}

export interface AccountListItem extends Figures {
  id: string;
  name: string;
  industry: string;
  segment: string;
  currency: string;
  approach: Approach;
  owner: string;
  status: Status;
  priorityTier: string;
  commitments: number;
  version: number;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
}

export interface Terms {
  version: number;
  effectiveFrom: string;
  baseline: { value: number; asOf: string; source: string | null };
  target: number;
  unitValue: number;
  periodEnd: string;
  reason: string | null;
  recordedAt: string;
}

export interface MeasuredValue {
  revision: number;
  value: number;
  evidenceUrl: string | null;
  reason: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface VerificationMark {
  state: Verification;
  revision: number;
  by: string;
  comment: string | null;
  at: string;
}

export interface MeasurementView {
  /** Recorded before its period ended: counted in no total until the final figure replaces it. */
  provisional?: boolean;
  id: string;
  commitmentId: string;
  accountId: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  revision: number;
  source: string;
  evidenceUrl: string | null;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
  history: MeasuredValue[];
  verification: Verification;
  verifiedBy: VerificationMark | null;
  verifications: VerificationMark[];
  /** Customer success's answers in the measurement's dispute thread (the customer's own steps are the verifications). */
  comments: ThreadComment[];
  figures: { improvement: number; weight: number; realizedValue: number; promisedValue: number; progress: number; pathValue: number };
}

export interface SeriesPoint {
  id: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  pathValue: number;
  revision: number;
  verification: Verification;
}

export interface ThreadComment {
  revision: number;
  comment: string;
  by: string;
  at: string;
}

export type SettlementStatus = "provisional" | "calculated" | "certified" | "disputed";

export interface SettlementVersionView {
  id: string;
  version: number;
  periodStart: string;
  periodEnd: string;
  currency: string;
  promisedValue: number;
  realizedValue: number;
  performanceRatio: number | null;
  variableAmount: number;
  feeBase: number;
  fee: number;
  status: SettlementStatus;
  calculatedBy: string;
  calculatedAt: string;
  verdict: { version: number; state: SettlementStatus; by: string; comment: string | null; at: string } | null;
}

export interface SettlementView {
  id: string;
  commitmentId: string;
  periodStart: string;
  periodEnd: string;
  latestVersion: number;
  status: SettlementStatus;
  outdated: boolean;
  versions: SettlementVersionView[];
}

export interface SettlementsView {
  accountId: string;
  commitmentId: string;
  settlements: SettlementView[];
  version: number;
}

export interface CommitmentView extends Figures {
  coverage?: CommitmentCoverage | null;
  id: string;
  accountId: string;
  currency: string;
  driver: Driver;
  metric: string;
  unit: string;
  direction: "higherIsBetter" | "lowerIsBetter";
  cadence: "monthly" | "quarterly" | "yearly";
  owner: string;
  approach: Approach;
  periodStart: string;
  periodEnd: string;
  currentTerms: Terms;
  revisions: Terms[];
  /** The newest measurements (at most 100); the rest are pages of GET …/measurements. */
  measurements: MeasurementView[];
  measurementCount: number;
  /** The whole history for a chart, down-sampled to at most 400 points. */
  series: SeriesPoint[];
  progress: number | null;
  promisedImprovement: number;
  status: Status;
  statusReason: string;
  confidence: Level;
  gaps: Gap[];
  lastMeasuredAt: string | null;
  /** Days from the start to the first improvement, the target and payback (where an investment is known). */
  timeToValue?: TimeToValue;
  withdrawal: { reason: string; at: string } | null;
  /** The outcome-based contract of an outcome-centric commitment, once terms are agreed. */
  contract: unknown | null;
  version: number;
}

export interface HistoryEntry {
  sequence: number;
  version: number;
  type: string;
  data: unknown;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
}

export interface CommitmentAtRiskMessage {
  accountId: string;
  accountName: string;
  commitmentId: string;
  metric: string;
  reason: string;
  currency: string;
  atRiskValue: number;
  version: number;
}

export interface CommitmentMissedMessage {
  accountId: string;
  accountName: string;
  commitmentId: string;
  metric: string;
  reason: string;
  currency: string;
  missedValue: number;
  version: number;
}

export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Record<string, string[]>;
}

export interface TimeToValue {
  firstImprovementOn: string | null;
  daysToFirstImprovement: number | null;
  targetReachedOn: string | null;
  daysToTarget: number | null;
  paybackOn?: string | null;
  daysToPayback?: number | null;
  investment?: number | null;
  investmentSource?: string | null;
}
