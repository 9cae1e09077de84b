import { h } from "./dom";
import { dateTime, number } from "./format";
import type { CommitmentView, MeasurementView } from "./types";

interface Step {
  at: string;
  /** Tie-break for steps recorded in the same instant: the order a thread is lived in. */
  order: number;
  kind: "disputed" | "answered" | "corrected" | "confirmed" | "confirmedOnBehalf";
  text: string;
  detail: string | null;
}

/** Whether the customer has ever disputed this figure, so it has a thread to show. */
export function hasThread(m: MeasurementView): boolean {
  return m.verifications.some((v) => v.state === "disputed");
}

/**
 * A measurement's dispute thread, oldest first: the customer's dispute, customer success's answers and corrections,
 * and the customer's confirmation of the figure as it then stood. Every step is an event of the account's ledger. The
 * customer reads it in the portal, staff on the account page.
 */
export function disputeThread(c: CommitmentView, m: MeasurementView, reader: "customer" | "staff" = "customer"): HTMLElement | null {
  if (!hasThread(m)) return null;
  const steps: Step[] = [
    ...m.verifications.map((v): Step => ({
      at: v.at, order: v.state === "disputed" ? 0 : 3, kind: v.state === "disputed" ? "disputed" : v.state === "confirmedOnBehalf" ? "confirmedOnBehalf" : "confirmed",
      text: v.state === "disputed" ? `Disputed by ${v.by}` : v.state === "confirmedOnBehalf" ? `Recorded as confirmed on ${reader === "customer" ? "your" : "the customer's"} behalf by ${v.by}` : `Confirmed by ${v.by}`,
      detail: v.comment,
    })),
    ...(m.comments ?? []).map((a): Step => ({ at: a.at, order: 1, kind: "answered", text: `Answered by ${a.by}`, detail: a.comment })),
    ...m.history.filter((v) => v.revision > 1).map((v): Step => ({
      at: v.recordedAt, order: 2, kind: "corrected", text: `Corrected to ${number(v.value)} ${c.unit} by ${v.recordedBy}`, detail: v.reason,
    })),
  ];
  const firstDispute = Math.min(...steps.filter((s) => s.kind === "disputed").map((s) => Date.parse(s.at)));
  const thread = steps.filter((s) => Date.parse(s.at) >= firstDispute)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order);
  return h("div", { class: "thread", "data-testid": "thread", "data-thread": m.id },
    h("h4", { class: "thread-title" }, "Dispute thread"),
    h("ol", { class: "thread-steps" }, thread.map((s) =>
      h("li", { class: `thread-step thread-${s.kind}`, "data-step": s.kind },
        h("span", { class: "thread-what" }, s.text),
        h("time", { class: "subtle small", datetime: s.at }, ` · ${dateTime(s.at)}`),
        s.detail ? h("p", { class: "thread-text" }, s.detail) : null))));
}
