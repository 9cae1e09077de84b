// A real OpenID Connect provider for the browser tests (oidc-provider, an OpenID-certified implementation): it stands
// in for docker-compose.yml's Keycloak, issuing what that realm issues (RS256 JWT access tokens for the audience
// "valueledger", the staff roles in the "role" claim, refresh tokens) to the public client "valueledger-dashboard",
// which must use the authorization code flow with PKCE (S256).
//
// It listens on a free loopback port and prints `issuer <url>`; the test then starts the app with that issuer and
// writes one JSON line to stdin, {"redirectUri": "...", "accessTokenSeconds": 300} (the app's origin + "/", and how
// long access tokens live, 300 s as in the realm); the provider prints `ready` and
// serves until stdin closes. The sign-in page takes any of the users below; the password is not checked (the
// provider's development login form), so tests type any.
import http from "node:http";
import readline from "node:readline";
import Provider from "oidc-provider";

const users = {
  "casey.csm": { name: "Casey Success", email: "casey.csm@seller.example", role: ["csm", "default-roles-valueledger"] },
  "alex.executive": { name: "Alex Executive", email: "alex.executive@seller.example", role: ["executive"] },
  "robin.auditor": { name: "Robin Auditor", email: "robin.auditor@seller.example", role: ["auditor"] },
  "ada.admin": { name: "Ada Admin", email: "ada.admin@seller.example", role: ["admin"] },
  // The app refuses a customer role from the staff provider: buyers sign in through their e-mailed link.
  "mallory.customer": { name: "Mallory Buyer", email: "mallory@customer.example", role: ["customer"] },
};
const clientId = "valueledger-dashboard";
const audience = "valueledger";
const resource = "urn:valueledger:api";

const server = http.createServer((_request, response) => {
  response.writeHead(503).end("not configured yet");
});
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`issuer ${issuer}\n`);
  const input = readline.createInterface({ input: process.stdin });
  input.once("line", (line) => {
    const { redirectUri, accessTokenSeconds = 300 } = JSON.parse(line);
    const provider = new Provider(issuer, {
      clients: [{
        client_id: clientId,
        token_endpoint_auth_method: "none",
        application_type: "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [redirectUri],
      }],
      pkce: { required: () => true },
      claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
      async findAccount(_ctx, sub) {
        const user = users[sub];
        return user && { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email }) };
      },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resource,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: "api",
            audience,
            accessTokenTTL: accessTokenSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          }),
        },
      },
      // No consent screen for the first-party dashboard: a grant of what it asks for (as Keycloak's realm does).
      async loadExistingGrant(ctx) {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope("openid profile email offline_access");
        grant.addResourceScope(resource, "api");
        await grant.save();
        return grant;
      },
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
      async extraTokenClaims(_ctx, token) {
        const user = users[token.accountId];
        return token.kind === "AccessToken" && user ? { role: user.role, name: user.name } : undefined;
      },
      ttl: { AccessToken: accessTokenSeconds, IdToken: accessTokenSeconds, RefreshToken: 3600 },
    });
    provider.proxy = false;
    server.removeAllListeners("request");
    server.on("request", provider.callback());
    process.stdout.write("ready\n");
  });
  input.once("close", () => server.close(() => process.exit(0)));
  process.stdin.on("end", () => process.exit(0));
});
