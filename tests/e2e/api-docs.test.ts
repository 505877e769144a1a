import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../helpers/axe.js';
import { hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;

run('the API documentation in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('when /api/docs is opened on a desktop and a phone, then it lists the operations with no axe violation, no sideways scrolling and nothing loaded from outside', async () => {
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 390, height: 844 },
    ]) {
      const page = await browser.newPage({ viewport, locale: 'de-DE' });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) problems.push(`outside: ${r.url()}`);
      });
      await page.goto(`${server.url}/api/docs`);
      expect(await page.textContent('h1')).toBe('API-Dokumentation');
      const paths = await page.$$eval('.apidocs-index code', (els) => els.map((e) => e.textContent));
      expect(paths).toContain('/api/state');
      expect(paths).toContain('/api/sites/{id}');
      expect(await wcagViolations(page)).toEqual([]);
      // an operation in the index leads to its group's page, and from there to the schema it returns
      await Promise.all([page.waitForURL(/\/api\/docs\/sites#op-getSitesId$/), page.click('a[href="/api/docs/sites#op-getSitesId"]')]);
      expect(await page.textContent('#op-getSitesId h3')).toBe('GET /api/sites/{id}');
      expect(await wcagViolations(page)).toEqual([]);
      await Promise.all([page.waitForURL(/\/api\/docs\/schemas#schema-Site$/), page.click('#op-getSitesId a[href="/api/docs/schemas#schema-Site"]')]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(await wcagViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    }
  });
});
