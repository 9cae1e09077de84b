import { api, ApiError } from "../api";
import { h } from "../dom";
import { dateTime, humanize } from "../format";
import type { HistoryEntry } from "../types";
import { errorBox } from "../ui";

/** Every event of the account, oldest first, as the audit trail records it (auditors and administrators). */
export function historyPage(main: HTMLElement, params: Record<string, string>): void {
  const body = h("div", { class: "table-wrap", tabindex: 0 }, h("p", { class: "subtle" }, "Loading…"));
  main.append(h("div", { class: "page" },
    h("div", { class: "page-head" }, h("div", {},
      h("a", { class: "back", href: `#/accounts/${params.id}` }, "← Account"),
      h("h1", {}, "History"),
      h("p", { class: "subtle" }, "Every fact recorded for this account, oldest first. Nothing is edited: corrections and revisions are facts of their own."))),
    h("section", { class: "panel", "aria-label": "Events" }, body)));

  api.get<HistoryEntry[] | { items: HistoryEntry[] }>(`/api/accounts/${params.id}/history`).then((answer) => {
    const entries = Array.isArray(answer) ? answer : answer.items;
    body.replaceChildren(h("table", { class: "table table-compact" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, "Version"), h("th", { scope: "col" }, "What"),
        h("th", { scope: "col" }, "Who"), h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "Reason"))),
      h("tbody", {}, entries.map((e) => h("tr", {},
        h("td", { class: "num" }, String(e.version)), h("th", { scope: "row" }, humanize(e.type.replace(/_/g, " "))),
        h("td", {}, e.recordedBy ?? "–"), h("td", {}, dateTime(e.recordedAt)), h("td", { class: "reason" }, e.reason ?? ""))))));
  }).catch((error) => {
    body.replaceChildren(error instanceof ApiError && (error.status === 403 || error.status === 404)
      ? h("p", { class: "empty" }, error.status === 403 ? "The history is open to auditors and administrators." : "This installation does not serve the history yet.")
      : errorBox(error));
  });
}
