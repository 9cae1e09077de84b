import type { Role } from "./types";

// The bearer token lives in sessionStorage: it survives a reload, ends with the tab, and is never put in a cookie.
const key = "valueledger.token";
// A contact's token names only the contact; its accounts (and its role on each) come with the sign-in answer.
const accountsKey = "valueledger.contact-accounts";

export interface ContactAccount {
  accountId: string;
  name: string;
  role: "approver" | "viewer";
}

export interface Session {
  token: string;
  role: Role;
  name: string;
  accountId: string | null;
  expiresAt: number;
  /** Set for a contact signed in with an e-mailed link: the accounts it may see and its role on each. */
  accounts: ContactAccount[];
}

export const staffRoles: Role[] = ["csm", "executive", "auditor", "admin"];

// An identity provider's token may carry several roles (Keycloak maps every realm role into the claim); the dashboard
// shows the one that may do most. The server checks each request against all of them.
const rolePrecedence: Role[] = ["admin", "csm", "auditor", "executive", "customer"];

function primaryRole(claim: unknown): Role {
  const roles = (Array.isArray(claim) ? claim : [claim]).filter((r): r is string => typeof r === "string");
  return rolePrecedence.find((r) => roles.includes(r)) ?? (roles[0] as Role);
}

export function currentSession(): Session | null {
  const token = sessionStorage.getItem(key);
  if (!token) return null;
  const session = decode(token);
  if (!session || session.expiresAt <= Date.now()) {
    sessionStorage.removeItem(key);
    return null;
  }
  return session;
}

export function signIn(token: string): Session {
  const session = decode(token);
  if (!session) throw new Error("The sign-in answer was not a token this dashboard understands.");
  sessionStorage.setItem(key, token);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(key);
  sessionStorage.removeItem(accountsKey);
}

/** Keeps the token and the accounts of a contact signed in with an e-mailed link. */
export function signInContact(token: string, accounts: ContactAccount[]): Session {
  sessionStorage.setItem(accountsKey, JSON.stringify(accounts));
  return signIn(token);
}

/** Whether the signed-in person may confirm or dispute the account's figures (a viewer contact may not). */
export function maySignOff(session: Session | null, accountId: string): boolean {
  if (!session || session.role !== "customer") return mayWrite(session);
  const contact = session.accounts.find((a) => a.accountId === accountId);
  return contact ? contact.role === "approver" : session.accounts.length === 0;
}

export function isStaff(session: Session | null): boolean {
  return !!session && staffRoles.includes(session.role);
}

export function mayWrite(session: Session | null): boolean {
  return !!session && (session.role === "csm" || session.role === "admin");
}

/** Reads the claims the dashboard needs; the server checks the signature, the dashboard only shows who is signed in. */
function decode(token: string): Session | null {
  try {
    const payload = token.split(".")[1];
    const accounts = JSON.parse(sessionStorage.getItem(accountsKey) ?? "[]") as ContactAccount[];
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    return {
      token,
      role: primaryRole(json.role),
      name: json.name ?? json.preferred_username ?? json.sub ?? "signed in",
      accountId: (Array.isArray(json.accountId) ? json.accountId[0] : json.accountId) ?? accounts[0]?.accountId ?? null,
      expiresAt: (json.exp ?? 0) * 1000,
      accounts,
    };
  } catch {
    return null;
  }
}
