import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { writePieces } from '../../server/routes/streaming.js';

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
    const app = express().get('/long', (_req, res) => void writePieces(res, endless(), 'text/plain'));
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
