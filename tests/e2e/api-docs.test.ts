import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it("when /api/docs is opened, then Swagger UI lists the operations, under the app's CSP, with nothing loaded from outside", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) problems.push(`outside: ${r.url()}`);
    });
    await page.goto(`${server.url}/api/docs`);
    await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths).toContain('/api/state');
    expect(paths).toContain('/api/sites/{id}');
    expect(problems).toEqual([]);
    await page.close();
  });
});
