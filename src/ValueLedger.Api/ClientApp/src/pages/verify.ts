import { api, ApiError } from "../api";
import { currentSession, isStaff, mayWrite, maySignOff } from "../auth";
import { announce, h, keepingDrafts } from "../dom";
import { coverageText, dateTime, money, number, percent, period } from "../format";
import { live } from "../live";
import { disputeThread, hasThread } from "../dispute-thread";
import { loadSettlements, settlementPanel } from "../settlement-signoff";
import type { AccountView, CommitmentView, MeasurementView, Paged } from "../types";

interface Receipt {
  accountId: string;
  version: number;
  sequence: number;
  eventType: string;
  eventHash: string;
  checkpoint: { treeSize: number } | null;
  inclusionProof: unknown | null;
}

interface SignedOff {
  id: string;
  version: number;
  signer: { name: string };
  receipt: Receipt | null;
}
import { errorBox, progressBar, rateTone, renderKpis, statusBadge } from "../ui";
import { verification } from "./account";

/**
 * The customer's view of its own account: every figure the seller reports, newest first, to confirm or dispute, the
 * open disputes with their threads (the seller's answers and corrections) to confirm once settled, and the settlements
 * of outcome contracts to certify or dispute. A dispute needs a reason; a confirmation may carry a comment. Customer
 * success may use it on the customer's behalf.
 */
/** How many figures awaiting sign-off the page lists per commitment (the oldest first in the API, newest first here). */
const AwaitingPage = 100;

