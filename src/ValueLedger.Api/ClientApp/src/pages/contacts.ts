import { api, ApiError } from "../api";
import { currentSession, mayWrite } from "../auth";
import { announce, h } from "../dom";
import { dateTime } from "../format";
import { errorBox } from "../ui";

interface ContactView {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: "approver" | "viewer";
  state: "invited" | "active" | "revoked";
  invitedBy: string;
  invitedAt: string;
  lastInvitationSentAt: string | null;
  signedInAt: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
}

const stateText: Record<ContactView["state"], string> = { invited: "Invited", active: "Signed in", revoked: "Revoked" };

/**
 * The account's customer contacts for staff: who may confirm (approvers) or only read (viewers), whether each has
 * signed in, and for customer success the invitation form, resending a link and revoking access.
 */
export function contactsPanel(accountId: string): HTMLElement {
  const writes = mayWrite(currentSession());
  const list = h("div", { "data-testid": "contacts" });
  const status = h("p", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "contacts-status" });

  function say(text: string): void {
    status.textContent = text;
    announce(text);
  }

  async function load(): Promise<void> {
    try {
      draw(await api.get<ContactView[]>(`/api/accounts/${accountId}/contacts`));
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
  }

  function draw(contacts: ContactView[]): void {
    list.replaceChildren(contacts.length === 0
      ? h("p", { class: "empty" }, "No customer contacts yet: invite the people who confirm the figures.")
      : h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table table-compact" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Contact"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "State"),
          h("th", { scope: "col" }, "Last link sent"), writes ? h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
        h("tbody", {}, contacts.map((c) => h("tr", { "data-contact": c.id },
          h("th", { scope: "row" }, c.name, h("br"), h("span", { class: "subtle small" }, c.email)),
          h("td", {}, c.role === "approver" ? "Approver" : "Viewer"),
          h("td", {}, stateText[c.state], c.state === "revoked" && c.revokedBy ? ` by ${c.revokedBy}` : "",
            c.signedInAt ? h("span", { class: "subtle small" }, ` (last ${dateTime(c.signedInAt)})`) : null),
          h("td", {}, dateTime(c.lastInvitationSentAt ?? c.invitedAt)),
          writes ? h("td", { class: "actions" }, c.state === "revoked" ? null : [
            h("button", { type: "button", class: "button button-quiet", onclick: () => act(() => api.post(`/api/accounts/${accountId}/contacts/${c.id}/invitation`, undefined), `A new sign-in link went to ${c.email}.`) },
              h("span", {}, "Resend link"), h("span", { class: "visually-hidden" }, ` to ${c.name}`)),
            h("button", { type: "button", class: "button button-danger", onclick: () => { if (confirm(`Revoke ${c.name}'s access? Their links stop working at once.`)) void act(() => api.delete(`/api/accounts/${accountId}/contacts/${c.id}`), `${c.name} has no access any more.`); } },
              h("span", {}, "Revoke"), h("span", { class: "visually-hidden" }, ` ${c.name}`)),
          ]) : null))))));
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

  const email = h("input", { id: "invite-email", name: "email", type: "email", maxlength: 320, autocomplete: "off", required: true }) as HTMLInputElement;
  const name = h("input", { id: "invite-name", name: "name", type: "text", maxlength: 200, autocomplete: "off", required: true }) as HTMLInputElement;
  const role = h("select", { id: "invite-role", name: "role" },
    h("option", { value: "approver" }, "Approver: confirms or disputes figures"),
    h("option", { value: "viewer" }, "Viewer: reads only")) as HTMLSelectElement;
  const formError = h("p", { class: "field-error", role: "alert" });
  const form = h("form", { class: "invite-form", novalidate: true, "aria-labelledby": "invite-title" },
    h("h3", { id: "invite-title" }, "Invite a contact"),
    h("div", { class: "field" }, h("label", { for: "invite-name" }, "Name"), name),
    h("div", { class: "field" }, h("label", { for: "invite-email" }, "E-mail"), email),
    h("div", { class: "field" }, h("label", { for: "invite-role" }, "Role"), role),
    formError,
    h("button", { type: "submit", class: "button button-primary" }, "Send invitation"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.textContent = "";
    try {
      await api.post(`/api/accounts/${accountId}/contacts`, { email: email.value.trim(), name: name.value.trim(), role: role.value });
      say(`Invitation sent to ${email.value.trim()}: its link works once.`);
      form.reset();
      await load();
    } catch (error) {
      formError.textContent = error instanceof ApiError ? `${error.message} ${error.fieldErrors}` : String(error);
    }
  });

  void load();
  return h("section", { class: "panel", "aria-labelledby": "contacts-title" },
    h("h2", { id: "contacts-title" }, "Customer contacts"),
    h("p", { class: "subtle" }, "The customer's people who sign off the figures. Each gets a personal sign-in link by e-mail."),
    status, list, writes ? form : null);
}
