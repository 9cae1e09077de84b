import { api, ApiError } from "../api";
import { announce, h } from "../dom";
import { field, input, onSubmit, textOf } from "../forms";
import { dateTime, humanize } from "../format";
import type { Page } from "../main";
import { errorBox } from "../ui";

// The admin's integrations (issue 17, item 5): webhook subscriptions with their delivery log and replay, and the
// service accounts of machine feeds. Secrets and keys are shown once, when they are made.

interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  paused: boolean;
  createdBy: string;
  createdAt: string;
  previousSecretUntil: string | null;
}

type DeliveryStatus = "pending" | "retrying" | "delivered" | "deadLettered" | "held";

interface DeliveryView {
  id: string;
  eventType: string;
  accountId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  replays: number;
}

interface Paged<T> { items: T[]; totalItems: number }

interface ServiceAccountView {
  id: string;
  name: string;
  accountIds: string[];
  keyPrefix: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface AccountRow { id: string; name: string }

export const integrationsPage: Page = (main) => {
  const status = h("p", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "integrations-status" });
  const say = (text: string) => {
    status.textContent = text;
    announce(text);
  };
  main.append(h("div", { class: "page" },
    h("h1", {}, "Integrations"),
    h("p", { class: "subtle" }, "Systems that hear from the ledger (webhooks) and systems that feed it (service accounts)."),
    status, webhooksPanel(say), serviceAccountsPanel(say)));
};

/** A secret or key, shown once with the words that say so. */
function shownOnce(what: string, value: string): HTMLElement {
  return h("div", { class: "notice", role: "alert", "data-testid": "shown-once" },
    h("p", {}, h("strong", {}, `${what}: `), h("code", { "data-testid": "secret" }, value)),
    h("p", { class: "small" }, "Copy it now: it is stored hashed or sealed and is not shown again."));
}

function webhooksPanel(say: (text: string) => void): HTMLElement {
  const list = h("div", { "data-testid": "webhooks" });
  const once = h("div");

  async function load(): Promise<void> {
    try {
      draw(await api.get<WebhookView[]>("/api/webhooks"));
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
  }

  function draw(webhooks: WebhookView[]): void {
    list.replaceChildren(webhooks.length === 0
      ? h("p", { class: "empty" }, "No subscriptions yet.")
      : h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table table-compact" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Destination"), h("th", { scope: "col" }, "Events"),
          h("th", { scope: "col" }, "State"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
        h("tbody", {}, webhooks.map((w) => {
          const log = h("td", { colspan: 4, class: "delivery-log" });
          const logRow = h("tr", { hidden: true }, log);
          return [h("tr", { "data-webhook": w.id },
            h("th", { scope: "row" }, h("code", {}, w.url), w.description ? h("br") : null, w.description ? h("span", { class: "subtle small" }, w.description) : null),
            h("td", {}, w.events.join(", ")),
            h("td", {}, w.paused ? "Paused: deliveries are held" : "Active",
              w.previousSecretUntil ? h("span", { class: "subtle small" }, ` (old secret signs until ${dateTime(w.previousSecretUntil)})`) : null),
            h("td", { class: "actions" },
              button("Deliveries", w.url, async () => {
                logRow.hidden = !logRow.hidden;
                if (!logRow.hidden) await drawDeliveries(w, log);
              }),
              button(w.paused ? "Resume" : "Pause", w.url, () => act(() => api.post(`/api/webhooks/${w.id}/${w.paused ? "resume" : "pause"}`, undefined),
                w.paused ? "Resumed: held deliveries go out now." : "Paused: new deliveries are held until you resume.")),
              button("Rotate secret", w.url, async () => {
                if (!confirm("Rotate the signing secret? The old one keeps signing alongside the new one for a grace period.")) return;
                await act(async () => {
                  const rotated = await api.post<{ secret: string }>(`/api/webhooks/${w.id}/secret`, undefined);
                  once.replaceChildren(shownOnce(`New secret for ${w.url}`, rotated.secret));
                }, "Secret rotated.");
              }),
              button("Delete", w.url, () => confirm(`Delete the subscription of ${w.url}?`) ? act(() => api.delete(`/api/webhooks/${w.id}`), "Subscription deleted.") : Promise.resolve(), "button-danger"))),
            logRow];
        }).flat()))));
  }

  async function drawDeliveries(w: WebhookView, cell: HTMLElement): Promise<void> {
    try {
      const page = await api.get<Paged<DeliveryView>>(`/api/webhooks/${w.id}/deliveries?pageSize=50`);
      cell.replaceChildren(page.items.length === 0 ? h("p", { class: "empty" }, "Nothing sent yet.")
        : h("table", { class: "table table-compact", "data-testid": "deliveries" },
          h("caption", { class: "subtle small" }, `The newest ${page.items.length} of ${page.totalItems} deliveries`),
          h("thead", {}, h("tr", {}, ["Event", "Status", "Attempts", "Last answer", "Latency", "Created", ""].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, page.items.map((d) => h("tr", { "data-delivery": d.id, "data-status": d.status },
            h("td", {}, d.eventType), h("td", {}, humanize(d.status), d.replays > 0 ? ` (replayed ${d.replays}×)` : ""),
            h("td", {}, String(d.attempts)),
            h("td", {}, d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "", d.lastError ? h("span", { class: "subtle small" }, ` ${d.lastError}`) : null),
            h("td", {}, d.lastLatencyMs == null ? "" : `${Math.round(d.lastLatencyMs)} ms`),
            h("td", {}, dateTime(d.createdAt)),
            h("td", {}, d.status === "deadLettered" ? button("Replay", d.eventType, async () => {
              await act(() => api.post(`/api/webhooks/${w.id}/deliveries/${d.id}/replay`, undefined), "Sent again: the log shows how it went.");
              await drawDeliveries(w, cell);
            }) : null))))));
    } catch (error) {
      cell.replaceChildren(errorBox(error));
    }
  }

  async function act(call: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await call();
      say(done);
      await load();
    } catch (error) {
      say(error instanceof ApiError ? `${error.message} ${error.fieldErrors}` : String(error));
    }
  }

  const url = input("url", { type: "url", maxlength: 2000, required: true });
  const events = input("events", { value: "*", required: true });
  const description = input("description", { maxlength: 500 });
  const form = h("form", { class: "invite-form", novalidate: true, "aria-labelledby": "webhook-form-title" },
    h("h3", { id: "webhook-form-title" }, "Subscribe a URL"),
    field("Destination URL", url, "An https address of your receiver; private networks are refused in production."),
    field("Event types", events, "* for everything, or types separated by commas, e.g. valueledger.measurement.recorded, valueledger.commitment.atRisk."),
    field("Description", description),
    h("button", { type: "submit", class: "button button-primary" }, "Subscribe"));
  onSubmit(form, async () => {
    const created = await api.post<{ webhook: WebhookView; secret: string }>("/api/webhooks", {
      url: textOf(url), events: events.value.split(",").map((e) => e.trim()).filter(Boolean), description: textOf(description),
    });
    once.replaceChildren(shownOnce(`Signing secret for ${created.webhook.url}`, created.secret));
    say(`Subscribed ${created.webhook.url}.`);
    form.reset();
    await load();
  });

  void load();
  return h("section", { class: "panel", "aria-labelledby": "webhooks-title" },
    h("h2", { id: "webhooks-title" }, "Webhooks"),
    h("p", { class: "subtle" }, "CloudEvents signed per Standard Webhooks, retried for about a day, then kept as dead letters you can replay."),
    once, list, form);
}

