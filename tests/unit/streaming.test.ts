import { describe, expect, it } from 'vitest';
import { jsonArray } from '../../server/routes/streaming.js';
import { csvPieces, toCsv } from '../../server/services/csv.js';

async function* pagesOf<T>(...pages: T[][]): AsyncGenerator<T[]> {
  for (const p of pages) yield p;
}
const collect = async (pieces: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const p of pieces) out.push(p);
  return out;
};

describe('long answers written page by page', () => {
  it('when rows come in pages, then the JSON pieces join to the one array of all rows; no rows is []', async () => {
    const rows = [{ id: 1, note: 'a,"b"' }, { id: 2 }, { id: 3, note: '[x]' }];
    expect(JSON.parse((await collect(jsonArray(pagesOf(rows.slice(0, 2), [], rows.slice(2))))).join(''))).toEqual(rows);
    expect((await collect(jsonArray(pagesOf()))).join('')).toBe('[]');
    expect((await collect(jsonArray(pagesOf([])))).join('')).toBe('[]');
  });

  it('when rows come in pages, then the CSV pieces are the same file as written at once (one header, formulas defused); no rows is the header alone', async () => {
    const cols = ['id', 'note'];
    const rows = [
      { id: 1, note: '=SUMME(A1)' },
      { id: 2, note: 'Zeile; mit Trenner' },
      { id: 3, note: 'Ümlaut' },
    ];
    for (const sep of [';', ','] as const) {
      expect((await collect(csvPieces(cols, pagesOf(rows.slice(0, 1), rows.slice(1)), sep))).join('')).toBe(toCsv(cols, rows, sep));
      expect((await collect(csvPieces(cols, pagesOf(), sep))).join('')).toBe(toCsv(cols, [], sep));
    }
  });
});
