import { api } from "../api";
import { currentSession, mayWrite } from "../auth";
import { h } from "../dom";
import { openAccountForm } from "../editing";
import { approachNames, humanize, money, statusNames } from "../format";
import { live } from "../live";
import type { AccountListItem, Approach, Paged, Status } from "../types";
import { emptyState, errorBox, progressBar, statusBadge } from "../ui";

/** Every account with its figures, filterable, each a link to its page. Refreshes when the portfolio changes. */
export function accountsPage(main: HTMLElement): () => void {
  let accounts: AccountListItem[] = [];
  const search = h("input", { type: "search", id: "account-search", placeholder: "Name, industry or owner", autocomplete: "off" }) as HTMLInputElement;
  const approach = h("select", { id: "account-approach" },
    h("option", { value: "" }, "All approaches"),
    ...Object.entries(approachNames).map(([value, name]) => h("option", { value }, name))) as HTMLSelectElement;
  const status = h("select", { id: "account-status" },
    h("option", { value: "" }, "Any status"),
    ...Object.entries(statusNames).map(([value, name]) => h("option", { value }, name))) as HTMLSelectElement;
  const table = h("div", { class: "table-wrap", tabindex: 0 });
  const count = h("p", { class: "subtle", "aria-live": "polite" });

  for (const control of [search, approach, status]) control.addEventListener("input", draw);

  main.append(h("div", { class: "page" },
    h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Accounts"), count)),
    mayWrite(currentSession()) ? openAccountForm() : null,
    h("form", { class: "filters", role: "search", onsubmit: (e: Event) => e.preventDefault() },
      h("div", { class: "field" }, h("label", { for: "account-search" }, "Search"), search),
      h("div", { class: "field" }, h("label", { for: "account-approach" }, "Approach"), approach),
      h("div", { class: "field" }, h("label", { for: "account-status" }, "Status"), status)),
    h("section", { class: "panel", "aria-label": "Accounts" }, table)));

  function draw(): void {
    const text = search.value.trim().toLowerCase();
    const shown = accounts.filter((a) =>
      (!text || `${a.name} ${a.industry} ${a.owner} ${a.segment}`.toLowerCase().includes(text)) &&
      (!approach.value || a.approach === (approach.value as Approach)) &&
      (!status.value || a.status === (status.value as Status)));
    count.textContent = `${shown.length} of ${accounts.length} accounts`;
    table.replaceChildren(shown.length === 0 ? emptyState("No account matches.") : h("table", { class: "table" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, "Account"), h("th", { scope: "col", class: "hide-sm" }, "Approach"), h("th", { scope: "col", class: "hide-sm" }, "Owner"),
        h("th", { scope: "col" }, "Status"), h("th", { scope: "col", class: "num hide-sm" }, "Promised"), h("th", { scope: "col", class: "num" }, "Realized"),
        h("th", { scope: "col" }, "Rate"), h("th", { scope: "col", class: "num hide-sm" }, "At risk"))),
      h("tbody", {}, shown.map((a) => h("tr", {},
        h("th", { scope: "row" }, h("a", { href: `#/accounts/${a.id}` }, a.name), h("div", { class: "subtle small" }, `${a.industry} · ${humanize(a.segment)}`)),
        h("td", { class: "hide-sm" }, approachNames[a.approach]),
        h("td", { class: "hide-sm" }, humanize(a.owner)),
        h("td", {}, statusBadge(a.status)),
        h("td", { class: "num hide-sm" }, money(a.promisedValue, a.currency)),
        h("td", { class: "num" }, money(a.realizedValue, a.currency)),
        h("td", {}, progressBar(a.realizationRate, `Realization rate of ${a.name}`)),
        h("td", { class: `num hide-sm ${a.atRiskValue > 0 ? "warn-text" : ""}` }, a.atRiskValue > 0 ? money(a.atRiskValue, a.currency) : "–"))))));
  }

  let refresh: number | undefined;
  async function load(): Promise<void> {
    try {
      accounts = (await api.get<Paged<AccountListItem>>("/api/accounts?pageSize=200")).items;
      draw();
    } catch (error) {
      table.replaceChildren(errorBox(error));
    }
  }
  const off = live.on("portfolioChanged", () => {
    window.clearTimeout(refresh);
    refresh = window.setTimeout(load, 300);
  });
  void load();
  void live.watchPortfolio();
  return () => {
    off();
    window.clearTimeout(refresh);
    void live.unwatchPortfolio();
  };
}
