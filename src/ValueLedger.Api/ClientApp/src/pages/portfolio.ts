import type { Chart } from "chart.js";
import { api } from "../api";
import { colors, promisedVsRealized, statusDoughnut } from "../charts";
import { h } from "../dom";
import { fetchFile, openInNewTab, saveBlob } from "../downloads";
import { approachNames, coverageText, dateTime, driverNames, humanize, keyName, money, percent, statusNames } from "../format";
import { live } from "../live";
import type { Breakdown, PortfolioView } from "../types";
import { emptyState, errorBox, progressBar, rateTone, renderKpis, section } from "../ui";

const currencyKey = "valueledger.currency";
const reportingKey = "valueledger.reporting-currency";

/** The executives' page: headline figures per currency, promised against realized by approach and driver, what is at risk. */
export function portfolioPage(main: HTMLElement): () => void {
  let view: PortfolioView | null = null;
  let asOf: string | null = null;
  let currency = sessionStorage.getItem(currencyKey) ?? "";
  // The reporting currency every currency is converted into ("" for none), and the converted view last read.
  let reporting = sessionStorage.getItem(reportingKey) ?? "";
  let converted: PortfolioView | null = null;
  let converting: Promise<void> | null = null;
  let convertAgain = false;

  const currencyPicker = h("div", { class: "segmented", role: "radiogroup", "aria-label": "Currency" });
  const updated = h("p", { class: "subtle", "data-testid": "portfolio-updated" });
  const kpis = h("div", { class: "kpis", "data-testid": "portfolio-kpis" });
  const approachCanvas = h("canvas", { role: "img", "aria-label": "Promised to date and realized value by approach" });
  const driverCanvas = h("canvas", { role: "img", "aria-label": "Promised to date and realized value by driver" });
  const statusCanvas = h("canvas", { role: "img", "aria-label": "Commitments by status" });
  const approachTable = h("div", { class: "visually-hidden" });
  const driverTable = h("div", { class: "visually-hidden" });
  const atRisk = h("div", { class: "table-wrap", tabindex: 0, "data-testid": "at-risk" });
  const segments = h("div", { class: "table-wrap", tabindex: 0 });
  const owners = h("div", { class: "table-wrap", tabindex: 0 });
  const banner = h("div", { class: "banner", hidden: true });
  const reportingPicker = h("select", { id: "reporting-currency", name: "reportingCurrency" }) as HTMLSelectElement;
  reportingPicker.addEventListener("change", () => {
    reporting = reportingPicker.value;
    sessionStorage.setItem(reportingKey, reporting);
    converted = null;
    void convert();
  });
  const reportingKpis = h("div", { class: "kpis", "data-testid": "reporting-kpis" });
  const reportingNotes = h("div", { "data-testid": "reporting-rates" });
  const reportingPanel = h("section", { class: "panel", "aria-labelledby": "reporting-title" },
    h("div", { class: "panel-head" }, h("h2", { id: "reporting-title" }, "All currencies in one"),
      h("div", { class: "field field-inline" }, h("label", { for: "reporting-currency" }, "Reporting currency"), reportingPicker)),
    h("p", { class: "subtle small" }, "Each measured period converts at the exchange rate in force at its end; promised and at-risk values at today's (or the as-of day's). Per-currency figures stay below."),
    reportingKpis, reportingNotes);
  const failure = h("div");

  const asOfInput = h("input", { type: "datetime-local", id: "as-of", name: "asOf", step: 60 }) as HTMLInputElement;
  const asOfForm = h("form", { class: "as-of" },
    h("label", { for: "as-of" }, "As of"), asOfInput,
    h("button", { type: "submit", class: "button" }, "Show"));
  asOfForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!asOfInput.value) return;
    asOf = new Date(asOfInput.value).toISOString();
    await loadPast();
  });

  // The portfolio report as shown (now, or as of the moment picked): the printable page in a new tab, or its PDF.
  async function report(format: "html" | "pdf"): Promise<void> {
    const url = `/api/portfolio/report?format=${format}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ""}${reporting ? `&currency=${reporting}` : ""}`;
    try {
      if (format === "html") await openInNewTab(() => fetchFile(url, "The portfolio report"));
      else saveBlob(await fetchFile(url, "The PDF report"), `portfolio-report-${(asOf ?? new Date().toISOString()).slice(0, 10)}.pdf`);
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  main.append(h("div", { class: "page" },
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, "Portfolio"), updated),
      h("div", { class: "page-tools" }, currencyPicker, asOfForm,
        h("button", { type: "button", class: "button", "data-testid": "portfolio-report-html", onclick: () => void report("html") }, "Report"),
        h("button", { type: "button", class: "button", "data-testid": "portfolio-report-pdf", onclick: () => void report("pdf") }, "PDF"))),
    banner, failure,
    h("div", { class: "kpis-wrap" }, kpis),
    reportingPanel,
    h("div", { class: "grid grid-charts" },
      section("Promised vs realized by approach", "by-approach", h("div", { class: "chart" }, approachCanvas), approachTable),
      section("Promised vs realized by driver", "by-driver", h("div", { class: "chart" }, driverCanvas), driverTable),
      section("Commitments by status", "by-status", h("div", { class: "chart chart-small" }, statusCanvas))),
    section("At risk, worst first", "at-risk-title", atRisk),
    h("div", { class: "grid grid-two" },
      section("By segment", "by-segment", segments),
      section("By owner", "by-owner", owners))));

  const approachChart = promisedVsRealized(approachCanvas, () => currency);
  const driverChart = promisedVsRealized(driverCanvas, () => currency);
  const statusChart = statusDoughnut(statusCanvas);

  function draw(): void {
    if (!view) return;
    if (!view.currencies.includes(currency)) currency = [...view.totals].sort((a, b) => b.promisedValue - a.promisedValue)[0]?.currency ?? "";
    currencyPicker.replaceChildren(...view.currencies.map((c) =>
      h("button", { type: "button", role: "radio", "aria-checked": String(c === currency), class: c === currency ? "selected" : "", onclick: () => pick(c) }, c)));
    currencyPicker.hidden = view.currencies.length < 2;
    updated.textContent = asOf
      ? `As it stood at ${dateTime(asOf)}`
      : `${view.accounts} accounts · ${view.commitments} commitments · updated ${dateTime(view.asOf)}`;

    const totals = view.totals.find((t) => t.currency === currency);
    renderKpis(kpis, totals ? [
      { id: "promised", label: "Promised value", value: money(totals.promisedValue, currency), raw: totals.promisedValue, hint: "over the full terms" },
      { id: "promised-to-date", label: "Promised to date", value: money(totals.promisedToDate, currency), raw: totals.promisedToDate, hint: "for the periods measured" },
      { id: "realized", label: "Realized value", value: money(totals.realizedValue, currency), raw: totals.realizedValue, hint: "measured and valued", tone: "good" },
      { id: "rate", label: "Realization rate", value: percent(totals.realizationRate), raw: totals.realizationRate, hint: `realized ÷ promised to date · ${coverageText(totals.coverage)}`, tone: rateTone(totals.realizationRate) },
      { id: "at-risk", label: "At-risk value", value: money(totals.atRiskValue, currency), raw: totals.atRiskValue, hint: `${totals.atRiskCommitments} of ${totals.commitments} commitments`, tone: totals.atRiskValue > 0 ? "bad" : "good" },
      { id: "accounts", label: "Accounts", value: String(totals.accounts), raw: totals.accounts, hint: `in ${currency}` },
      ...(view.exposure ?? []).filter((e) => e.currency === currency).map((e) => ({
        id: "exposure", label: "Gain-share exposure", value: money(e.variableAmount, currency), raw: e.variableAmount,
        hint: `${e.contracts} open settlement period${e.contracts === 1 ? "" : "s"} · range ${e.floor === null ? "open" : money(e.floor, currency)} to ${e.cap === null ? "open" : money(e.cap, currency)}`,
        tone: (e.variableAmount < 0 ? "bad" : "good") as "bad" | "good",
      })),
    ] : [{ id: "empty", label: "Nothing promised yet", value: "–" }]);

    fill(approachChart, approachTable, view.byApproach, (k) => approachNames[k as keyof typeof approachNames] ?? k);
    fill(driverChart, driverTable, view.byDriver, (k) => driverNames[k as keyof typeof driverNames] ?? k);
    const statuses = view.byStatus.filter((s) => s.commitments > 0);
    statusChart.data.labels = statuses.map((s) => statusNames[s.status]);
    statusChart.data.datasets[0].data = statuses.map((s) => s.commitments);
    statusChart.data.datasets[0].backgroundColor = statuses.map((s) => colors.status[s.status]);
    statusChart.update();

    atRisk.replaceChildren(view.atRisk.length === 0 ? emptyState("Nothing is at risk.") : atRiskTable(view));
    segments.replaceChildren(breakdownTable(view.bySegment.filter((b) => b.currency === currency), "Segment"));
    owners.replaceChildren(breakdownTable(view.byOwner.filter((b) => b.currency === currency), "Owner"));
    drawReporting();
  }

  /** Reads the converted totals for the reporting currency; a push while a read is under way reads once more after it. */
  async function convert(): Promise<void> {
    if (converting) { convertAgain = true; return converting; }
    converting = (async () => {
      do {
        convertAgain = false;
        if (!reporting) { converted = null; break; }
        try {
          const query = `currency=${reporting}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ""}`;
          converted = await api.get<PortfolioView>(`/api/portfolio?${query}`);
        } catch (error) {
          failure.replaceChildren(errorBox(error));
        }
      } while (convertAgain);
    })();
    try { await converting; } finally { converting = null; }
    drawReporting();
  }

  function drawReporting(): void {
    const choices = [...new Set([...(view?.currencies ?? []), ...(reporting ? [reporting] : [])])].sort();
    reportingPicker.replaceChildren(h("option", { value: "" }, "None: each currency apart"),
      ...choices.map((c) => h("option", { value: c, selected: c === reporting }, c)));
    reportingPicker.value = reporting;
    const r = reporting ? converted?.reporting : null;
    if (!r) {
      reportingKpis.replaceChildren();
      reportingNotes.replaceChildren(reporting ? h("p", { class: "subtle" }, "Converting…") : h("p", { class: "subtle" }, "Pick a currency to see the whole portfolio in it."));
      return;
    }
    const c = r.currency;
    renderKpis(reportingKpis, [
      { id: "reporting-promised", label: `Promised value in ${c}`, value: money(r.promisedValue, c), raw: r.promisedValue, hint: `all currencies, at the rates of ${r.ratesOn}` },
      { id: "reporting-realized", label: `Realized value in ${c}`, value: money(r.realizedValue, c), raw: r.realizedValue, hint: "each period at its end's rate", tone: "good" },
      { id: "reporting-rate", label: "Realization rate", value: percent(r.realizationRate), raw: r.realizationRate, hint: `realized ÷ promised to date · ${coverageText(r.coverage)}`, tone: rateTone(r.realizationRate) },
      { id: "reporting-at-risk", label: `At-risk value in ${c}`, value: money(r.atRiskValue, c), raw: r.atRiskValue, hint: `${r.atRiskCommitments} of ${r.commitments} commitments`, tone: r.atRiskValue > 0 ? "bad" : "good" },
      ...(r.exposure ? [{ id: "reporting-exposure", label: `Gain-share exposure in ${c}`, value: money(r.exposure.variableAmount, c), raw: r.exposure.variableAmount,
        hint: `${r.exposure.contracts} open period${r.exposure.contracts === 1 ? "" : "s"}`, tone: (r.exposure.variableAmount < 0 ? "bad" : "good") as "bad" | "good" }] : []),
    ]);
    const rates = converted?.exchangeRates ?? [];
    reportingNotes.replaceChildren(
      ...r.unconverted.map((u) => h("p", { class: "alert alert-warn", role: "status" }, u.reason)),
      rates.length === 0 ? h("p", { class: "subtle small" }, r.convertedCurrencies.length > 1 ? "" : `Everything is in ${c} already.`) :
        h("details", { class: "rates" }, h("summary", {}, `${rates.length} exchange rate${rates.length === 1 ? "" : "s"} used`),
          h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Pair"), h("th", { scope: "col", class: "num" }, "Rate"),
              h("th", { scope: "col" }, "In force from"), h("th", { scope: "col" }, "Source"))),
            h("tbody", {}, rates.map((x) => h("tr", {}, h("td", {}, `${x.from} → ${x.to}`), h("td", { class: "num" }, String(x.rate)),
              h("td", {}, x.asOf), h("td", {}, x.source))))))));
  }

  function fill(chart: Chart<"bar">, table: HTMLElement, rows: Breakdown[], name: (key: string) => string): void {
    const mine = rows.filter((r) => r.currency === currency);
    chart.data.labels = mine.map((r) => name(r.key));
    chart.data.datasets[0].data = mine.map((r) => r.promisedToDate);
    chart.data.datasets[1].data = mine.map((r) => r.realizedValue);
    chart.update();
    table.replaceChildren(breakdownTable(mine, "Group"));
  }

  function pick(c: string): void {
    currency = c;
    sessionStorage.setItem(currencyKey, c);
    draw();
  }

  async function loadPast(): Promise<void> {
    try {
      failure.replaceChildren();
      view = await api.get<PortfolioView>(`/api/portfolio?asOf=${encodeURIComponent(asOf!)}`);
      banner.hidden = false;
      banner.replaceChildren(h("span", {}, `Showing the portfolio as it stood at ${dateTime(asOf)}. Live updates are paused.`),
        h("button", { type: "button", class: "button", onclick: backToLive }, "Back to live"));
      draw();
      void convert();
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  async function backToLive(): Promise<void> {
    asOf = null;
    banner.hidden = true;
    asOfInput.value = "";
    view = await api.get<PortfolioView>("/api/portfolio");
    draw();
    void convert();
  }

  const off = live.on("portfolioChanged", (pushed) => {
    if (asOf) return;
    if (view && pushed.position < view.position) return; // a read already showed something newer
    view = pushed;
    draw();
    if (reporting) void convert();
  });
  api.get<PortfolioView>("/api/portfolio").then((loaded) => {
    if (!view || loaded.position >= view.position) {
      view = loaded;
      draw();
    }
    void convert();
  }).catch((error) => failure.replaceChildren(errorBox(error)));
  void live.watchPortfolio();

  return () => {
    off();
    void live.unwatchPortfolio();
    approachChart.destroy();
    driverChart.destroy();
    statusChart.destroy();
  };
}

function atRiskTable(view: PortfolioView): HTMLElement {
  return h("table", { class: "table" },
    h("caption", { class: "visually-hidden" }, "Commitments at risk, largest value at risk first"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Account"), h("th", { scope: "col" }, "Commitment"), h("th", { scope: "col", class: "hide-sm" }, "Owner"),
      h("th", { scope: "col", class: "num" }, "At risk"), h("th", { scope: "col", class: "hide-sm" }, "Progress"), h("th", { scope: "col", class: "hide-sm" }, "Why"))),
    h("tbody", {}, view.atRisk.map((c) => h("tr", {},
      h("td", {}, h("a", { href: `#/accounts/${c.accountId}` }, c.accountName)),
      h("td", {}, c.metric, h("div", { class: "subtle small" }, `${approachNames[c.approach]} · ${driverNames[c.driver]}`)),
      h("td", { class: "hide-sm" }, humanize(c.owner)),
      h("td", { class: "num strong" }, money(c.atRiskValue, c.currency)),
      h("td", { class: "hide-sm" }, progressBar(c.progress, `Progress of ${c.metric}`)),
      h("td", { class: "reason hide-sm" }, c.reason)))));
}

function breakdownTable(rows: Breakdown[], what: string): HTMLElement {
  if (rows.length === 0) return emptyState("Nothing in this currency.");
  const currency = rows[0].currency;
  return h("table", { class: "table table-breakdown" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, what), h("th", { scope: "col", class: "num" }, "Promised to date"), h("th", { scope: "col", class: "num" }, "Realized"),
      h("th", { scope: "col" }, "Rate"), h("th", { scope: "col", class: "num" }, "Coverage"), h("th", { scope: "col", class: "num hide-sm" }, "At risk"))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, keyName(r.key)),
      h("td", { class: "num" }, money(r.promisedToDate, currency)),
      h("td", { class: "num" }, money(r.realizedValue, currency)),
      h("td", {}, progressBar(r.realizationRate, `Realization rate of ${keyName(r.key)}`)),
      h("td", { class: "num" }, percent(r.coverage)),
      h("td", { class: `num hide-sm ${r.atRiskValue > 0 ? "warn-text" : ""}` }, r.atRiskValue > 0 ? money(r.atRiskValue, currency) : "–")))));
}

