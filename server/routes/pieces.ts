import { once } from 'node:events';
import type { Response } from 'express';

/**
 * Writes a long answer piece by piece, making the next piece only when the client has taken the
 * last (a slow client does not make the server hold it all). A client gone before or while it is
 * written ends the loop: the promise always settles.
 */
export async function writePieces(res: Pick<Response, 'write' | 'end' | 'once' | 'destroyed'> & NodeJS.EventEmitter, pieces: Iterable<string>): Promise<void> {
  const closed = new Promise((resolve) => res.once('close', resolve));
  for (const piece of pieces) {
    if (res.destroyed) return;
    if (!res.write(piece) && !res.destroyed) await Promise.race([once(res, 'drain'), closed]);
  }
  if (!res.destroyed) res.end();
}
