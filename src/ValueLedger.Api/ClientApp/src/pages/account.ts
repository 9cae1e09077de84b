import { api } from "../api";
import { currentSession, isStaff, mayWrite } from "../auth";
import { measurementChart } from "../charts";
import { fetchFile, openInNewTab, saveBlob } from "../downloads";
import { h } from "../dom";
import { disputeThread, hasThread } from "../dispute-thread";
import { commitmentForm, detailsForm, importForm, measurementForms, prioritisationForm } from "../editing";
import { approachNames, coverageText, date, dateTime, driverNames, humanize, money, number, percent, period } from "../format";
import { live } from "../live";
import type { AccountView, CommitmentView, MeasurementView } from "../types";
import { errorBox, progressBar, rateTone, renderKpis, statusBadge } from "../ui";
import { contactsPanel } from "./contacts";

/** One account: its figures, and each commitment with its progress, its measurements against the path, corrections and verification. */
export function accountPage(main: HTMLElement, params: Record<string, string>): () => void {
  const accountId = params.id;
  let version = 0;
  let charts: { destroy(): void }[] = [];
  const head = h("div", { class: "page-head" });
  const kpis = h("div", { class: "kpis" });
  const list = h("div", { class: "commitments" });
  const failure = h("div");
  const writes = mayWrite(currentSession());
  let current: AccountView | null = null;
  // Staff look back: the account as it stood at a version or a moment (null: live). Live pushes wait meanwhile.
  let past: { query: string; label: string } | null = null;
  let liveVersion = 0;
  const timeTravel = isStaff(currentSession()) ? asOfControl() : null;
  // Forms are made once per commitment and moved into each redraw, so a live push never loses what is typed.
  const forms = new Map<string, ReturnType<typeof measurementForms>>();
  const formsOf = (c: CommitmentView) => {
    let made = forms.get(c.id);
    if (!made) forms.set(c.id, made = measurementForms(accountId, c.id, load));
    made.update(c);
    return made.element;
  };
  const prioritise = writes ? prioritisationForm(accountId, load) : null;
  const editDetails = writes ? detailsForm(accountId, () => current, load) : null;
  main.append(h("div", { class: "page" }, head, timeTravel?.element ?? null, failure, h("div", { class: "kpis-wrap" }, kpis), list,
    writes ? h("section", { class: "panel", "aria-label": "New commitment" }, commitmentForm(() => current, load)) : null,
    writes ? h("section", { class: "panel", "aria-label": "Import measurements" }, importForm(accountId, load)) : null,
    isStaff(currentSession()) ? contactsPanel(accountId) : null));

  async function load(): Promise<void> {
    try {
      const suffix = past ? `?${past.query}` : "";
      const account = await api.get<AccountView>(`/api/accounts/${accountId}${suffix}`);
      const commitments = await Promise.all(account.commitments.map((c) => api.get<CommitmentView>(`/api/accounts/${accountId}/commitments/${c.id}${suffix}`)));
      if (!past) {
        if (account.version < version) return;
        version = account.version;
        liveVersion = account.version;
        current = account;
      }
      failure.replaceChildren();
      timeTravel?.update();
      draw(account, commitments);
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  // The report as the account stands now: the printable page in a new tab, or its PDF as a file.
  async function report(format: "html" | "pdf"): Promise<void> {
    const url = `/api/accounts/${accountId}/report?format=${format}`;
    try {
      if (format === "html") await openInNewTab(() => fetchFile(url, "The value report"));
      else saveBlob(await fetchFile(url, "The PDF report"), `value-report-${accountId}.pdf`);
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  function draw(account: AccountView, commitments: CommitmentView[]): void {
    document.title = `${account.name} · ValueLedger`;
    const session = currentSession();
    head.replaceChildren(
      h("div", {},
        isStaff(session) ? h("a", { class: "back", href: "#/accounts" }, "← Accounts") : null,
        h("h1", {}, account.name, " ", statusBadge(account.status)),
        h("p", { class: "subtle", "data-testid": "account-facts" }, [account.industry, humanize(account.segment), approachNames[account.approach], `owner ${humanize(account.owner)}`, `priority: ${humanize(account.priorityTier)}`,
          ...Object.entries(account.externalIds ?? {}).map(([system, id]) => `${system} ${id}`)].join(" · "))),
      h("div", { class: "page-tools" },
        h("a", { class: "button", href: `#/accounts/${accountId}/verify` }, session?.role === "customer" ? "Confirm figures" : "Customer view"),
        isStaff(session) ? h("a", { class: "button", href: `#/accounts/${accountId}/history` }, "History") : null,
        h("button", { type: "button", class: "button", "data-testid": "report-html", onclick: () => void report("html") }, "Value report"),
        h("button", { type: "button", class: "button", "data-testid": "report-pdf", onclick: () => void report("pdf") }, "PDF")),
      ...(prioritise ? [h("div", { class: "head-forms" }, editDetails, prioritise)] : []));
    const c = account.currency;
    renderKpis(kpis, [
      { id: "promised", label: "Promised value", value: money(account.promisedValue, c) },
      { id: "promised-to-date", label: "Promised to date", value: money(account.promisedToDate, c) },
      { id: "realized", label: "Realized value", value: money(account.realizedValue, c), tone: "good" },
      { id: "rate", label: "Realization rate", value: percent(account.realizationRate), tone: rateTone(account.realizationRate), hint: coverageText(account.coverage) },
      { id: "at-risk", label: "At-risk value", value: money(account.atRiskValue, c), tone: account.atRiskValue > 0 ? "bad" : "good" },
      { id: "confidence", label: "Confidence", value: humanize(account.confidence ?? "–"), hint: account.gaps.length ? `${account.gaps.length} gap(s) named below` : "no gaps" },
    ]);
    charts.forEach((chart) => chart.destroy());
    charts = [];
    const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement : null;
    list.replaceChildren(...commitments.map((commitment) => commitmentPanel(commitment)));
    if (focused && list.contains(focused)) focused.focus();
  }

  function commitmentPanel(c: CommitmentView): HTMLElement {
    const canvas = h("canvas", { role: "img", "aria-label": `${c.metric}: measurements against the baseline and the path to target` });
    const terms = c.currentTerms;
    const panel = h("section", { class: "panel commitment", "aria-labelledby": `c-${c.id}`, "data-commitment": c.id },
      h("div", { class: "commitment-head" },
        h("div", {},
          h("h2", { id: `c-${c.id}` }, c.metric, h("span", { class: "unit" }, ` (${c.unit})`)),
          h("p", { class: "subtle small" }, `${driverNames[c.driver]} · ${approachNames[c.approach]} · ${humanize(c.owner)} delivers · ${humanize(c.cadence)}`)),
        statusBadge(c.status)),
      h("div", { class: "commitment-figures" },
        h("div", {}, h("span", { class: "label" }, "Progress"), progressBar(c.progress, `Progress of ${c.metric}`)),
        figure("Promised", money(c.promisedValue, c.currency)),
        figure("Realized", money(c.realizedValue, c.currency)),
        figure("Rate", percent(c.realizationRate)),
        figure("Coverage", percent(c.coverage?.ratio), "coverage"),
        figure("At risk", c.atRiskValue > 0 ? money(c.atRiskValue, c.currency) : "–")),
      h("p", { class: "terms" },
        `From ${number(terms.baseline.value)} ${c.unit} (baseline ${date(terms.baseline.asOf)}${terms.baseline.source ? `, ${terms.baseline.source}` : ""}) to ${number(terms.target)} ${c.unit} `,
        `between ${date(c.periodStart)} and ${date(c.periodEnd)}; ${money(terms.unitValue, c.currency, false)} per ${c.unit} of improvement per period.`),
      h("p", { class: `status-reason status-${c.status}` }, c.statusReason),
      timeToValueLine(c),
      c.revisions.length > 1 ? h("ul", { class: "revisions" }, c.revisions.slice(1).map((r) =>
        h("li", {}, `Revision ${r.version}, from ${date(r.effectiveFrom)}: target ${number(r.target)}, ${money(r.unitValue, c.currency, false)} per unit. `, h("em", {}, r.reason ?? "")))) : null,
      c.measurements.length > 0 ? h("div", { class: "chart chart-wide" }, canvas) : h("p", { class: "empty" }, "Nothing measured yet: realized value is unknown, not zero."),
      c.measurements.length > 0 ? h("p", { class: "marks small" },
        h("span", { class: "mark mark-confirmed" }, "● confirmed"), h("span", { class: "mark mark-unconfirmed" }, "○ not yet confirmed"),
        h("span", { class: "mark mark-disputed" }, "✕ disputed"), h("span", { class: "mark mark-corrected" }, "◆ corrected")) : null,
      c.gaps.length > 0 ? h("ul", { class: "gaps small", "aria-label": "Confidence gaps" }, c.gaps.map((g) => h("li", {}, g.detail))) : null,
      c.measurements.length > 0 ? h("details", { class: "measurements" },
        h("summary", {}, c.measurementCount > c.measurements.length
          ? `${c.measurementCount} measurements (the newest ${c.measurements.length} below)` : `${c.measurementCount} measurements`),
        h("div", { class: "table-wrap", tabindex: 0 }, measurementTable(c))) : null,
      isStaff(currentSession()) ? c.measurements.filter(hasThread).map((m) => disputeThread(c, m, "staff")) : null,
      writes && c.status !== "withdrawn" ? formsOf(c) : null);
    if (c.measurements.length > 0) queueMicrotask(() => charts.push(measurementChart(canvas, c)));
    return panel;
  }

  const off = live.on("accountChanged", (view) => {
    if (view.id !== accountId) return;
    if (view.version > liveVersion) liveVersion = view.version;
    if (!past && view.version > version) void load();
    else timeTravel?.update();
  });

  /** The as-of control: a slider over the account's versions and a moment picker; the page shows the account as it stood then. */
  function asOfControl(): { element: HTMLElement; update(): void } {
    const slider = h("input", { type: "range", min: 1, max: 1, value: 1, step: 1, id: "as-of-version", "aria-describedby": "as-of-state" }) as HTMLInputElement;
    const moment = h("input", { type: "datetime-local", id: "as-of-moment", step: 1 }) as HTMLInputElement;
    const state = h("p", { id: "as-of-state", class: "small", role: "status", "aria-live": "polite", "data-testid": "as-of-state" }, "Live: the account as it stands now.");
    const back = h("button", { type: "button", class: "button", hidden: true, onclick: () => show(null) }, "Back to live") as HTMLButtonElement;
    function show(to: { query: string; label: string } | null): void {
      past = to;
      back.hidden = !to;
      state.textContent = to ? `As it stood ${to.label}. Figures, statuses and gaps are the ledger's then; forms act on the live account.` : "Live: the account as it stands now.";
      panel.classList.toggle("as-of-past", !!to);
      if (!to) version = 0;
      void load();
    }
    slider.addEventListener("change", () => {
      const v = Number(slider.value);
      show(v >= liveVersion ? null : { query: `version=${v}`, label: `at version ${v} of ${liveVersion}` });
    });
    moment.addEventListener("change", () => {
      if (!moment.value) return show(null);
      const at = new Date(moment.value); // the browser's time zone, as the picker shows it
      show({ query: `asOf=${encodeURIComponent(at.toISOString())}`, label: `on ${dateTime(at.toISOString())}` });
    });
    const panel = h("section", { class: "panel as-of", "aria-labelledby": "as-of-title", "data-testid": "as-of" },
      h("h2", { id: "as-of-title" }, "As it stood"),
      h("div", { class: "form-grid" },
        h("div", { class: "field" }, h("label", { for: "as-of-version" }, "Version"), slider),
        h("div", { class: "field" }, h("label", { for: "as-of-moment" }, "Moment"), moment)),
      state, back);
    return {
      element: panel,
      update: () => {
        slider.max = String(Math.max(1, liveVersion));
        if (!past) slider.value = String(liveVersion);
      },
    };
  }
  void load();
  void live.watchAccount(accountId);
  return () => {
    off();
    void live.unwatchAccount(accountId);
    charts.forEach((chart) => chart.destroy());
  };
}

function figure(label: string, value: string, testId?: string): HTMLElement {
  return h("div", { "data-testid": testId }, h("span", { class: "label" }, label), h("span", { class: "value" }, value));
}

function measurementTable(c: CommitmentView): HTMLElement {
  return h("table", { class: "table table-compact" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Period"), h("th", { scope: "col", class: "num" }, "Value"), h("th", { scope: "col", class: "num hide-sm" }, "Path"),
      h("th", { scope: "col", class: "num" }, "Realized"), h("th", { scope: "col" }, "Corrections"), h("th", { scope: "col" }, "Customer"),
      h("th", { scope: "col", class: "hide-sm" }, "Recorded"))),
    h("tbody", {}, [...c.measurements].reverse().map((m) => h("tr", {},
      h("th", { scope: "row" }, period(m.periodStart, m.periodEnd),
        m.provisional ? [" ", h("span", { class: "badge badge-notStarted", "data-testid": "provisional", title: "Recorded before its period ended: counted in no total until the final figure" }, "provisional")] : null),
      h("td", { class: "num" }, number(m.value), m.evidenceUrl ? [" ", evidenceLink(m)] : null),
      h("td", { class: "num hide-sm" }, number(m.figures.pathValue)),
      h("td", { class: "num" }, money(m.figures.realizedValue, c.currency, false)),
      h("td", {}, m.history.length > 1
        ? m.history.slice(1).map((v) => h("div", { class: "correction" }, `${number(m.history[v.revision - 2]?.value ?? 0)} → ${number(v.value)}: `, h("em", {}, v.reason ?? "")))
        : h("span", { class: "subtle" }, "–")),
      h("td", {}, verification(m)),
      h("td", { class: "subtle small hide-sm" }, `${m.recordedBy}, ${dateTime(m.recordedAt)}`)))));
}

function evidenceLink(m: MeasurementView): HTMLElement {
  const url = m.evidenceUrl!;
  if (url.startsWith("sha256:")) {
    // An uploaded file: fetched with the signed-in person's token, shown in a new tab.
    const link = h("a", { href: "#", class: "evidence", title: `Evidence file ${url}`, "data-testid": "evidence-file" }, "evidence file") as HTMLAnchorElement;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      void openInNewTab(() => fetchFile(`/api/accounts/${m.accountId}/evidence/${url.slice("sha256:".length)}`, "The evidence file"));
    });
    return link;
  }
  return url.startsWith("http")
    ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank", class: "evidence", title: "Evidence" }, "evidence")
    : h("span", { class: "evidence", title: url }, "attachment");
}

export function verification(m: MeasurementView): HTMLElement {
  if (m.verification === "confirmed") return h("span", { class: "verify verify-confirmed" }, `✓ ${m.verifiedBy?.by}`);
  if (m.verification === "confirmedOnBehalf") return h("span", { class: "verify verify-confirmed" }, `✓ on the customer's behalf, recorded by ${m.verifiedBy?.by}`);
  if (m.verification === "disputed") return h("span", { class: "verify verify-disputed", title: m.verifiedBy?.comment ?? "" }, `✕ disputed by ${m.verifiedBy?.by}`);
  return h("span", { class: "verify verify-unconfirmed" }, m.verifications.length > 0 ? "awaiting re-confirmation" : "not yet confirmed");
}

/** Time to value in words: first improvement, target reached and payback, each with its day and the days from the start. */
function timeToValueLine(c: CommitmentView): HTMLElement | null {
  const t = c.timeToValue;
  if (!t) return null;
  const parts: string[] = [];
  if (t.firstImprovementOn) parts.push(`first improvement by ${date(t.firstImprovementOn)} (${t.daysToFirstImprovement} days)`);
  if (t.targetReachedOn) parts.push(`target reached by ${date(t.targetReachedOn)} (${t.daysToTarget} days)`);
  if (t.investment != null) {
    const against = `the investment of ${money(t.investment, c.currency)}${t.investmentSource ? ` (${t.investmentSource})` : ""}`;
    parts.push(t.paybackOn
      ? `paid back ${against} by ${date(t.paybackOn)} (${t.daysToPayback} days)`
      : `not yet paid back: ${money(Math.max(0, c.realizedValue), c.currency)} of ${against} realized`);
  }
  return parts.length === 0 ? null : h("p", { class: "small subtle", "data-testid": "time-to-value" }, `Time to value: ${parts.join("; ")}.`);
}
