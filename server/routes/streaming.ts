/**
 * Long answers written out piece by piece as they are read (50,000 moves as JSON or CSV): the
 * process never holds the whole answer, and other requests are served between the pieces instead
 * of waiting for one long serialisation.
 */
import { once } from 'node:events';
import type { Response } from 'express';

/**
 * Writes the pieces, waiting while the client is slow to read; stops reading when it has gone. The
 * first piece is read before anything is sent, so an error there is still answered as an error; a
 * later one cuts the answer off (a client sees an incomplete body, never a wrong one).
 */
export async function writePieces(res: Response, pieces: AsyncIterable<string>, type: string): Promise<void> {
  const it = pieces[Symbol.asyncIterator]();
  let next = await it.next();
  res.type(type);
  try {
    while (!next.done) {
      // the client has gone: nothing more is read
      if (res.destroyed) return;
      if (!res.write(next.value)) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
        if (res.destroyed) return;
      }
      next = await it.next();
    }
    res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
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
