import "./styles.css";
import { currentSession, isStaff, signOut } from "./auth";
import { h } from "./dom";
import { hasUnsavedChanges } from "./forms";
import { live, type LiveState } from "./live";
import { accountPage } from "./pages/account";
import { accountsPage } from "./pages/accounts";
import { auditPage } from "./pages/audit";
import { historyPage } from "./pages/history";
import { integrationsPage } from "./pages/integrations";
import { settingsPage } from "./pages/settings";
import { portfolioPage } from "./pages/portfolio";
import { contactSignInPage } from "./pages/contact-signin";
import { signInPage } from "./pages/signin";
import { verifyPage } from "./pages/verify";
import { completeStaffSignIn, endStaffSession } from "./staff-sign-in";
import { toast } from "./ui";

/** A page draws itself into the main element and returns what to undo when the reader leaves it. */
export type Page = (main: HTMLElement, params: Record<string, string>) => (() => void) | void;

const routes: { pattern: RegExp; page: Page; staffOnly?: boolean; title: string }[] = [
  { pattern: /^\/sign-in$/, page: signInPage, title: "Sign in" },
  { pattern: /^\/contact-sign-in$/, page: contactSignInPage, title: "Signing in" },
  { pattern: /^\/$/, page: portfolioPage, staffOnly: true, title: "Portfolio" },
  { pattern: /^\/accounts$/, page: accountsPage, staffOnly: true, title: "Accounts" },
  { pattern: /^\/audit$/, page: auditPage, staffOnly: true, title: "Audit" },
  { pattern: /^\/integrations$/, page: integrationsPage, staffOnly: true, title: "Integrations" },
  { pattern: /^\/settings$/, page: settingsPage, staffOnly: true, title: "E-mail settings" },
  { pattern: /^\/accounts\/(?<id>[0-9a-f-]{36})$/, page: accountPage, title: "Account" },
  { pattern: /^\/accounts\/(?<id>[0-9a-f-]{36})\/verify$/, page: verifyPage, title: "Confirm your figures" },
  { pattern: /^\/accounts\/(?<id>[0-9a-f-]{36})\/history$/, page: historyPage, title: "History" },
];

const app = document.getElementById("app")!;
const statusLabels: Record<LiveState, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Offline, retrying" };

const liveStatus = h("div", { class: "live-status", role: "status", "aria-live": "polite", "data-testid": "live-status", hidden: true },
  h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "live-label" }, "Offline"));
const nav = h("nav", { class: "nav", "aria-label": "Main" });
const user = h("div", { class: "user" });
const main = h("main", { id: "main", tabindex: "-1" });

app.append(
  h("header", { class: "topbar" },
    h("a", { class: "brand", href: "#/" },
      h("img", { src: "/favicon.svg", alt: "", width: 28, height: 28 }),
      h("span", {}, "Value", h("b", {}, "Ledger"))),
    nav, h("div", { class: "topbar-right" }, liveStatus, user)),
  main,
  h("div", { id: "toasts", class: "toasts", "aria-live": "polite" }),
  h("div", { id: "announcer", class: "visually-hidden", "aria-live": "polite" }));

live.onState((state) => {
  liveStatus.dataset.state = state;
  liveStatus.querySelector(".live-label")!.textContent = statusLabels[state];
  liveStatus.title = state === "live" ? "Figures update as they are recorded." : "Figures may be out of date until the connection is back.";
});

live.on("commitmentAtRisk", (message) => {
  if (!isStaff(currentSession()) && currentSession()?.accountId !== message.accountId) return;
  toast("Commitment at risk", `${message.accountName}: ${message.metric}. ${message.reason}`, `#/accounts/${message.accountId}`);
});

live.on("commitmentMissed", (message) => {
  if (!isStaff(currentSession()) && currentSession()?.accountId !== message.accountId) return;
  toast("Commitment missed its target", `${message.accountName}: ${message.metric}. ${message.reason}`, `#/accounts/${message.accountId}`);
});

let leave: (() => void) | void;

function drawChrome(): void {
  const session = currentSession();
  const here = location.hash.replace(/^#/, "") || "/";
  nav.replaceChildren(...(isStaff(session)
    ? [link("#/", "Portfolio", here === "/"), link("#/accounts", "Accounts", here.startsWith("/accounts")),
      ...(session!.role === "auditor" || session!.role === "admin" ? [link("#/audit", "Audit", here === "/audit")] : []),
      ...(session!.role === "admin" ? [link("#/integrations", "Integrations", here === "/integrations")] : [])]
    : session?.accountId
      ? [link(`#/accounts/${session.accountId}/verify`, "Confirm figures", here.endsWith("/verify")), link(`#/accounts/${session.accountId}`, "Our value", here === `/accounts/${session.accountId}`)]
      : []));
  user.replaceChildren(...(session
    ? [isStaff(session)
        ? h("a", { class: "user-name", href: "#/settings", title: "Your e-mail settings" }, session.name, h("span", { class: "role" }, session.role))
        : h("span", { class: "user-name" }, session.name, h("span", { class: "role" }, session.role)),
      h("button", { type: "button", class: "button button-quiet", onclick: () => void leaveSession() }, "Sign out")]
    : []));
  liveStatus.hidden = !session;
}

/** Signs out here, and at the identity provider when staff signed in there (the provider then sends the browser back). */
async function leaveSession(): Promise<void> {
  void live.stop();
  signOut();
  // At the provider, the browser leaves for its sign-out page (the call does not return then).
  const leaving = await endStaffSession().catch(() => false);
  if (!leaving) location.hash = "#/sign-in";
}

function link(href: string, text: string, current: boolean): HTMLElement {
  return h("a", { href, "aria-current": current ? "page" : null }, text);
}

function route(): void {
  // A hash may carry a query (the e-mailed link: #/contact-sign-in?code=…); pages get its values with the path's.
  const [path, query] = (location.hash.replace(/^#/, "") || "/").split("?", 2) as [string, string | undefined];
  const session = currentSession();
  if (!session && path !== "/sign-in" && path !== "/contact-sign-in") {
    location.hash = "#/sign-in";
    return;
  }
  if (session && !isStaff(session) && (path === "/" || path === "/accounts")) {
    location.hash = `#/accounts/${session.accountId}/verify`;
    return;
  }
  if (session) live.start();

  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (typeof leave === "function") leave();
  leave = undefined;
  main.replaceChildren();
  drawChrome();
  if (!match) {
    main.append(h("div", { class: "page" }, h("h1", {}, "Not found"), h("p", {}, "There is no page here. ", h("a", { href: "#/" }, "Go to the start."))));
    return;
  }
  document.title = `${match.r.title} · ValueLedger`;
  leave = match.r.page(main, { ...Object.fromEntries(new URLSearchParams(query ?? "")), ...(match.m!.groups ?? {}) });
  main.focus({ preventScroll: true });
}

// Coming back from the identity provider (?code=…&state=…), the code is exchanged before the first page is drawn.
// Leaving a page with typed, unsent input asks first: in the app (another page) and out of it (closing, reloading).
let shownHash = location.hash;
function navigate(): void {
  if (location.hash !== shownHash && hasUnsavedChanges(main) &&
      !confirm("This page has changes that were not sent. Leave it and lose them?")) {
    history.replaceState(null, "", shownHash || location.pathname);
    return;
  }
  shownHash = location.hash;
  route();
}
window.addEventListener("beforeunload", (event) => {
  if (hasUnsavedChanges(main)) event.preventDefault();
});

void completeStaffSignIn().finally(() => {
  window.addEventListener("hashchange", navigate);
  route();
});