export function verifyPage(main: HTMLElement, params: Record<string, string>): () => void {
  const accountId = params.id;
  let version = 0;
  const head = h("div", { class: "page-head" });
  const kpis = h("div", { class: "kpis" });
  const pending = h("div", { "data-testid": "pending" });
  const disputes = h("div", { "data-testid": "disputes" });
  const settlements = h("div");
  const settled = h("div");
  const resolved = h("div", { "data-testid": "resolved" });
  const status = h("div", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "verify-status" });
  const failure = h("div");
  const receipt = h("div", { "data-testid": "receipt" });
  main.append(h("div", { class: "page" }, head, failure, h("div", { class: "kpis-wrap" }, kpis), status, receipt,
    h("section", { class: "panel", "aria-labelledby": "pending-title" }, h("h2", { id: "pending-title" }, "Figures awaiting your confirmation"), pending),
    disputes, settlements,
    h("section", { class: "panel", "aria-labelledby": "settled-title" }, h("h2", { id: "settled-title" }, "Confirmed"), settled, resolved)));

  async function load(): Promise<void> {
    try {
      const account = await api.get<AccountView>(`/api/accounts/${accountId}`);
      const current = account.commitments.filter((c) => c.status !== "withdrawn");
      // The commitment views embed only the newest measurements; what awaits sign-off is asked for on its own, whatever its age.
      const [commitments, awaiting] = await Promise.all([
        Promise.all(current.map((c) => api.get<CommitmentView>(`/api/accounts/${accountId}/commitments/${c.id}`))),
        Promise.all(current.map((c) => api.get<Paged<MeasurementView>>(
          `/api/accounts/${accountId}/commitments/${c.id}/measurements?verification=unconfirmed&pageSize=${AwaitingPage}`))),
      ]);
      const settlementRows = await loadSettlements(accountId, commitments);
      if (account.version < version) return;
      version = account.version;
      // A push may land while the customer is typing a comment: the redraw keeps what was typed.
      keepingDrafts(main, () => {
        draw(account, commitments, awaiting);
        settlements.replaceChildren(settlementPanel(settlementRows, {
          accountId,
          // Certification is the customer's own act: the API admits only an approver contact of the account.
          mayAct: currentSession()?.role === "customer" && maySignOff(currentSession(), accountId),
          mayAsk: isStaff(currentSession()) && mayWrite(currentSession()),
          say: (text) => {
            status.textContent = text;
            announce(text);
          },
          signed: async (answer, what, said) => {
            showReceipt(answer as SignedOff, what);
            status.textContent = said;
            announce(said);
            await load();
          },
        }) ?? "");
      });
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  function draw(account: AccountView, commitments: CommitmentView[], awaiting: Paged<MeasurementView>[]): void {
    const session = currentSession();
    head.replaceChildren(h("div", {},
      h("h1", {}, session?.role === "customer" ? `Your value report: ${account.name}` : `Customer view: ${account.name}`),
      h("p", { class: "subtle" }, "What the seller promised, what it measured, and your confirmation of each figure.")),
      h("div", { class: "page-tools" }, h("a", { class: "button", href: `#/accounts/${accountId}` }, "Charts and details")));
    renderKpis(kpis, [
      { id: "promised-to-date", label: "Promised to date", value: money(account.promisedToDate, account.currency) },
      { id: "realized", label: "Realized value", value: money(account.realizedValue, account.currency), tone: "good" },
      { id: "rate", label: "Realization rate", value: percent(account.realizationRate), tone: rateTone(account.realizationRate), hint: coverageText(account.coverage) },
    ]);

    const rows = commitments.flatMap((c) => c.measurements.map((m) => ({ c, m })))
      .sort((a, b) => b.m.periodEnd.localeCompare(a.m.periodEnd));
    const open = commitments.flatMap((c, i) => awaiting[i].items.map((m) => ({ c, m })))
      .sort((a, b) => b.m.periodEnd.localeCompare(a.m.periodEnd));
    const more = awaiting.reduce((sum, page) => sum + page.totalItems - page.items.length, 0);
    pending.replaceChildren(open.length === 0
      ? h("p", { class: "empty" }, "Nothing waits for you: every figure is confirmed or disputed.")
      : h("ul", { class: "verify-list" }, open.map(({ c, m }) => pendingItem(c, m))));
    if (more > 0) pending.append(h("p", { class: "subtle small", "data-testid": "awaiting-more" },
      `${more} later figures also await your answer; they appear here as you answer these.`));
    // A disputed figure waits for the seller's answer or correction; the customer may then confirm it after all.
    const disputed = rows.filter((r) => r.m.verification === "disputed");
    disputes.replaceChildren(disputed.length === 0 ? "" : h("section", { class: "panel", "aria-labelledby": "disputes-title" },
      h("h2", { id: "disputes-title" }, "Your open disputes"),
      h("ul", { class: "verify-list" }, disputed.map(({ c, m }) => pendingItem(c, m)))));
    const done = rows.filter((r) => r.m.verification !== "unconfirmed" && r.m.verification !== "disputed").slice(0, 60);
    const threads = done.filter((r) => hasThread(r.m));
    resolved.replaceChildren(threads.length === 0 ? "" : h("div", { class: "resolved" },
      h("h3", {}, "Disputes resolved"),
      h("ul", { class: "verify-list" }, threads.map(({ c, m }) => h("li", { class: "resolved-item", "data-measurement": m.id },
        h("p", {}, h("strong", {}, `${c.metric}, ${period(m.periodStart, m.periodEnd)}`), `: ${number(m.value)} ${c.unit}`),
        disputeThread(c, m))))));
    settled.replaceChildren(done.length === 0 ? h("p", { class: "empty" }, "Nothing confirmed yet.") :
      h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table table-compact" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Commitment"), h("th", { scope: "col" }, "Period"), h("th", { scope: "col", class: "num" }, "Value"), h("th", { scope: "col" }, "Your answer"))),
        h("tbody", {}, done.map(({ c, m }) => h("tr", {},
          h("th", { scope: "row" }, c.metric), h("td", {}, period(m.periodStart, m.periodEnd)),
          h("td", { class: "num" }, `${number(m.value)} ${c.unit}`), h("td", {}, verification(m))))))));
  }

  /** The receipt of a sign-off: what it proves, and the file to keep (ops/verify --receipt checks it offline). */
  function showReceipt(signed: SignedOff, what: string): void {
    if (!signed.receipt) {
      receipt.replaceChildren();
      return;
    }
    const r = signed.receipt;
    const file = `receipt-${r.accountId}-v${r.version}.json`;
    const href = URL.createObjectURL(new Blob([JSON.stringify(signed.receipt, null, 2)], { type: "application/json" }));
    receipt.replaceChildren(h("section", { class: "panel", "aria-labelledby": "receipt-title" },
      h("h2", { id: "receipt-title" }, "Your receipt"),
      h("p", {}, `${what}, signed by ${signed.signer.name}. Keep this file: it proves what you signed without trusting us.`),
      h("dl", { class: "facts" },
        h("dt", {}, "Event"), h("dd", {}, `${r.eventType}, account version ${r.version}, ledger sequence ${r.sequence}`),
        h("dt", {}, "Event hash"), h("dd", { class: "mono", "data-testid": "receipt-hash" }, r.eventHash),
        h("dt", {}, "Signed checkpoint"), h("dd", {}, r.checkpoint
          ? `${r.checkpoint.treeSize} events${r.inclusionProof ? ", with the proof that it includes this event" : "; the inclusion proof follows once a checkpoint covers it"}`
          : "none yet")),
      h("a", { class: "button", href, download: file }, "Download receipt (JSON)")));
  }

  function pendingItem(c: CommitmentView, m: MeasurementView): HTMLElement {
    const id = `m-${m.id}`;
    const comment = h("input", { type: "text", id: `${id}-comment`, name: "comment", maxlength: 2000, autocomplete: "off" }) as HTMLInputElement;
    const error = h("p", { class: "field-error", id: `${id}-error` });
    const confirm = h("button", { type: "submit", class: "button button-primary", value: "confirm" }, "Confirm");
    // A disputed revision cannot be disputed again: the customer waits for an answer, then confirms or not.
    const dispute = m.verification === "disputed" ? null
      : h("button", { type: "submit", class: "button button-danger", value: "dispute" }, "Dispute");
    const form = h("form", { class: "verify-form", "aria-labelledby": `${id}-title`, novalidate: true },
      h("div", { class: "field" },
        h("label", { for: `${id}-comment` }, dispute ? "Comment, or why you dispute it" : "Comment"),
        comment, error),
      h("div", { class: "actions" }, confirm, dispute));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "confirm";
      error.textContent = "";
      const text = comment.value.trim();
      if (action === "dispute" && !text) {
        error.textContent = "Say why you dispute this figure, so the seller can check it.";
        comment.setAttribute("aria-invalid", "true");
        comment.focus();
        return;
      }
      confirm.disabled = true;
      if (dispute) dispute.disabled = true;
      try {
        const base = `/api/accounts/${accountId}/commitments/${c.id}/measurements/${m.id}`;
        // The signer is whoever the token names; the body carries only the comment or the reason.
        const signed = action === "dispute"
          ? await api.post<SignedOff>(`${base}/dispute`, { reason: text })
          : await api.post<SignedOff>(`${base}/confirmation`, { comment: text || undefined });
        showReceipt(signed, `${action === "dispute" ? "Dispute" : "Confirmation"} of ${c.metric}, ${period(m.periodStart, m.periodEnd)}`);
        const said = `${action === "dispute" ? "Disputed" : "Confirmed"}: ${c.metric}, ${period(m.periodStart, m.periodEnd)}.`;
        status.textContent = said;
        announce(said);
        comment.value = ""; // signed: the redraw that follows must not carry it over as a draft
        await load();
      } catch (failed) {
        error.textContent = failed instanceof ApiError ? `${failed.message} ${failed.fieldErrors}` : String(failed);
        confirm.disabled = false;
        if (dispute) dispute.disabled = false;
      }
    });
    const mayAct = maySignOff(currentSession(), accountId);
    const staffWrites = isStaff(currentSession()) && mayWrite(currentSession());
    const ask = staffWrites ? h("button", { type: "button", class: "button button-quiet", onclick: async () => {
      ask!.disabled = true;
      try {
        await api.post(`/api/accounts/${accountId}/commitments/${c.id}/measurements/${m.id}/confirmation-request`, {});
        const said = `Confirmation requested: the account's approvers were e-mailed about ${c.metric}, ${period(m.periodStart, m.periodEnd)}.`;
        status.textContent = said;
        announce(said);
      } catch (failed) {
        status.textContent = failed instanceof ApiError ? `${failed.message} ${failed.fieldErrors}` : String(failed);
      } finally {
        ask!.disabled = false;
      }
    } }, "Request confirmation") as HTMLButtonElement : null;
    return h("li", { class: "verify-item", "data-measurement": m.id },
      h("div", { class: "verify-what" },
        h("h3", { id: `${id}-title` }, `${c.metric}, ${period(m.periodStart, m.periodEnd)}`),
        h("p", { class: "verify-value" }, h("strong", {}, `${number(m.value)} ${c.unit}`),
          ` against a baseline of ${number(c.currentTerms.baseline.value)} and a path value of ${number(m.figures.pathValue)}`),
        h("p", { class: "subtle small" },
          `Worth ${money(m.figures.realizedValue, c.currency, false)} · recorded by ${m.recordedBy} on ${dateTime(m.recordedAt)}`,
          m.revision > 1 ? ` · corrected from ${number(m.history[0].value)}: ${m.history[m.history.length - 1].reason ?? ""}` : "",
          m.evidenceUrl?.startsWith("http") ? [" · ", h("a", { href: m.evidenceUrl, rel: "noopener noreferrer", target: "_blank" }, "evidence")] : null),
        h("div", { class: "verify-meta" }, statusBadge(c.status), progressBar(c.progress, `Progress of ${c.metric}`)),
        disputeThread(c, m)),
      mayAct ? form : null, ask);
  }

  if (!maySignOff(currentSession(), accountId)) {
    status.textContent = currentSession()?.role === "customer"
      ? "You may read these figures as a viewer; only the account's approvers confirm or dispute them."
      : "You may read this view; only the customer or customer success confirm or dispute figures.";
  }
  // One load at a time: a push that arrives while the page loads (the watch answers at once with the current view)
  // waits for that load and reloads only if it still shows an older version, so the page is not redrawn under a
  // form the customer has started to fill in.
  let loading: Promise<void> | null = null;
  let wanted = 0;
  const refresh = async (): Promise<void> => {
    if (loading) return loading;
    loading = (async () => {
      let before: number;
      do {
        before = version;
        await load();
      } while (wanted > version && version > before); // a load that failed or found nothing newer ends it
    })().finally(() => { loading = null; });
    return loading;
  };
  const off = live.on("accountChanged", (view) => {
    if (view.id !== accountId) return;
    wanted = Math.max(wanted, view.version);
    if (view.version > version) void refresh();
  });
  void refresh();
  void live.watchAccount(accountId);
  return () => {
    off();
    void live.unwatchAccount(accountId);
  };
}
