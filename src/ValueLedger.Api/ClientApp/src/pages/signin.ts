import { api, ApiError } from "../api";
import { signIn } from "../auth";
import { h } from "../dom";
import { signInOptions, startStaffSignIn, takeSignInFailure, type SignInOptions } from "../staff-sign-in";
import type { AccountListItem, Paged, Role } from "../types";

const roles: { role: Role; title: string; text: string; name: string }[] = [
  { role: "executive", title: "Executive", text: "Watches promised against realized value across the portfolio.", name: "Alex Executive" },
  { role: "csm", title: "Customer success", text: "Records and corrects values and asks customers to confirm them.", name: "casey.csm" },
  { role: "auditor", title: "Auditor", text: "Reads everything, including the history of every account. Writes nothing.", name: "Robin Auditor" },
  { role: "admin", title: "Administrator", text: "May do everything.", name: "admin" },
  { role: "customer", title: "Customer", text: "Sees its own account only and confirms or disputes its figures.", name: "" },
];

interface LocalToken {
  token: string;
}

/**
 * Sign-in. With an identity provider (Auth:Authority set), staff sign in there (authorization code flow with PKCE)
 * and customers with the link of their e-mail. Without one (the local default), the app signs a token itself for a
 * role picked here.
 */
export function signInPage(main: HTMLElement): void {
  const page = h("div", { class: "page page-narrow" },
    h("div", { class: "sign-in-card" }, h("h1", {}, "Sign in to ValueLedger"), h("p", { role: "status" }, "Loading…")));
  main.append(page);
  void signInOptions().then(
    (options) => page.replaceChildren(options.mode === "identityProvider" ? providerSignIn(options) : localSignIn()),
    (error) => page.replaceChildren(h("div", { class: "sign-in-card" }, h("h1", {}, "Sign in to ValueLedger"),
      h("div", { class: "alert alert-error", role: "alert" }, `The sign-in options could not be read: ${error instanceof Error ? error.message : String(error)}`))));
}

function providerSignIn(options: SignInOptions): HTMLElement {
  const failure = takeSignInFailure();
  const provider = options.authority ? new URL(options.authority).host : "your identity provider";
  const message = h("div", { class: "form-message", role: "alert", "data-testid": "sign-in-failure" },
    failure ? `Signing in did not work: ${failure}` : "");
  const button = h("button", { type: "button", class: "button button-primary", "data-testid": "staff-sign-in" }, "Sign in") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    button.disabled = true;
    message.textContent = "";
    try {
      await startStaffSignIn("#/");
    } catch (error) {
      button.disabled = false;
      message.textContent = `The identity provider could not be reached: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  return h("div", { class: "sign-in-card" },
    h("h1", {}, "Sign in to ValueLedger"),
    h("p", {}, "Staff sign in with their organisation's account at ", h("strong", {}, provider), "."),
    message,
    button,
    h("p", { class: "hint" }, "Customers: open the sign-in link in the e-mail your contact at the seller sent you. ",
      "A link works once; ask for a new one when it has expired."));
}

function localSignIn(): HTMLElement {
  const message = h("div", { class: "form-message", role: "alert" });
  const accountSelect = h("select", { id: "sign-in-account", name: "accountId", "aria-describedby": "sign-in-account-hint" }) as HTMLSelectElement;
  const accountField = h("div", { class: "field", hidden: true },
    h("label", { for: "sign-in-account" }, "Customer account"),
    accountSelect,
    h("p", { class: "hint", id: "sign-in-account-hint" }, "A customer signs in for one account and sees nothing of the others."));
  const nameInput = h("input", { id: "sign-in-name", name: "name", type: "text", maxlength: 100, autocomplete: "name", value: roles[0].name }) as HTMLInputElement;

  const choices = roles.map((r, index) =>
    h("label", { class: "role-choice" },
      h("input", { type: "radio", name: "role", value: r.role, checked: index === 0, onchange: () => chose(r.role) }),
      h("span", { class: "role-text" }, h("strong", {}, r.title), h("span", {}, r.text))));

  let accountsLoaded = false;
  async function chose(role: Role): Promise<void> {
    const choice = roles.find((r) => r.role === role)!;
    if (choice.name || roles.some((r) => r.name === nameInput.value)) nameInput.value = choice.name;
    accountField.hidden = role !== "customer";
    if (role === "customer" && !accountsLoaded) {
      accountsLoaded = true;
      await loadAccounts();
    }
  }

  // Listing accounts needs a staff token; in local mode anyone may mint one, so the picker borrows a short-lived
  // executive token just to fill this list. The customer's own token never sees other accounts.
  async function loadAccounts(): Promise<void> {
    accountSelect.replaceChildren(h("option", { value: "" }, "Loading accounts…"));
    try {
      const picker = await api.post<LocalToken>("/api/local/sign-in", { role: "executive", name: "sign-in picker" });
      const accounts = await api.get<Paged<AccountListItem>>("/api/accounts?pageSize=200", picker.token);
      accountSelect.replaceChildren(...(accounts.items.length === 0
        ? [h("option", { value: "" }, "No accounts yet")]
        : accounts.items.map((a) => h("option", { value: a.id }, a.name))));
    } catch (error) {
      accountSelect.replaceChildren(h("option", { value: "" }, "Could not load accounts"));
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  const form = h("form", { class: "sign-in-form", novalidate: true },
    h("fieldset", {},
      h("legend", {}, "Sign in as"),
      h("div", { class: "role-choices" }, choices)),
    accountField,
    h("div", { class: "field" }, h("label", { for: "sign-in-name" }, "Your name"), nameInput,
      h("p", { class: "hint" }, "Shown as who recorded, confirmed or disputed a figure.")),
    message,
    h("button", { type: "submit", class: "button button-primary" }, "Sign in"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    const role = (form.querySelector("input[name=role]:checked") as HTMLInputElement).value as Role;
    const accountId = role === "customer" ? accountSelect.value : undefined;
    if (role === "customer" && !accountId) {
      message.textContent = "Pick the customer's account.";
      accountSelect.focus();
      return;
    }
    const customerName = role === "customer" && !nameInput.value.trim() ? `${accountSelect.selectedOptions[0]?.textContent ?? "Customer"} contact` : nameInput.value.trim();
    try {
      const answer = await api.post<LocalToken>("/api/local/sign-in", { role, accountId, name: customerName || undefined });
      const session = signIn(answer.token);
      location.hash = session.role === "customer" ? `#/accounts/${session.accountId}/verify` : "#/";
    } catch (error) {
      message.textContent = error instanceof ApiError ? `${error.message} ${error.fieldErrors}` : String(error);
    }
  });

  return h("div", { class: "sign-in-card" },
    h("h1", {}, "Sign in to ValueLedger"),
    h("div", { class: "notice", role: "note" },
      h("strong", {}, "Local sign-in (development mode). "),
      "No identity provider is configured, so this installation signs a token for the role you pick. Production installations sign people in at their identity provider instead."),
    form);
}
