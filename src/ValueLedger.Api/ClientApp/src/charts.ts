import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type PointStyle,
} from "chart.js";
import { money, number, percent, period } from "./format";
import type { CommitmentView } from "./types";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue("--font").trim() || "system-ui, sans-serif";
Chart.defaults.color = "#475569";
// Charts move only for readers who have not asked for reduced motion.
Chart.defaults.animation = matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 };
Chart.defaults.plugins.legend.labels.boxWidth = 12;
Chart.defaults.plugins.legend.labels.boxHeight = 12;

export const colors = {
  promised: "#94a3b8",
  promisedToDate: "#5b7aa6",
  realized: "#0f766e",
  atRisk: "#c2410c",
  baseline: "#64748b",
  target: "#12355b",
  path: "#7c8fa8",
  measured: "#0f766e",
  confirmed: "#15803d",
  disputed: "#b91c1c",
  unconfirmed: "#475569",
  corrected: "#b45309",
  status: { notStarted: "#cbd5e1", onTrack: "#0f766e", atRisk: "#c2410c", achieved: "#1d4ed8", missed: "#7f1d1d", withdrawn: "#94a3b8" } as Record<string, string>,
};

/** Promised to date against realized, per group (approach, driver), in one currency. */
export function promisedVsRealized(canvas: HTMLCanvasElement, currency: () => string): Chart<"bar"> {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: [],
      datasets: [
        { label: "Promised to date", data: [], backgroundColor: colors.promisedToDate, borderRadius: 3, maxBarThickness: 44 },
        { label: "Realized", data: [], backgroundColor: colors.realized, borderRadius: 3, maxBarThickness: 44 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { beginAtZero: true, ticks: { callback: (value) => money(Number(value), currency()) }, grid: { color: "#e2e8f0" } },
        x: { grid: { display: false } },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${money(Number(item.raw), currency(), false)}`,
            footer: (items) => {
              const [promised, realized] = [Number(items[0]?.raw ?? 0), Number(items[1]?.raw ?? 0)];
              return promised ? `Realization rate ${percent(realized / promised)}` : "";
            },
          },
        },
      },
    },
  });
}

export function statusDoughnut(canvas: HTMLCanvasElement): Chart<"doughnut"> {
  return new Chart(canvas, {
    type: "doughnut",
    data: { labels: [], datasets: [{ data: [], backgroundColor: [], borderWidth: 2, borderColor: "#ffffff" }] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      cutout: "62%",
      plugins: { legend: { position: "right" } },
    },
  });
}

const dayMs = 86_400_000;
const toDay = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / dayMs;
const fromDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

/**
 * A commitment's measurements (each at the end of the period it covers; the view's series, down-sampled to at most
 * 400 points over the whole history) against its baseline, its target and the
 * straight path from one to the other. Marks: ● confirmed by the customer, ○ not yet confirmed, ✕ disputed,
 * ◆ corrected since first recorded.
 */
export function measurementChart(canvas: HTMLCanvasElement, c: CommitmentView): Chart<"line", { x: number; y: number }[]> {
  const points = c.series;
  const measured = points.map((m) => ({ x: toDay(m.periodEnd), y: m.value, m }));
  const styles: PointStyle[] = points.map((m) => (m.verification === "disputed" ? "crossRot" : m.revision > 1 ? "rectRot" : "circle"));
  const pointColors = points.map((m) =>
    m.verification === "disputed" ? colors.disputed : m.revision > 1 ? colors.corrected : m.verification === "confirmed" ? colors.confirmed : "#ffffff");
  const pointBorders = points.map((m) =>
    m.verification === "disputed" ? colors.disputed : m.revision > 1 ? colors.corrected : m.verification === "confirmed" ? colors.confirmed : colors.unconfirmed);
  const start = toDay(c.periodStart);
  const end = toDay(c.periodEnd);
  const baseline = c.revisions[0].baseline.value;
  const path = [{ x: start, y: baseline }, ...points.map((m) => ({ x: toDay(m.periodEnd), y: m.pathValue })), { x: end, y: c.currentTerms.target }]
    .sort((a, b) => a.x - b.x);
  const datasets: ChartDataset<"line", { x: number; y: number }[]>[] = [
    {
      label: "Measured",
      data: measured,
      borderColor: colors.measured,
      backgroundColor: colors.measured,
      borderWidth: 2,
      pointStyle: styles,
      pointBackgroundColor: pointColors,
      pointBorderColor: pointBorders,
      pointBorderWidth: 2,
      pointRadius: points.map((m) => (m.verification === "disputed" || m.revision > 1 ? 6 : points.length > 60 ? 2 : 4)),
      pointHoverRadius: 7,
      tension: 0.15,
    },
    { label: "Path to target", data: path, borderColor: colors.path, borderWidth: 2, borderDash: [6, 4], pointRadius: 0, tension: 0 },
    { label: "Baseline", data: [{ x: start, y: baseline }, { x: end, y: baseline }], borderColor: colors.baseline, borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0 },
    { label: "Target", data: [{ x: start, y: c.currentTerms.target }, { x: end, y: c.currentTerms.target }], borderColor: colors.target, borderWidth: 1.5, pointRadius: 0 },
  ];
  return new Chart<"line", { x: number; y: number }[]>(canvas, {
    type: "line",
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: {
          type: "linear",
          min: start,
          max: end,
          ticks: { maxTicksLimit: 8, callback: (value) => new Date(Number(value) * dayMs).toLocaleDateString("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" }) },
          grid: { color: "#eef2f7" },
        },
        y: { title: { display: true, text: c.unit }, grid: { color: "#eef2f7" }, ticks: { callback: (value) => number(Number(value)) } },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: {
            title: (items) => {
              const point = items[0]?.raw as { m?: CommitmentView["measurements"][number] } | undefined;
              return point?.m ? period(point.m.periodStart, point.m.periodEnd) : fromDay(Number(items[0]?.parsed.x));
            },
            label: (item) => {
              const m = (item.raw as { m: CommitmentView["measurements"][number] }).m;
              const lines = [`Measured ${number(m.value)} ${c.unit} (path ${number(m.figures.pathValue)})`, `Realized ${money(m.figures.realizedValue, c.currency, false)}`];
              if (m.revision > 1) lines.push(`Corrected ${m.revision - 1}×: was ${number(m.history[0].value)}`);
              lines.push(m.verification === "confirmed" ? `Confirmed by ${m.verifiedBy?.by}` : m.verification === "disputed" ? `Disputed by ${m.verifiedBy?.by}` : "Not yet confirmed");
              return lines;
            },
          },
        },
      },
    },
  });
}