function serviceAccountsPanel(say: (text: string) => void): HTMLElement {
  const list = h("div", { "data-testid": "service-accounts" });
  const once = h("div");
  const accountsBox = h("fieldset", { class: "field" }, h("legend", {}, "Accounts it may feed"),
    h("p", { class: "field-error", "data-error-for": "accountIds" }));
  let names = new Map<string, string>();

  async function load(): Promise<void> {
    try {
      const [serviceAccounts, accounts] = await Promise.all([
        api.get<ServiceAccountView[]>("/api/service-accounts"),
        api.get<Paged<AccountRow>>("/api/accounts?pageSize=200"),
      ]);
      names = new Map(accounts.items.map((a) => [a.id, a.name]));
      drawChoices(accounts.items);
      draw(serviceAccounts);
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
  }

  function drawChoices(accounts: AccountRow[]): void {
    const error = accountsBox.querySelector("[data-error-for]")!;
    accountsBox.replaceChildren(accountsBox.firstChild!, ...accounts.map((a) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "accountIds", value: a.id }), ` ${a.name}`)), error);
  }

  function draw(serviceAccounts: ServiceAccountView[]): void {
    list.replaceChildren(serviceAccounts.length === 0
      ? h("p", { class: "empty" }, "No service accounts yet.")
      : h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table table-compact" },
        h("thead", {}, h("tr", {}, ["Name", "Key", "Accounts", "State", ""].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, serviceAccounts.map((s) => h("tr", { "data-service-account": s.id },
          h("th", { scope: "row" }, s.name),
          h("td", {}, h("code", {}, `${s.keyPrefix}…`)),
          h("td", {}, s.accountIds.map((id) => names.get(id) ?? id).join(", ")),
          h("td", {}, s.revokedAt ? `Revoked ${dateTime(s.revokedAt)} by ${s.revokedBy}` : `Active since ${dateTime(s.createdAt)}`),
          h("td", { class: "actions" }, s.revokedAt ? null : button("Revoke", s.name, async () => {
            if (!confirm(`Revoke ${s.name}'s key? Its next request is refused.`)) return;
            try {
              await api.delete(`/api/service-accounts/${s.id}`);
              say(`${s.name} is revoked.`);
              await load();
            } catch (error) {
              say(error instanceof ApiError ? error.message : String(error));
            }
          }, "button-danger"))))))));
  }

  const name = input("name", { maxlength: 200, required: true });
  const form = h("form", { class: "invite-form", novalidate: true, "aria-labelledby": "service-account-form-title" },
    h("h3", { id: "service-account-form-title" }, "Make a service account"),
    field("Name", name, "What feeds through it, e.g. ERP export."), accountsBox,
    h("button", { type: "submit", class: "button button-primary" }, "Make key"));
  onSubmit(form, async () => {
    const accountIds = [...form.querySelectorAll<HTMLInputElement>("input[name=accountIds]:checked")].map((c) => c.value);
    const created = await api.post<{ serviceAccount: ServiceAccountView; apiKey: string }>("/api/service-accounts", { name: textOf(name), accountIds });
    once.replaceChildren(shownOnce(`API key of ${created.serviceAccount.name} (send it as X-Api-Key)`, created.apiKey));
    say(`${created.serviceAccount.name} can feed ${accountIds.length} account(s).`);
    form.reset();
    await load();
  });

  void load();
  return h("section", { class: "panel", "aria-labelledby": "service-accounts-title" },
    h("h2", { id: "service-accounts-title" }, "Service accounts"),
    h("p", { class: "subtle" }, "Machine feeds record and import measurements with source system, for the accounts they are granted and nothing else."),
    once, list, form);
}

function button(text: string, about: string, onclick: () => Promise<void>, tone = "button-quiet"): HTMLElement {
  return h("button", { type: "button", class: `button ${tone}`, onclick: () => void onclick() },
    h("span", {}, text), h("span", { class: "visually-hidden" }, ` ${about}`));
}
