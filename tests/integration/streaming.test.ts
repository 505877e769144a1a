import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Move } from '../../server/repositories/index.js';
import { writePieces } from '../../server/routes/streaming.js';
import { createTestApp } from '../helpers/test-app.js';

// a long answer (50,000 moves as JSON or CSV) is read page by page while it is written
describe('a long answer whose client goes away', () => {
  it('when the client goes away in the middle, then no further page is read', async () => {
    let read = 0;
    let ended = false;
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) {
          read++;
          yield 'x'.repeat(64 * 1024);
          await new Promise((r) => setTimeout(r, 1));
        }
      } finally {
        ended = true;
      }
    }
    const app = express().get('/long', (_req, res) => void writePieces(res, endless(), { type: 'text/plain' }));
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await new Promise<void>((resolve) => {
        const req = http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/long`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
      });
      await expect.poll(() => ended, { timeout: 5000 }).toBe(true);
      const after = read;
      await new Promise((r) => setTimeout(r, 50));
      expect(read).toBe(after);
    } finally {
      server.close();
    }
  });
});

describe('a long answer read slowly', () => {
  it('when the client reads more slowly than the answer is written, then every piece arrives and no waiting leaves a listener behind', async () => {
    let listeners = { close: -1, error: -1 };
    async function* many(): AsyncGenerator<string> {
      for (let i = 0; i < 60; i++) yield `${String(i).padStart(4, '0')}${'x'.repeat(64 * 1024)}`;
    }
    const app = express().get('/long', async (_req, res) => {
      const before = { close: res.listenerCount('close'), error: res.listenerCount('error') };
      await writePieces(res, many(), { type: 'text/plain' });
      listeners = { close: res.listenerCount('close') - before.close, error: res.listenerCount('error') - before.error };
    });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/long`, (res) => {
          const parts: string[] = [];
          res.setEncoding('latin1');
          res.on('data', (d: string) => {
            parts.push(d);
            // a slow reader: the server's buffer fills and it waits
            res.pause();
            setTimeout(() => res.resume(), 2);
          });
          res.on('end', () => resolve(parts.join('')));
          res.on('error', reject);
        });
      });
      expect(body.length).toBe(60 * (4 + 64 * 1024));
      expect(body.slice(-(64 * 1024 + 4), -(64 * 1024))).toBe('0059');
      await expect.poll(() => listeners.close).toBeGreaterThanOrEqual(0);
      expect(listeners).toEqual({ close: 0, error: 0 });
    } finally {
      server.close();
    }
  });
});

describe('a long answer that fails while it is read', () => {
  it('when the first page cannot be read, then the error is answered as one (503, JSON, no download); when a later one fails, the answer is cut off and the error logged', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }) });
    try {
      const { agent } = await t.login('viewer');
      const repo = t.repos.moves;
      const original = repo.pagesById.bind(repo);
      const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
      // the database is busy before the first page
      repo.pagesById = async function* () {
        yield* [];
        throw busy;
      };
      const refused = await agent.get('/api/export/moves.csv');
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/application\/json/);
      expect(refused.headers['content-disposition']).toBeUndefined();
      expect(refused.body.error.code).toBe('DB_UNAVAILABLE');
      // after the first page
      repo.pagesById = async function* (size?: number) {
        for await (const page of original(size)) {
          yield page as Move[];
          break;
        }
        throw new Error('the disk went away');
      };
      const cut = await agent
        .get('/api/export/moves.csv')
        .then(() => 'complete')
        .catch((err: Error) => err.message);
      expect(cut).not.toBe('complete');
      await expect.poll(() => lines.some((l) => l.includes('the disk went away') && l.includes('request failed'))).toBe(true);
      repo.pagesById = original;
      // and the server answers on
      expect((await supertest(t.app).get('/healthz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
