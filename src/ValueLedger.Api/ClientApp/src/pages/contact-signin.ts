import { api, ApiError } from "../api";
import { type ContactAccount, signInContact } from "../auth";
import { h } from "../dom";

interface ContactSession {
  token: string;
  expiresAt: string;
  contactId: string;
  name: string;
  email: string;
  accounts: ContactAccount[];
}

/**
 * Where the e-mailed link lands (#/contact-sign-in?code=…): the code is exchanged once for a contact token and the
 * contact goes on to its figures. A used, expired or unknown link says so and how to get a new one.
 */
export function contactSignInPage(main: HTMLElement, params: Record<string, string>): void {
  const status = h("p", { role: "status", "aria-live": "polite", "data-testid": "contact-sign-in-status" }, "Signing you in…");
  const card = h("div", { class: "sign-in-card" }, h("h1", {}, "Signing in to ValueLedger"), status);
  main.append(h("div", { class: "page page-narrow" }, card));

  function refused(detail: string): void {
    card.replaceChildren(
      h("h1", {}, "This sign-in link does not work"),
      h("div", { class: "alert alert-error", role: "alert", "data-testid": "contact-sign-in-error" }, detail),
      h("p", {}, "A link works once, and only until the time its e-mail names. ",
        "To get a new one, ask your contact at the seller (the person who invited you) to resend your invitation: ",
        "the new e-mail's link replaces every earlier one."));
  }

  const code = params.code?.trim();
  if (!code) {
    refused("The link has no sign-in code. Open the link exactly as the e-mail shows it.");
    return;
  }
  void (async () => {
    try {
      const answer = await api.post<ContactSession>("/api/contacts/sign-in", { code });
      const session = signInContact(answer.token, answer.accounts);
      // replace: the used link does not stay in the tab's history.
      location.replace(session.accountId ? `#/accounts/${session.accountId}/verify` : "#/sign-in");
    } catch (error) {
      refused(error instanceof ApiError && error.status === 400
        ? error.fieldErrors || error.message
        : `The sign-in could not be completed: ${error instanceof Error ? error.message : String(error)}`);
    }
  })();
}
