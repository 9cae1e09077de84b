import { h } from "./dom";
import { percent, statusNames } from "./format";
import type { Status } from "./types";

export function statusBadge(status: Status): HTMLElement {
  return h("span", { class: `badge badge-${status}` }, statusNames[status] ?? status);
}

/** A progress bar with its value in words for screen readers. */
export function progressBar(value: number | null, label: string): HTMLElement {
  const shown = value === null ? 0 : Math.max(0, Math.min(1, value));
  const bar = h("span", { class: "bar" });
  bar.style.width = `${(shown * 100).toFixed(1)}%`;
  return h("span", { class: "progress", role: "img", "aria-label": `${label}: ${percent(value)}` },
    h("span", { class: "track" }, bar), h("span", { class: "progress-value", "aria-hidden": "true" }, percent(value)));
}

export interface Kpi {
  id: string;
  label: string;
  value: string;
  hint?: string;
  tone?: "good" | "warn" | "bad" | "neutral";
  /** The exact figure behind the formatted value (for tests and tools reading the page). */
  raw?: number | null;
}

export function kpiCard(kpi: Kpi): HTMLElement {
  return h("div", { class: `kpi kpi-${kpi.tone ?? "neutral"}`, "data-kpi": kpi.id },
    h("div", { class: "kpi-label" }, kpi.label),
    h("div", { class: "kpi-value", "data-testid": `kpi-${kpi.id}`, "data-value": kpi.raw ?? null }, kpi.value),
    kpi.hint ? h("div", { class: "kpi-hint" }, kpi.hint) : null);
}

/** Replaces the KPI cards, marking the ones whose value changed so the eye catches a live update. */
export function renderKpis(container: HTMLElement, kpis: Kpi[]): void {
  const before = new Map([...container.querySelectorAll<HTMLElement>("[data-kpi]")].map((card) => [card.dataset.kpi!, card.querySelector(".kpi-value")?.textContent]));
  container.replaceChildren(...kpis.map((kpi) => {
    const card = kpiCard(kpi);
    if (before.size > 0 && before.get(kpi.id) !== undefined && before.get(kpi.id) !== kpi.value) card.classList.add("changed");
    return card;
  }));
}

export function rateTone(rate: number | null): Kpi["tone"] {
  if (rate === null) return "neutral";
  return rate >= 0.85 ? "good" : rate >= 0.6 ? "warn" : "bad";
}

export function section(title: string, id: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

export function emptyState(text: string): HTMLElement {
  return h("p", { class: "empty" }, text);
}

export function errorBox(error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return h("div", { class: "alert alert-error", role: "alert" }, message);
}

export function toast(title: string, body: string, href?: string): void {
  const region = document.getElementById("toasts");
  if (!region) return;
  const item = h("div", { class: "toast", role: "status" },
    h("strong", {}, title), h("span", {}, body), href ? h("a", { href }, "Open") : null,
    h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", onclick: () => item.remove() }, "×"));
  region.prepend(item);
  while (region.children.length > 4) region.lastElementChild?.remove();
  window.setTimeout(() => item.remove(), 12000);
}
