import { distance as turfDistance } from '@turf/distance';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaOf, distanceM, maxPairwiseDistanceM } from '../../server/geo/index.js';
import { SQUARE } from './plan-fixture.js';

describe('geo', () => {
  it('distances agree with turf.distance to the metre', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 47, max: 49, noNaN: true }),
        fc.double({ min: 9, max: 11, noNaN: true }),
        fc.double({ min: 47, max: 49, noNaN: true }),
        fc.double({ min: 9, max: 11, noNaN: true }),
        (a, b, c, d) => {
          const t = turfDistance([b, a], [d, c], { units: 'meters' });
          expect(Math.abs(distanceM({ lat: a, lon: b }, { lat: c, lon: d }) - t)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
  it('Grüner Hof to Sattlergasse is about 430 m; the largest pairwise distance is found', () => {
    const gh = { lat: 48.397262, lon: 9.996702 };
    const sg = { lat: 48.398, lon: 9.991 };
    const kh = { lat: 48.399777, lon: 9.994843 };
    expect(distanceM(gh, sg)).toBe(429);
    expect(maxPairwiseDistanceM([gh, sg, kh])).toBe(Math.max(distanceM(gh, sg), distanceM(gh, kh), distanceM(sg, kh)));
    expect(maxPairwiseDistanceM([gh])).toBe(0);
  });
  it('point in polygon picks the containing district (lon/lat order)', () => {
    expect(areaOf([{ id: 7, geometry: SQUARE }], { lat: 48.4, lon: 10.0 })).toBe(7);
    expect(areaOf([{ id: 7, geometry: SQUARE }], { lat: 10.0, lon: 48.4 })).toBeNull();
  });
});
