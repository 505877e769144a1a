/**
 * The OpenID Connect protocol, all of it through openid-client (a certified relying party):
 * discovery, the authorization code flow with PKCE, state and nonce, ID token validation,
 * the userinfo request and the end-session URL. Nothing here decides who may log in
 * (that is OidcLoginService); this module only says who the provider vouches for.
 *
 * The in-flight login (state, nonce, PKCE verifier, where to go afterwards) lives in a short-lived
 * cookie, encrypted and authenticated with a key derived from SESSION_SECRET, so an anonymous
 * visitor never gets a session row.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../config.js';

export const TRANSACTION_COOKIE = 'sp.oidc';
export const TRANSACTION_PATH = '/auth/oidc';
/** how long the provider's login may take */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;

interface Transaction {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  exp: number;
}

export type OidcFailure = 'OIDC_CANCELLED' | 'OIDC_EXPIRED' | 'OIDC_INVALID' | 'OIDC_UNAVAILABLE';

/** A login the provider did not vouch for; `detail` is for the log only, never for the page. */
export class OidcError extends Error {
  constructor(
    readonly reason: OidcFailure,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

export interface OidcIdentity {
  /** the validated ID token's claims, completed from the userinfo endpoint where they lack something */
  claims: Record<string, unknown> & { sub: string };
  idToken: string;
  /** the local path to go to after login */
  next: string;
}

export class OidcProtocol {
  private discovered?: Promise<client.Configuration>;
  private readonly key: Buffer;

  constructor(
    readonly settings: OidcConfig,
    secret: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'standortplanung', 'oidc-transaction-cookie', 32));
  }

  /** Discovery, once; a failure is not cached (the provider may be back on the next try). */
  configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const s = this.settings;
      this.discovered = client.discovery(
        new URL(s.issuer),
        s.clientId,
        { redirect_uris: [s.redirectUri], response_types: ['code'] },
        client.ClientSecretBasic(s.clientSecret),
        s.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      this.discovered.catch(() => {
        this.discovered = undefined;
      });
    }
    return this.discovered.catch((err) => {
      throw new OidcError('OIDC_UNAVAILABLE', `discovery of ${this.settings.issuer} failed: ${describe(err)}`);
    });
  }

  /** The provider's authorization URL and the sealed transaction to keep in the browser. */
  async start(next: string): Promise<{ url: string; cookie: string }> {
    const config = await this.configuration();
    const tx: Transaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
      exp: Date.now() + TRANSACTION_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
    });
    return { url: url.href, cookie: this.seal(tx) };
  }

  /**
   * Completes the login at the callback: checks state, exchanges the code (with the PKCE verifier),
   * validates the ID token (signature, issuer, audience, expiry, nonce) and reads the claims.
   * `query` is the callback's query string as received.
   */
  async finish(query: string, cookie: string | undefined): Promise<OidcIdentity> {
    const tx = cookie ? this.open(cookie) : null;
    if (!tx) throw new OidcError('OIDC_EXPIRED', cookie ? 'transaction cookie invalid or expired' : 'no transaction cookie');
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUri);
    current.search = query;
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      if (err instanceof client.AuthorizationResponseError)
        throw new OidcError('OIDC_CANCELLED', `the provider answered ${err.error}: ${err.error_description ?? ''}`);
      if (isNetworkError(err)) throw new OidcError('OIDC_UNAVAILABLE', describe(err));
      throw new OidcError('OIDC_INVALID', describe(err));
    }
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) throw new OidcError('OIDC_INVALID', 'no ID token');
    let claims: OidcIdentity['claims'] = { ...(idClaims as Record<string, unknown>), sub: idClaims.sub };
    // Many providers put profile and group claims only into the userinfo answer
    const lacking = claimAt(claims, this.settings.roleClaim) === undefined || !claims.preferred_username;
    if (lacking && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...(info as Record<string, unknown>), ...claims };
      } catch (err) {
        // the ID token stands; without the claims the login service refuses with a clear page
        if (isNetworkError(err)) throw new OidcError('OIDC_UNAVAILABLE', `userinfo: ${describe(err)}`);
        throw new OidcError('OIDC_INVALID', `userinfo: ${describe(err)}`);
      }
    }
    return { claims, idToken: tokens.id_token, next: tx.next };
  }

  /** Where to send the browser to end the provider's session too; null when it offers no such endpoint. */
  async endSessionUrl(idToken: string | undefined): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = { post_logout_redirect_uri: this.settings.postLogoutRedirectUri, client_id: this.settings.clientId };
    if (idToken) params.id_token_hint = idToken;
    return client.buildEndSessionUrl(config, params).href;
  }

  private seal(tx: Transaction): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(tx), 'utf8'), cipher.final()]);
    return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
  }

  private open(sealed: string): Transaction | null {
    try {
      const [iv, body, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      const tx = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as Transaction;
      return typeof tx.exp === 'number' && tx.exp > Date.now() ? tx : null;
    } catch {
      return null;
    }
  }
}

/** A claim by name, or by a dotted path for nested claims (Keycloak's `realm_access.roles`). */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (!at || typeof at !== 'object' || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  return (
    (e?.name === 'TypeError' && /fetch failed/i.test(String((err as Error).message))) ||
    e?.code === 'ECONNREFUSED' ||
    e?.cause?.code === 'ECONNREFUSED' ||
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError'
  );
}

function describe(err: unknown): string {
  // openid-client wraps the precise reason (e.g. 'unexpected JWT "aud" (audience) claim value') in `cause`
  const parts: string[] = [];
  let at: unknown = err;
  for (let depth = 0; at && depth < 4; depth += 1) {
    const e = at as { code?: string; message?: string; claim?: string; cause?: unknown };
    if (e.message) parts.push(`${e.code ? `${e.code}: ` : ''}${e.message}`);
    else if (e.claim) parts.push(`claim ${e.claim}`);
    at = e.cause;
  }
  return parts.join(' <- ') || String(err);
}
