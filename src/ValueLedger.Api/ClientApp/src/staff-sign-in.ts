import { UserManager, WebStorageStateStore } from "oidc-client-ts";
import { api } from "./api";
import { currentSession, isStaff, signIn, signOut } from "./auth";

/** GET /api/auth/sign-in-options: how this installation signs staff in. */
export interface SignInOptions {
  mode: "local" | "identityProvider";
  authority: string | null;
  clientId: string | null;
  scope: string | null;
}

// Why the last attempt at the provider failed, shown once by the sign-in page after the redirect back.
const failureKey = "valueledger.sign-in-failure";

let options: Promise<SignInOptions> | undefined;
let manager: UserManager | undefined;

export function signInOptions(): Promise<SignInOptions> {
  options ??= api.get<SignInOptions>("/api/auth/sign-in-options").catch((error) => {
    options = undefined;
    throw error;
  });
  return options;
}

/**
 * The provider's client (oidc-client-ts): the authorization code flow with PKCE (S256) as a public client, so no
 * secret lives in the browser. It keeps its state in sessionStorage, like the dashboard's token, and renews the
 * access token with the refresh token before it expires (each renewal replaces the dashboard's token).
 */
async function identityProvider(): Promise<UserManager | undefined> {
  const settings = await signInOptions();
  if (settings.mode !== "identityProvider" || !settings.authority || !settings.clientId) return undefined;
  if (!manager) {
    manager = new UserManager({
      authority: settings.authority,
      client_id: settings.clientId,
      scope: settings.scope ?? "openid profile email",
      redirect_uri: `${location.origin}/`,
      post_logout_redirect_uri: `${location.origin}/`,
      response_type: "code",
      automaticSilentRenew: true,
      loadUserInfo: false,
      userStore: new WebStorageStateStore({ store: sessionStorage }),
      stateStore: new WebStorageStateStore({ store: sessionStorage }),
    });
    manager.events.addUserLoaded((user) => {
      signIn(user.access_token);
    });
  }
  return manager;
}

/** Sends the browser to the provider's sign-in page; it comes back to this origin and then to <paramref name="returnTo"/>. */
export async function startStaffSignIn(returnTo: string): Promise<void> {
  const provider = await identityProvider();
  if (!provider) throw new Error("This installation has no identity provider; use the local sign-in.");
  await provider.signinRedirect({ state: returnTo });
}

/**
 * After the provider's redirect (?code=…&state=… or ?error=…): exchanges the code for tokens (with the PKCE verifier
 * kept in sessionStorage) and returns the page to go to; the code leaves the address bar. Anything else: null.
 */
export async function completeStaffSignIn(): Promise<string | null> {
  const query = new URLSearchParams(location.search);
  if (!query.has("state") || !(query.has("code") || query.has("error"))) {
    // A reloaded tab of signed-in staff: start the renewal timer again.
    if (isStaff(currentSession())) await identityProvider().catch(() => undefined);
    return null;
  }
  try {
    const provider = await identityProvider();
    if (!provider) return null;
    const user = await provider.signinRedirectCallback();
    if (!isStaff(signIn(user.access_token))) {
      // The server refuses such a token too; saying why here beats a page of 401s.
      signOut();
      await provider.removeUser();
      throw new Error(`${user.profile.name ?? user.profile.sub} has no staff role of ValueLedger (csm, executive, auditor or admin) at the identity provider. ` +
        "Customers sign in with the link in their e-mail.");
    }
    const returnTo = typeof user.state === "string" && user.state.startsWith("#/") ? user.state : "#/";
    history.replaceState(null, "", `/${returnTo}`);
    return returnTo;
  } catch (error) {
    sessionStorage.setItem(failureKey, error instanceof Error ? error.message : String(error));
    history.replaceState(null, "", "/#/sign-in");
    return "#/sign-in";
  }
}

/** The reason the last sign-in at the provider failed, once. */
export function takeSignInFailure(): string | null {
  const failure = sessionStorage.getItem(failureKey);
  sessionStorage.removeItem(failureKey);
  return failure;
}

/**
 * Ends the session at the provider too (RP-initiated logout), when staff signed in there: the browser leaves for the
 * provider's sign-out page, which sends it back here. False when there is no such session.
 */
export async function endStaffSession(): Promise<boolean> {
  const provider = await identityProvider().catch(() => undefined);
  if (!provider || !(await provider.getUser())) return false;
  await provider.signoutRedirect();
  return true;
}
