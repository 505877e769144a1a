/**
 * A real OpenID Connect provider for tests: the `oidc-provider` package in-process, as the city's
 * identity provider, with its development login form (any password) and accounts whose groups a
 * test can change between logins.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import * as client from 'openid-client';

export interface IdpAccount {
  preferred_username: string;
  name: string;
  email?: string;
  groups: string[];
}
export interface IdpClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
}

export interface TestIdp {
  issuer: string;
  /** by login name (what one types into the provider's form) */
  accounts: Map<string, IdpAccount>;
  /**
   * The next answer of the token endpoint carries this ID token instead of the one the provider
   * made (a token substitution, as a man in the middle or a malicious provider would try).
   */
  substituteNextIdToken: (idToken: string) => void;
  close: () => Promise<void>;
}

export async function startIdp(clients: IdpClient[], opts: { port?: number } = {}): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  let substitute: string | undefined;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // plain http on localhost: oidc-provider runs in its development mode (no https required)
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'] })),
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      // claims are read at each login: a group change shows at the next one
      return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-idp-cookie-key-1'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && substitute && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...(ctx.body as object), id_token: substitute };
      substitute = undefined;
    }
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    substituteNextIdToken: (token) => {
      substitute = token;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A browser-less user agent: follows redirects across hosts with one cookie jar per host, and
 * submits the forms of the provider's development login (login name, any password, consent).
 */
export class HttpUserAgent {
  private readonly jar = new Map<string, Map<string, string>>();
  /** every URL visited, in order */
  readonly visited: string[] = [];

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = { ...init.headers };
    if (cookies) headers.cookie = cookies;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    this.visited.push(url);
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    const hostJar = this.jar.get(host) ?? new Map<string, string>();
    this.jar.set(host, hostJar);
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') hostJar.delete(name);
      else hostJar.set(name, value);
    }
    return res;
  }

  /**
   * Requests the URL and follows redirects; stops at a page (2xx/4xx/5xx) and returns it, or at a
   * redirect to a URL starting with `stopAt` (returned as `url`, not requested).
   */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string>; stopAt?: string } = {},
  ): Promise<{ res: Response; url: string; html: string }> {
    let res = await this.request(url, init);
    let at = url;
    for (let hops = 0; res.status >= 300 && res.status < 400; hops += 1) {
      if (hops > 20) throw new Error('too many redirects');
      at = new URL(res.headers.get('location')!, at).href;
      if (init.stopAt && at.startsWith(init.stopAt)) return { res, url: at, html: '' };
      res = await this.request(at);
    }
    return { res, url: at, html: await res.text() };
  }

  /**
   * Logs in at the provider's development form from its login page on: types the login name
   * (any password), confirms the consent prompt, and follows back to the app.
   */
  async signInAtProvider(
    page: { res: Response; url: string; html: string },
    login: string,
    stopAt?: string,
  ): Promise<{ res: Response; url: string; html: string }> {
    let current = page;
    for (let step = 0; step < 4; step += 1) {
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(current.html);
      if (!form || !/name="prompt"/.test(current.html)) return current;
      const fields: Record<string, string> = {};
      for (const m of current.html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
      if (/name="login"/.test(current.html)) {
        fields.login = login;
        fields.password = 'any-password';
      }
      current = await this.follow(new URL(form[1].replace(/&amp;/g, '&'), current.url).href, { method: 'POST', form: fields, stopAt });
      if (stopAt && current.url.startsWith(stopAt)) return current;
    }
    return current;
  }
}

/** A genuine ID token from the provider, obtained by another relying party (the test) with its own nonce. */
export async function idTokenFrom(idp: TestIdp, clientId: string, secret: string, redirectUri: string, login: string, nonce: string): Promise<string> {
  const config = await client.discovery(new URL(idp.issuer), clientId, { redirect_uris: [redirectUri] }, client.ClientSecretBasic(secret), {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const ua = new HttpUserAgent();
  const back = await ua.signInAtProvider(await ua.follow(url.href), login, redirectUri);
  const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return tokens.id_token!;
}
