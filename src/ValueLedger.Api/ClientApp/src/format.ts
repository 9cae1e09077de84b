import type { Approach, Driver, Status } from "./types";

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Money in its own currency, compact above a hundred thousand (€1.2M) so headline figures stay readable. */
export function money(value: number, currency: string, compact = true): string {
  if (!/^[A-Z]{3}$/.test(currency)) return number(value, 0);
  const key = `${currency}:${compact && Math.abs(value) >= 100_000}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", {
      style: "currency",
      currency,
      notation: compact && Math.abs(value) >= 100_000 ? "compact" : "standard",
      maximumFractionDigits: compact && Math.abs(value) >= 100_000 ? 2 : 0,
    });
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** Coverage beside a realization rate: how much of the elapsed time the rate stands on. */
export function coverageText(coverage: number | null | undefined): string {
  return coverage === null || coverage === undefined ? "nothing elapsed yet" : `coverage ${percent(coverage)} of elapsed periods`;
}

export function number(value: number, digits = 2): string {
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }).format(value);
}

export function date(value: string | null | undefined): string {
  if (!value) return "–";
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function month(value: string): string {
  const [year, monthNumber] = value.slice(0, 7).split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber - 1, 1)).toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
}

export function period(start: string, end: string): string {
  if (start === end) return date(start);
  const [sy, sm, sd] = start.split("-").map(Number);
  const [ey, em, ed] = end.split("-").map(Number);
  const endsMonth = new Date(Date.UTC(ey, em, 0)).getUTCDate() === ed;
  if (sd === 1 && endsMonth && sy === ey && sm % 3 === 1 && em === sm + 2) return `Q${(sm + 2) / 3} ${sy}`;
  if (sd === 1 && endsMonth && sy === ey && sm === 1 && em === 12) return String(sy);
  const startDay = start.slice(8, 10);
  const endDate = new Date(`${end}T00:00:00Z`);
  const lastOfMonth = new Date(Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, 0)).getUTCDate();
  if (startDay === "01" && start.slice(0, 7) === end.slice(0, 7) && endDate.getUTCDate() === lastOfMonth) return month(start);
  return `${date(start)} – ${date(end)}`;
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return "–";
  return new Date(value).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

export const approachNames: Record<Approach, string> = {
  productCentric: "Product-centric",
  processCentric: "Process-centric",
  outcomeCentric: "Outcome-centric",
};

export const driverNames: Record<Driver, string> = { cost: "Cost", revenue: "Revenue", capital: "Capital" };

export const statusNames: Record<Status, string> = {
  notStarted: "Not started",
  onTrack: "On track",
  atRisk: "At risk",
  achieved: "Achieved",
  missed: "Missed",
  withdrawn: "Withdrawn",
};

export function keyName(key: string): string {
  return (approachNames as Record<string, string>)[key] ?? (driverNames as Record<string, string>)[key] ?? humanize(key);
}

/** midMarket → Mid market, maria.lopez → Maria Lopez. */
export function humanize(key: string): string {
  const words = key.replace(/[._-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  if (key.includes(".")) return words.replace(/\b\w/g, (c) => c.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
