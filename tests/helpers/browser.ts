import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const isCi = ['true', '1'].includes(String(process.env.CI).toLowerCase());

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * The options of every `waitForFunction`: ask every 50 ms. Playwright's default asks on every animation
 * frame, which has the browser draw sixty frames a second for as long as the test waits; on a busy
 * machine the waits are long, and the frames took a tenth of the browser tests' time. (ESLint holds
 * every call in tests/ to passing options.)
 */
export const BY_TIMER = { polling: 50 } as const;

/** Where the test run's one Chromium listens (set by tests/helpers/global-setup.ts for the browser tests). */
export const BROWSER_WS_ENV = 'STANDORTPLANUNG_TEST_BROWSER';

/**
 * How long a single browser step (a navigation, a click, waiting for a selector) may take. Generous:
 * on a loaded machine a page can take many seconds, and a hung step still ends within the test's own
 * time limit; a fast machine never waits for it.
 */
export const STEP_TIMEOUT_MS = 90_000;

/**
 * The browser for a test file: a connection to the run's one Chromium when the global setup started
 * it (closing the connection closes the file's contexts and pages, not the browser), else a Chromium
 * of its own (the benchmark, a script). Contexts and pages made through it get STEP_TIMEOUT_MS.
 */
export async function launch(): Promise<Browser> {
  const ws = process.env[BROWSER_WS_ENV];
  const browser = ws ? await chromium.connect(ws) : await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => withTimeouts(await newContext(options));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    withTimeouts(page.context());
    return page;
  };
  return browser;
}

function withTimeouts(context: BrowserContext): BrowserContext {
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  return context;
}
