import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { writePieces } from '../../server/routes/pieces.js';

/** A response whose socket takes `room` pieces before it asks to wait for drain. */
function fakeResponse(room: number) {
  const res = Object.assign(new EventEmitter(), {
    destroyed: false,
    written: [] as string[],
    ended: false,
    write(piece: string) {
      res.written.push(piece);
      return res.written.length % room !== 0;
    },
    end() {
      res.ended = true;
      return res;
    },
  });
  return res;
}

describe('an answer written piece by piece', () => {
  it('when the client takes every piece, then all are written in order and the answer ends', async () => {
    const res = fakeResponse(2);
    const done = writePieces(res as never, ['a', 'b', 'c', 'd', 'e']);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      res.emit('drain');
    }
    await done;
    expect(res.written).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(res.ended).toBe(true);
  });

  it('when the client has gone before the first piece (its close already past), then nothing is written and the promise settles', async () => {
    const res = fakeResponse(1);
    res.destroyed = true;
    await writePieces(res as never, ['a', 'b']);
    expect(res.written).toEqual([]);
    expect(res.ended).toBe(false);
  });

  it('when the client goes while the server waits for it, then the loop ends without writing the rest', async () => {
    const res = fakeResponse(1);
    const done = writePieces(res as never, ['a', 'b', 'c']);
    await new Promise((r) => setImmediate(r));
    res.destroyed = true;
    res.emit('close');
    await done;
    expect(res.written).toEqual(['a']);
    expect(res.ended).toBe(false);
  });
});
