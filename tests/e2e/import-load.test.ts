import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

// The real server as `npm start` runs it (bundle, heap limit): big uploads must neither kill it nor
// hold up anybody else's requests.
describe('big CSV imports against the running server', () => {
  let server: RunningServer;
  let cookie = '';
  let csrf = '';

  beforeAll(async () => {
    server = await startServer({ SEED: 'none' });
    ({ cookie, csrf } = await adminApi(server));
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  /** Polls /healthz every 50 ms while `work` runs; answers the slowest response time in ms. */
  async function healthWhile<T>(work: () => Promise<T>): Promise<{ result: T; slowest: number; polls: number }> {
    let done = false;
    let slowest = 0;
    let polls = 0;
    const poller = (async () => {
      while (!done) {
        const start = Date.now();
        const r = await fetch(`${server.url}/healthz`);
        expect(r.status).toBe(200);
        await r.arrayBuffer();
        slowest = Math.max(slowest, Date.now() - start);
        polls++;
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    try {
      const result = await work();
      return { result, slowest, polls };
    } finally {
      done = true;
      await poller;
    }
  }

  const post = (path: string, body: BodyInit, extra: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv', ...extra },
      body,
      // a stream body needs half duplex
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

  it('when 800,000 short rows (18 MB) arrive, then 422 IMPORT_TOO_LARGE, and /healthz answers quickly meanwhile', async () => {
    const lines = ['name;lat;lon;capacity'];
    for (let i = 0; i < 800_000; i++) lines.push(`Haus ${i};48,4;9,99;3`);
    const csv = lines.join('\n');
    expect(csv.length).toBeGreaterThan(15_000_000);
    const { result, slowest, polls } = await healthWhile(async () => {
      const r = await post('/api/import/sites?dry_run=1', csv);
      return { status: r.status, body: await r.json() };
    });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('IMPORT_TOO_LARGE');
    expect(polls).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('when a large valid file (90,000 rows) is checked, then it is read in full while /healthz stays responsive', async () => {
    const lines = ['name;address;lat;lon;capacity;notes'];
    for (let i = 0; i < 90_000; i++)
      lines.push(`Standort ${i};Musterstraße ${i}, 89073 Ulm;48,${400000 + (i % 9000)};9,${990000 + (i % 7000)};${(i % 50) + 1};Zeile ${i}`);
    const { result, slowest, polls } = await healthWhile(async () => {
      const r = await post('/api/import/sites?dry_run=1', lines.join('\n'));
      return { status: r.status, body: await r.json() };
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ dry_run: true, inserted: 90_000, rejected: [] });
    expect(polls).toBeGreaterThan(1);
    expect(slowest).toBeLessThan(2000);
  });

  it('when 50 MB are uploaded (with and without a length), then 413 IMPORT_TOO_LARGE and the server lives on', async () => {
    // ~1 MB of long rows: the byte limit (25 MB) comes before the row limit
    const chunk = new TextEncoder().encode(`${'name;lat;lon;capacity;notes\n'}${`x;48,4;9,99;3;${'n'.repeat(1000)}\n`.repeat(1000)}`);
    const chunks = 50;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start() {
          this.n = 0;
        },
        pull(controller) {
          if ((this as unknown as { n: number }).n++ >= chunks) controller.close();
          else controller.enqueue(chunk);
        },
      } as UnderlyingDefaultSource<Uint8Array> & { n?: number });
    const chunked = await post('/api/import/sites?dry_run=1', stream());
    expect(chunked.status).toBe(413);
    expect((await chunked.json()).error.code).toBe('IMPORT_TOO_LARGE');

    const whole = new Uint8Array(chunk.length * chunks);
    for (let i = 0; i < chunks; i++) whole.set(chunk, i * chunk.length);
    const sized = await post('/api/import/sites', whole);
    expect(sized.status).toBe(413);
    expect((await sized.json()).error.code).toBe('IMPORT_TOO_LARGE');

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.proc.exitCode).toBeNull();
    const sites = await fetch(`${server.url}/api/sites`, { headers: { Cookie: cookie } });
    expect(sites.status).toBe(200);
  });
});
