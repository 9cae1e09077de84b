import { api, ApiError } from "./api";
import { h } from "./dom";
import { dateTime, money, percent, period } from "./format";
import type { CommitmentView, SettlementView, SettlementsView } from "./types";

export interface SettlementSignOff {
  accountId: string;
  /** An approver contact of the account: certifies or disputes. */
  mayAct: boolean;
  /** Customer success: asks the approvers by e-mail to certify. */
  mayAsk: boolean;
  /** Shows what happened in the page's status line. */
  say: (text: string) => void;
  /** Called after a certification or dispute with the answer (its receipt) and what was signed. */
  signed: (answer: unknown, what: string, said: string) => Promise<void>;
}

interface Row {
  c: CommitmentView;
  s: SettlementView;
}

/** The settlements of the account's outcome contracts, read for the customer's view. */
export async function loadSettlements(accountId: string, commitments: CommitmentView[]): Promise<Row[]> {
  const withContracts = commitments.filter((c) => c.approach === "outcomeCentric" && c.contract);
  const views = await Promise.all(withContracts.map((c) =>
    api.get<SettlementsView>(`/api/accounts/${accountId}/commitments/${c.id}/settlements`).then((v) => ({ c, v }))));
  return views.flatMap(({ c, v }) => v.settlements.map((s) => ({ c, s })))
    .sort((a, b) => b.s.periodEnd.localeCompare(a.s.periodEnd));
}

/**
 * "Settlements awaiting your certification": each final settlement (latest version calculated, not yet certified or
 * disputed) with its figures and Certify (optional comment) or Dispute (reason required); the others with their state.
 */
export function settlementPanel(rows: Row[], options: SettlementSignOff): HTMLElement | null {
  if (rows.length === 0) return null;
  const open = rows.filter((r) => r.s.status === "calculated");
  const others = rows.filter((r) => r.s.status !== "calculated");
  return h("section", { class: "panel", "aria-labelledby": "settlements-title", "data-testid": "settlements" },
    h("h2", { id: "settlements-title" }, "Settlements awaiting your certification"),
    open.length === 0
      ? h("p", { class: "empty" }, "No settlement waits for your certification.")
      : h("ul", { class: "verify-list" }, open.map((r) => item(r, options))),
    others.length === 0 ? null : h("ul", { class: "settlement-states" }, others.map(({ c, s }) =>
      h("li", { "data-settlement": s.id }, `${c.metric}, ${period(s.periodStart, s.periodEnd)} (version ${s.latestVersion}): `, state(s)))));
}

function state(s: SettlementView): string {
  const verdict = s.versions[s.versions.length - 1].verdict;
  switch (s.status) {
    case "certified": return `certified by ${verdict?.by ?? "the customer"}`;
    case "disputed": return `disputed by ${verdict?.by ?? "the customer"}${verdict?.comment ? `: ${verdict.comment}` : ""}`;
    case "provisional": return "provisional: it waits for figures to be confirmed or measured, then it is calculated again";
    default: return "awaiting certification";
  }
}

function item({ c, s }: Row, options: SettlementSignOff): HTMLElement {
  const latest = s.versions[s.versions.length - 1];
  const id = `s-${s.id}`;
  const what = `${c.metric} settlement, ${period(s.periodStart, s.periodEnd)}`;
  const comment = h("input", { type: "text", id: `${id}-comment`, name: "comment", maxlength: 2000, autocomplete: "off" }) as HTMLInputElement;
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const certify = h("button", { type: "submit", class: "button button-primary", value: "certify" }, "Certify");
  const dispute = h("button", { type: "submit", class: "button button-danger", value: "dispute" }, "Dispute");
  const form = h("form", { class: "verify-form", "aria-labelledby": `${id}-title`, novalidate: true },
    h("div", { class: "field" }, h("label", { for: `${id}-comment` }, "Comment, or why you dispute it"), comment, error),
    h("div", { class: "actions" }, certify, dispute));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "certify";
    error.textContent = "";
    const text = comment.value.trim();
    if (action === "dispute" && !text) {
      error.textContent = "Say why you dispute this settlement, so the seller can check it.";
      comment.setAttribute("aria-invalid", "true");
      comment.focus();
      return;
    }
    certify.disabled = dispute.disabled = true;
    try {
      const base = `/api/accounts/${options.accountId}/commitments/${c.id}/settlements/${s.id}`;
      // The version names what the customer looked at: a newer calculation in the meantime is refused (409), not signed.
      const answer = action === "dispute"
        ? await api.post(`${base}/dispute`, { reason: text, version: s.latestVersion })
        : await api.post(`${base}/certification`, { comment: text || undefined, version: s.latestVersion });
      const verb = action === "dispute" ? "Disputed" : "Certified";
      comment.value = ""; // signed: the redraw that follows must not carry it over as a draft
      await options.signed(answer, `${action === "dispute" ? "Dispute" : "Certification"} of the ${what}`, `${verb}: ${what}.`);
    } catch (failed) {
      error.textContent = failed instanceof ApiError ? `${failed.message} ${failed.fieldErrors}` : String(failed);
      certify.disabled = dispute.disabled = false;
    }
  });
  const ask = options.mayAsk ? h("button", { type: "button", class: "button button-quiet", onclick: async () => {
    ask!.disabled = true;
    try {
      await api.post(`/api/accounts/${options.accountId}/commitments/${c.id}/settlements/${s.id}/certification-request`, {});
      options.say(`Certification requested: the account's approvers were e-mailed about the ${what}.`);
    } catch (failed) {
      options.say(failed instanceof ApiError ? `${failed.message} ${failed.fieldErrors}` : String(failed));
    } finally {
      ask!.disabled = false;
    }
  } }, "Request certification") as HTMLButtonElement : null;
  return h("li", { class: "verify-item", "data-settlement": s.id },
    h("div", { class: "verify-what" },
      h("h3", { id: `${id}-title` }, what),
      h("p", { class: "verify-value" }, h("strong", {}, `Fee ${money(latest.fee, latest.currency, false)}`),
        ` (fee base ${money(latest.feeBase, latest.currency, false)}, variable ${money(latest.variableAmount, latest.currency, false)})`),
      h("p", { class: "subtle small" },
        `Promised ${money(latest.promisedValue, latest.currency, false)}, realized ${money(latest.realizedValue, latest.currency, false)}`,
        ` (performance ${percent(latest.performanceRatio)}) · version ${s.latestVersion}, calculated by ${latest.calculatedBy} on ${dateTime(latest.calculatedAt)}`)),
    options.mayAct ? form : null, ask);
}
