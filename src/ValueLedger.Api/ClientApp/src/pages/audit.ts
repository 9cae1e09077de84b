import { api, ApiError } from "../api";
import { fetchFile, saveBlob } from "../downloads";
import { h } from "../dom";
import { dateTime } from "../format";
import { verifyConsistency } from "../merkle";
import type { AccountListItem, Paged } from "../types";
import { errorBox } from "../ui";

interface SignedCheckpoint {
  scheme: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

interface PublicKeys {
  keyId: string;
  algorithm: string;
  publicKey: string;
  keys: { keyId: string; publicKey: string }[];
}

interface ConsistencyProof {
  from: number;
  to: number;
  proof: string[];
}

/** Where this browser keeps the last checkpoint it verified: its own witness of the ledger's past. */
export const LastSeenKey = "valueledger.audit.lastCheckpoint";

interface CheckpointVerification {
  verified: boolean;
  signatureValid: boolean;
  signatureProblem: string | null;
}

/**
 * For auditors and administrators: the latest signed checkpoint and whether its Ed25519 signature holds (checked here
 * in the browser with WebCrypto against the published public key; only where the browser lacks Ed25519 does it ask the
 * server), and the three files ops/verify checks offline, trusting no server, with the command to run.
 * The browser is also a witness (as Certificate Transparency's monitors are): it keeps the last checkpoint whose
 * signature it verified and proves the latest one consistent with it (RFC 9162 consistency proof, checked here with
 * WebCrypto SHA-256), so a ledger rewritten since the auditor last looked is named, even if it is signed again.
 */
export function auditPage(main: HTMLElement): void {
  const checkpointBox = h("div", { "data-testid": "checkpoint" });
  const signature = h("p", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "signature-state" }, "Checking the signature…");
  const consistency = h("p", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "consistency-state" }, "Waiting for the signature check…");
  const accountSelect = h("select", { id: "audit-account", name: "accountId" }, h("option", { value: "" }, "Loading accounts…")) as HTMLSelectElement;
  const downloads = h("div", { class: "actions", "data-testid": "downloads" });
  const command = h("pre", { class: "mono", "data-testid": "verify-command" });
  const failure = h("div");
  main.append(h("div", { class: "page" },
    h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Audit"),
      h("p", { class: "subtle" }, "The ledger's latest signed checkpoint, and the files to check an account's history offline."))),
    failure,
    h("section", { class: "panel", "aria-labelledby": "checkpoint-title" }, h("h2", { id: "checkpoint-title" }, "Latest signed checkpoint"), checkpointBox, signature),
    h("section", { class: "panel", "aria-labelledby": "consistency-title" }, h("h2", { id: "consistency-title" }, "Consistent with what this browser saw"),
      h("p", { class: "subtle small" }, "This browser keeps the last checkpoint it verified and proves every later one extends it: history that was rewritten since cannot pass, even signed again."),
      consistency),
    h("section", { class: "panel", "aria-labelledby": "offline-title" }, h("h2", { id: "offline-title" }, "Verify an account offline"),
      h("div", { class: "field" }, h("label", { for: "audit-account" }, "Account"), accountSelect),
      downloads,
      h("p", {}, "Save the files in one folder and run, in a checkout of ValueLedger:"),
      command,
      h("p", { class: "subtle small" }, "It recomputes every seal and the chain, proves each event is in the signed tree and checks the signature; it prints VERIFIED and exits 0 only if all holds."))));

  let checkpoint: SignedCheckpoint | null = null;
  let keys: PublicKeys | null = null;
  /** The checkpoint this browser saw before, when the latest one was proven to extend it (offered for ops/verify). */
  let previous: SignedCheckpoint | null = null;

  async function load(): Promise<void> {
    try {
      keys = await api.get<PublicKeys>("/api/audit/public-key");
      try {
        checkpoint = await api.get<SignedCheckpoint>("/api/audit/checkpoints/latest");
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      const accounts = await api.get<Paged<AccountListItem>>("/api/accounts?pageSize=200");
      accountSelect.replaceChildren(...accounts.items.map((a) => h("option", { value: a.id }, a.name)));
      drawCheckpoint();
      drawDownloads();
      if (await checkSignature()) await checkConsistency();
      else consistency.textContent = checkpoint ? "Not checked: the signature does not hold." : "Nothing to check yet.";
      drawDownloads();
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }

  function drawCheckpoint(): void {
    if (!checkpoint) {
      checkpointBox.replaceChildren(h("p", { class: "empty" }, "No checkpoint has been signed yet. An administrator may sign one now; one is also signed on schedule."));
      return;
    }
    checkpointBox.replaceChildren(h("dl", { class: "facts" },
      h("dt", {}, "Events covered"), h("dd", { "data-testid": "tree-size" }, String(checkpoint.treeSize)),
      h("dt", {}, "Root hash"), h("dd", { class: "mono" }, checkpoint.rootHash),
      h("dt", {}, "Signed at"), h("dd", {}, dateTime(checkpoint.timestamp)),
      h("dt", {}, "Key"), h("dd", { class: "mono" }, checkpoint.keyId)));
  }

  async function checkSignature(): Promise<boolean> {
    if (!checkpoint || !keys) {
      signature.textContent = "Nothing to check yet.";
      return false;
    }
    const c = checkpoint;
    const valid = await signatureHolds(c);
    if (valid === "unknown-key") {
      show(false, `Signed by key ${c.keyId}, which the published public keys do not list.`);
      return false;
    }
    if (valid.local !== null) {
      show(valid.local, valid.local
        ? "Signature valid: checked in this browser (WebCrypto Ed25519) against the published public key."
        : "Signature INVALID: this browser's WebCrypto Ed25519 check against the published public key failed.");
      return valid.local;
    }
    const answer = await api.post<CheckpointVerification>("/api/audit/checkpoints/verification", c);
    show(answer.signatureValid, answer.signatureValid
      ? "Signature valid: checked by the server (this browser has no WebCrypto Ed25519)."
      : `Signature INVALID (checked by the server): ${answer.signatureProblem ?? ""}`);
    return answer.signatureValid;
  }

  /** The checkpoint's Ed25519 signature checked in this browser (local null: the browser has no Ed25519). */
  async function signatureHolds(c: SignedCheckpoint): Promise<{ local: boolean | null } | "unknown-key"> {
    const key = keys?.keys.find((k) => k.keyId === c.keyId) ?? (keys?.keyId === c.keyId ? keys : null);
    if (!key) return "unknown-key";
    const text = canonicalText(c);
    let local: boolean | null = null;
    if (text !== null) {
      try {
        const publicKey = await crypto.subtle.importKey("raw", bytes(key.publicKey), { name: "Ed25519" }, false, ["verify"]);
        local = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, bytes(c.signature), new TextEncoder().encode(text));
      } catch {
        local = null; // this browser has no Ed25519 in WebCrypto
      }
    }
    return { local };
  }

  /**
   * Proves the latest checkpoint extends the one this browser saw last, and remembers the latest only when it does:
   * after a failure the old one stays, so the warning stands until someone looks into it.
   */
  async function checkConsistency(): Promise<void> {
    const latest = checkpoint!;
    const seen = lastSeen();
    const remember = () => localStorage.setItem(LastSeenKey, JSON.stringify(latest));
    if (!seen) {
      remember();
      showConsistency(true, `First visit from this browser: it now keeps this checkpoint (${latest.treeSize} events) and will prove later ones extend it.`);
      return;
    }
    const held = await signatureHolds(seen);
    if (held === "unknown-key" || held.local === false) {
      showConsistency(false, "The checkpoint this browser kept no longer carries a valid signature (was it edited here?); it was not used.");
      return;
    }
    const when = `the checkpoint of ${seen.treeSize} events signed ${dateTime(seen.timestamp)}, which this browser verified before`;
    if (seen.treeSize > latest.treeSize) {
      showConsistency(false, `INCONSISTENT: the latest checkpoint covers ${latest.treeSize} events, fewer than ${when}. The ledger lost events.`);
      return;
    }
    const proof = seen.treeSize === latest.treeSize
      ? { from: seen.treeSize, to: latest.treeSize, proof: [] }
      : await api.get<ConsistencyProof>(`/api/audit/proofs/consistency?from=${seen.treeSize}&to=${latest.treeSize}`);
    if (!(await verifyConsistency(seen.treeSize, latest.treeSize, seen.rootHash, latest.rootHash, proof.proof))) {
      showConsistency(false, `INCONSISTENT with ${when}: the ledger's history was rewritten since.`);
      return;
    }
    previous = seen.treeSize < latest.treeSize ? seen : null;
    remember();
    showConsistency(true, seen.treeSize === latest.treeSize
      ? `Unchanged since ${when}.`
      : `Consistent: the latest checkpoint extends ${when} (RFC 9162 proof checked in this browser).`);
  }

  /** The checkpoint kept from an earlier visit, if it is well formed (its signature is checked again before use). */
  function lastSeen(): SignedCheckpoint | null {
    try {
      const stored = JSON.parse(localStorage.getItem(LastSeenKey) ?? "null") as SignedCheckpoint | null;
      return stored && typeof stored.treeSize === "number" && typeof stored.rootHash === "string" ? stored : null;
    } catch {
      return null;
    }
  }

  function showConsistency(valid: boolean, text: string): void {
    consistency.textContent = text;
    consistency.dataset.valid = String(valid);
  }

  function show(valid: boolean, text: string): void {
    signature.textContent = text;
    signature.dataset.valid = String(valid);
  }

  function drawDownloads(): void {
    const accountId = accountSelect.value;
    const history = `/api/accounts/${accountId}/history?format=jsonl${checkpoint ? `&treeSize=${checkpoint.treeSize}` : ""}`;
    downloads.replaceChildren(
      downloadButton("Download history.jsonl", history, "history.jsonl", !accountId || !checkpoint),
      downloadButton("Download checkpoint.json", "/api/audit/checkpoints/latest", "checkpoint.json", !checkpoint),
      downloadButton("Download key.json", "/api/audit/public-key", "key.json", false));
    let verify = "ops/verify --history history.jsonl --checkpoint checkpoint.json --public-key key.json";
    if (previous && checkpoint) {
      const older = previous;
      downloads.append(
        h("button", { type: "button", class: "button", onclick: () => saveBlob(new Blob([JSON.stringify(older, null, 2)], { type: "application/json" }), "previous-checkpoint.json") },
          "Download previous-checkpoint.json"),
        downloadButton("Download consistency.json", `/api/audit/proofs/consistency?from=${older.treeSize}&to=${checkpoint.treeSize}`, "consistency.json", false));
      verify += " --previous-checkpoint previous-checkpoint.json --consistency-proof consistency.json";
    }
    command.textContent = verify;
  }

  function downloadButton(label: string, url: string, file: string, disabled: boolean): HTMLElement {
    return h("button", { type: "button", class: "button", disabled, onclick: () => void download(url, file) }, label);
  }

  /** Fetches with the bearer token (a plain link could not send it) and saves the answer unchanged under its name. */
  async function download(url: string, file: string): Promise<void> {
    try {
      saveBlob(await fetchFile(url, file), file);
    } catch (error) {
      failure.replaceChildren(errorBox(error));
    }
  }


  accountSelect.addEventListener("change", drawDownloads);
  void load();
}

/** The five signed lines (Checkpoint.CanonicalText); null when the timestamp is not in UTC as the server writes it. */
export function canonicalText(c: SignedCheckpoint): string | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]00:00)$/.exec(c.timestamp);
  if (!m) return null;
  const micros = (m[2] ?? "").padEnd(6, "0").slice(0, 6);
  return `${c.scheme}\n${c.treeSize}\n${c.rootHash}\n${m[1]}.${micros}Z\n${c.keyId}\n`;
}

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}
