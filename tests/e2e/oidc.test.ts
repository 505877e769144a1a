/**
 * Single sign-on in a real browser: the server as `npm start` runs it, configured by environment
 * variables, against a real OpenID Connect provider (oidc-provider in this process, its
 * development login form).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../helpers/axe.js';
import { hasChromium, isCi, launch } from '../helpers/browser.js';
import { idTokenFrom, startIdp, type TestIdp } from '../helpers/oidc-provider.js';
import { freePort, removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;

run('single sign-on in a real browser', () => {
  let idp: TestIdp;
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    idp = await startIdp([
      {
        client_id: 'standortplanung',
        client_secret: 'browser-test-secret-0123456789',
        redirect_uris: [`${appUrl}/auth/oidc/callback`],
        post_logout_redirect_uris: [`${appUrl}/login`],
      },
      { client_id: 'fremde-anwendung', client_secret: 'fremde-anwendung-secret-0123', redirect_uris: ['http://127.0.0.1:9/callback'] },
    ]);
    idp.accounts.set('paula.plan', { preferred_username: 'paula.plan', name: 'Paula Plan', groups: ['GG-Soziales-Planung'] });
    idp.accounts.set('otto.ohne', { preferred_username: 'otto.ohne', name: 'Otto Ohne', groups: ['GG-Bauhof'] });
    server = await startServer({
      PORT: String(port),
      PUBLIC_URL: appUrl,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'standortplanung',
      OIDC_CLIENT_SECRET: 'browser-test-secret-0123456789',
      OIDC_ROLE_MAP: 'planner=GG-Soziales-Planung,viewer=GG-Soziales-Leitung',
      OIDC_ALLOW_INSECURE_HTTP: 'true',
    });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
    await idp?.close();
  });

  const signIn = async (page: Page, login: string) => {
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
    await page.waitForURL((u) => u.href.startsWith(idp.issuer));
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'irgendein-passwort');
    await page.click('button[type=submit]');
    // the provider asks for consent once
    await page.waitForURL((u) => u.href.startsWith(server.url) || /\/interaction\//.test(u.pathname));
    if (page.url().startsWith(idp.issuer)) await page.click('button[type=submit]');
    await page.waitForURL((u) => u.href.startsWith(server.url));
  };

  it('when a planner clicks "Mit Dienstkonto anmelden" and signs in at the provider, then they land on the map as a planner', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'paula.plan');
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('#map[data-state="ready"]');
    await expect(page.locator('header .who').textContent()).resolves.toContain('Paula Plan · Planung');
    // planners see the planning pages
    expect(await page.locator('nav a[href="/import"]').count()).toBe(1);
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session.user).toMatchObject({ username: 'paula.plan', role: 'planner' });
    // the account page says there is no password to change
    await page.goto(`${server.url}/account`);
    await expect(page.locator('#oidc-account').textContent()).resolves.toContain('Dienstkonto');
    expect(await wcagViolations(page)).toEqual([]);

    // logging out ends the provider's session too and comes back to the login page
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL((u) => u.href.startsWith(idp.issuer));
    await page.click('button[type=submit][name=logout], button[type=submit]');
    await page.waitForURL(`${server.url}/login`);
    expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when the groups change at the provider, then the next login in the browser has the new role', async () => {
    idp.accounts.get('paula.plan')!.groups = ['GG-Soziales-Leitung'];
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await signIn(page, 'paula.plan');
    await page.waitForSelector('#map[data-state="ready"]');
    await expect(page.locator('header .who').textContent()).resolves.toContain('Paula Plan · Leitung (nur lesen)');
    expect(await page.locator('nav a[href="/import"]').count()).toBe(0);
    idp.accounts.get('paula.plan')!.groups = ['GG-Soziales-Planung'];
    await context.close();
  });

  it("when the provider's answer carries an ID token issued to another application, then the browser gets a refusal and no session", async () => {
    idp.substituteNextIdToken(
      await idTokenFrom(idp, 'fremde-anwendung', 'fremde-anwendung-secret-0123', 'http://127.0.0.1:9/callback', 'paula.plan', 'fremde-nonce'),
    );
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await signIn(page, 'paula.plan');
    expect(new URL(page.url()).pathname).toBe('/auth/oidc/callback');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Die Antwort des Anmeldedienstes ließ sich nicht bestätigen.');
    expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
    await context.close();
  });

  it('when someone in no mapped group signs in, then a German page says they have no access', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await signIn(page, 'otto.ohne');
    expect(new URL(page.url()).pathname).toBe('/auth/oidc/callback');
    await expect(page.locator('h1').textContent()).resolves.toBe('Anmeldung nicht möglich');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('keiner Gruppe, die die Standortplanung nutzen darf');
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Zurück zur Anmeldung' }).click();
    await page.waitForURL(`${server.url}/login`);
    await context.close();
  });

  it('when single sign-on is configured half-way, then the server does not start and names what is missing', async () => {
    const failed = await startServer({ OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: 'standortplanung' }).then(
      async (s) => {
        await s.stop();
        removeDb(s.dbFile);
        return '';
      },
      (err: Error) => err.message,
    );
    expect(failed).toContain('server exited early');
    expect(failed).toContain('OIDC_CLIENT_SECRET: required for single sign-on');
    expect(failed).toContain('PUBLIC_URL: required for single sign-on');
  });
});
