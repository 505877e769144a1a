import { describe, expect, it } from 'vitest';
// @ts-expect-error browser module without type declarations
import { declutter, distanceM, groupWarnings, siteDrawn, spreadOverlapping } from '../../public/js/map-data.js';

type Pt = { id: number; x: number; y: number; r: number };
const overlaps = (pts: Pt[], pos: Map<number, { x: number; y: number }>) => {
  const out: string[] = [];
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++) {
      const a = pos.get(pts[i].id)!;
      const b = pos.get(pts[j].id)!;
      if (Math.hypot(a.x - b.x, a.y - b.y) < pts[i].r + pts[j].r) out.push(`${pts[i].id}-${pts[j].id}`);
    }
  return out;
};

describe("the map's layout helpers", () => {
  it('when markers overlap on screen (buildings at one location), then they are spread so that none overlaps; lone markers stay put', () => {
    const pts: Pt[] = [
      { id: 1, x: 100, y: 100, r: 12 },
      { id: 2, x: 104, y: 102, r: 16 },
      { id: 3, x: 110, y: 95, r: 10 },
      { id: 4, x: 140, y: 100, r: 14 },
      { id: 5, x: 400, y: 400, r: 10 },
    ];
    const pos = spreadOverlapping(pts);
    expect(overlaps(pts, pos)).toEqual([]);
    expect(pos.get(5)).toEqual({ x: 400, y: 400 });
  });

  it('labels never overlap each other or an obstacle; a label that does not fit right of its marker tries the other sides, and one outside the frame is hidden', () => {
    const obstacle = { x: 0, y: 0, w: 20, h: 20, priority: 10 };
    const a = {
      x: 25,
      y: 0,
      w: 80,
      h: 16,
      priority: 3,
      alts: [
        { dx: 0, dy: 0 },
        { dx: 0, dy: 30 },
      ],
    };
    const b = {
      x: 30,
      y: 5,
      w: 80,
      h: 16,
      priority: 1,
      alts: [
        { dx: 0, dy: 0 },
        { dx: 0, dy: 60 },
      ],
    };
    const c = { x: 500, y: 5, w: 80, h: 16, priority: 2, alts: [{ dx: 0, dy: 0 }] };
    const shown = declutter([obstacle, a, b, c], 2, { x: 0, y: 0, w: 300, h: 200 });
    expect(shown.get(1)).toEqual({ dx: 0, dy: 0 });
    expect(shown.get(2)).toEqual({ dx: 0, dy: 60 });
    expect(shown.has(3)).toBe(false);
  });

  it("warnings are grouped by code with counts, errors first, and the server's full counts win over the loaded ones", () => {
    const w = (code: string, severity: string) => ({ code, severity, params: {} });
    const groups = groupWarnings([w('NOT_STEP_FREE', 'warning'), w('NOT_STEP_FREE', 'warning'), w('OVER_CAPACITY', 'error'), w('NEAR_CAPACITY', 'warning')], {
      NOT_STEP_FREE: 21,
    });
    expect(groups.map((g: { code: string; count: number }) => [g.code, g.count])).toEqual([
      ['OVER_CAPACITY', 1],
      ['NOT_STEP_FREE', 21],
      ['NEAR_CAPACITY', 1],
    ]);
  });

  it('a closed site that holds nobody is not drawn, unless a shown move starts or ends there', () => {
    const p = { id: 7, status: 'closed', headcount: 0, needed: 0 };
    expect(siteDrawn(p)).toBe(false);
    expect(siteDrawn(p, new Set([7]))).toBe(true);
    expect(siteDrawn({ ...p, headcount: 3 })).toBe(true);
    expect(siteDrawn({ ...p, status: 'active' })).toBe(true);
  });

  it('distances are measured like the server does (haversine, whole metres)', () => {
    expect(distanceM([48.4, 9.99], [48.4, 9.99])).toBe(0);
    expect(distanceM([48.4, 9.99], [48.401, 9.99])).toBe(111);
  });
});
