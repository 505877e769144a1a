import type { TimelineColumns } from '../planning/types.js';

/**
 * GET /api/timeline as JSON text in pieces of about 64 kB, written from the typed columns, byte for
 * byte what JSON.stringify writes of `{...head, ...plan.timeline()}`. A 10-year monthly timeline of
 * 2,000 sites is 5 MB of text: it is never held as one string, nor are the 15 MB of arrays behind it.
 */
export function* timelineJson(head: object, c: TimelineColumns, pieceSize = 64 * 1024): Generator<string> {
  const n = c.dates.length;
  const nums = (a: Int32Array, i: number) => `[${a.subarray(i * n, (i + 1) * n).join(',')}]`;
  const flags = (a: Uint8Array, i: number) => {
    let s = '[';
    for (let t = i * n; t < (i + 1) * n; t++) s += (t > i * n ? ',' : '') + (a[t] === 1 ? 'true' : 'false');
    return `${s}]`;
  };
  const start = JSON.stringify({ ...head, dates: c.dates });
  let chunk = `${start.slice(0, -1)},"sites":[`;
  for (let i = 0; i < c.sites.length; i++) {
    const s = c.sites[i];
    chunk += `${i ? ',' : ''}${JSON.stringify(s).slice(0, -1)},"capacity":${nums(c.capacity, i)},"headcount":${nums(c.headcount, i)},"needed":${nums(c.needed, i)},"capacity_estimated":${flags(c.capacity_estimated, i)},"headcount_estimated":${flags(c.headcount_estimated, i)}}`;
    if (chunk.length >= pieceSize) {
      yield chunk;
      chunk = '';
    }
  }
  chunk += '],"districts":[';
  for (let i = 0; i < c.districts.length; i++) {
    const d = c.districts[i];
    chunk += `${i ? ',' : ''}${JSON.stringify(d).slice(0, -1)},"capacity":${nums(c.district_capacity, i)},"headcount":${nums(c.district_headcount, i)},"needed":${nums(c.district_needed, i)},"capacity_estimated":${flags(c.district_capacity_estimated, i)},"headcount_estimated":${flags(c.district_headcount_estimated, i)}}`;
  }
  yield `${chunk}]}`;
}
