/**
 * Long answers written out piece by piece as they are read (50,000 moves as JSON or CSV): the
 * process never holds the whole answer, and other requests are served between the pieces instead
 * of waiting for one long serialisation.
 */
import { once } from 'node:events';
import type { Response } from 'express';

/**
 * Writes the pieces, waiting while the client is slow to read; stops reading when it has gone. The
 * first piece is read before the type (and the file name of a download) is set and anything is sent,
 * so an error there is still answered as an error; a later one cuts the answer off (a client sees an
 * incomplete body, never a wrong one) and goes on to the error handler, which logs it. A HEAD request
 * gets the headers after the first piece.
 */
export async function writePieces(res: Response, pieces: AsyncIterable<string>, head: { type: string; attachment?: string }): Promise<void> {
  const it = pieces[Symbol.asyncIterator]();
  let next = await it.next();
  res.type(head.type);
  if (head.attachment) res.attachment(head.attachment);
  try {
    if (res.req.method === 'HEAD') {
      res.end();
      return;
    }
    while (!next.done) {
      // the client has gone: nothing more is read
      if (res.destroyed) return;
      if (!res.write(next.value)) {
        // the listener that does not fire is removed again (a long answer waits many times)
        const waiting = new AbortController();
        try {
          await Promise.race([once(res, 'drain', { signal: waiting.signal }), once(res, 'close', { signal: waiting.signal })]);
        } finally {
          waiting.abort();
        }
        if (res.destroyed) return;
      }
      next = await it.next();
    }
    res.end();
  } catch (err) {
    res.destroy();
    throw err;
  } finally {
    await it.return?.();
  }
}

/** The rows of pages as one JSON array, a piece per page (the first piece comes with the first page read). */
export async function* jsonArray(pages: AsyncIterable<readonly unknown[]>): AsyncGenerator<string> {
  let head = '[';
  for await (const rows of pages) {
    if (!rows.length) continue;
    yield `${head}${JSON.stringify(rows).slice(1, -1)}`;
    head = ',';
  }
  yield head === '[' ? '[]' : ']';
}
