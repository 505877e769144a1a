/**
 * The one module that imports turf. Everything geometric goes through here.
 * Coordinates: GeoJSON order [lon, lat] (RFC 7946); function arguments say lat/lon by name.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { bbox as turfBbox } from '@turf/bbox';
import { feature, point } from '@turf/helpers';
import { kinks } from '@turf/kinks';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_M = 6371008.8; // turf's earthRadius
const RAD = Math.PI / 180;

/** Haversine distance in metres, unrounded (the formula and radius turf.distance uses). */
function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD);
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Great-circle distance in metres, rounded to whole metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  return Math.round(haversine(a.lat, a.lon, b.lat, b.lon));
}

export function contains(area: AreaGeometry, p: LatLon): boolean {
  return booleanPointInPolygon(point([p.lon, p.lat]), area);
}

export interface Area {
  id: number;
  geometry: AreaGeometry | null;
}

/** The first area whose polygon contains the point, or null. */
export function areaOf(areas: readonly Area[], p: LatLon): number | null {
  for (const a of areas) {
    if (a.geometry && contains(a.geometry, p)) return a.id;
  }
  return null;
}

/** Largest pairwise distance among points, in metres (0 for fewer than two points). */
export function maxPairwiseDistanceM(points: readonly LatLon[]): number {
  let max = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const d = haversine(points[i].lat, points[i].lon, points[j].lat, points[j].lon);
      if (d > max) max = d;
    }
  }
  return Math.round(max);
}

/**
 * Points prepared once for many questions about subsets of them (a plan's sites: which of a team's
 * sites lie farthest apart, which form one location). The answers are exactly those of
 * maxPairwiseDistanceM and of pairwise distanceM checks, only cheaper: the farthest pair is found by
 * the chord between unit vectors (the haversine distance grows with it), and only candidates within
 * a hair of the best get the haversine formula; neighbours closer than a threshold are found once.
 */
export class PreparedPoints {
  private readonly xyz: Float64Array;
  private readonly near = new Map<number, Int32Array[]>();

  constructor(readonly points: readonly LatLon[]) {
    this.xyz = new Float64Array(points.length * 3);
    points.forEach((p, i) => {
      const lat = p.lat * RAD;
      const lon = p.lon * RAD;
      this.xyz[3 * i] = Math.cos(lat) * Math.cos(lon);
      this.xyz[3 * i + 1] = Math.cos(lat) * Math.sin(lon);
      this.xyz[3 * i + 2] = Math.sin(lat);
    });
  }

  /** Largest distance in metres between two of the points with these indexes (as maxPairwiseDistanceM). */
  maxDistanceM(idx: readonly number[]): number {
    const v = this.xyz;
    const pts = this.points;
    let bestChord = 0;
    let best = 0;
    for (let a = 0; a < idx.length; a++) {
      const i = 3 * idx[a];
      const x = v[i];
      const y = v[i + 1];
      const z = v[i + 2];
      for (let b = a + 1; b < idx.length; b++) {
        const j = 3 * idx[b];
        const dx = x - v[j];
        const dy = y - v[j + 1];
        const dz = z - v[j + 2];
        const chord = dx * dx + dy * dy + dz * dz;
        // within rounding of the best so far: the haversine formula decides (as the plain loop would)
        if (chord >= bestChord * (1 - 1e-6)) {
          const p = pts[idx[a]];
          const q = pts[idx[b]];
          const d = haversine(p.lat, p.lon, q.lat, q.lon);
          if (d > best) best = d;
          if (chord > bestChord) bestChord = chord;
        }
      }
    }
    return Math.round(best);
  }

  /** For each point, the indexes of the other points less than `metres` away (distanceM, rounded). */
  neighbours(metres: number): Int32Array[] {
    let out = this.near.get(metres);
    if (out) return out;
    const order = this.points.map((_, i) => i).sort((a, b) => this.points[a].lat - this.points[b].lat);
    const lists: number[][] = this.points.map(() => []);
    // two points more than `metres` apart in latitude alone are farther apart than that
    const band = (metres + 1) / (EARTH_RADIUS_M * RAD);
    for (let a = 0; a < order.length; a++) {
      const p = this.points[order[a]];
      for (let b = a + 1; b < order.length && this.points[order[b]].lat - p.lat <= band; b++) {
        if (distanceM(p, this.points[order[b]]) < metres) {
          lists[order[a]].push(order[b]);
          lists[order[b]].push(order[a]);
        }
      }
    }
    out = lists.map((l) => Int32Array.from(l));
    this.near.set(metres, out);
    return out;
  }

  /**
   * How many groups the points with these indexes form, where points less than `metres` apart
   * (directly or through a chain of such points among them) are one group.
   */
  groupCount(idx: readonly number[], metres: number): number {
    if (idx.length < 2) return idx.length;
    const near = this.neighbours(metres);
    // each point's place in idx (−1: not among them), kept between calls and cleared after each
    const slot = (this.slots ??= new Int32Array(this.points.length).fill(-1));
    const parent = new Int32Array(idx.length);
    for (let n = 0; n < idx.length; n++) {
      slot[idx[n]] = n;
      parent[n] = n;
    }
    const root = (n: number): number => (parent[n] === n ? n : (parent[n] = root(parent[n])));
    let groups = idx.length;
    for (let n = 0; n < idx.length; n++) {
      for (const j of near[idx[n]]) {
        const m = slot[j];
        if (m < 0) continue;
        const a = root(n);
        const b = root(m);
        if (a !== b) {
          parent[a] = b;
          groups--;
        }
      }
    }
    for (const i of idx) slot[i] = -1;
    return groups;
  }
  private slots: Int32Array | undefined;
}

export class GeometryError extends Error {}

/** At most this many positions in one district boundary. */
export const MAX_VERTICES = 50_000;
// up to this size turf's kinks (pairwise, O(n²)) decides; above it a grid of cells keeps the check fast
const KINKS_UP_TO = 4_000;

/**
 * Parses and checks a GeoJSON polygon geometry (or a Feature holding one), RFC 7946: Polygon or
 * MultiPolygon; every ring closed, of at least 4 positions of 2 (or 3) finite numbers within WGS84
 * bounds; at most MAX_VERTICES positions; no ring crossing itself or another. Throws GeometryError
 * naming the first problem.
 */
export function parseAreaGeometry(input: unknown, opts: { checkIntersections?: boolean } = {}): AreaGeometry {
  const g = input && typeof input === 'object' && (input as Feature).type === 'Feature' ? (input as Feature).geometry : input;
  if (!g || typeof g !== 'object') throw new GeometryError('geometry must be a GeoJSON Polygon or MultiPolygon');
  const type = (g as { type?: string }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new GeometryError('geometry must be a GeoJSON Polygon or MultiPolygon');
  const coords = (g as { coordinates?: unknown }).coordinates;
  const polygons = type === 'Polygon' ? [coords] : coords;
  if (!Array.isArray(polygons) || polygons.length === 0) throw new GeometryError('coordinates must be a non-empty array');
  let vertices = 0;
  for (const poly of polygons as unknown[]) {
    if (!Array.isArray(poly) || poly.length === 0) throw new GeometryError('a polygon must be an array of rings');
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) throw new GeometryError('a ring needs at least 4 positions');
      vertices += ring.length;
      if (vertices > MAX_VERTICES) throw new GeometryError(`more than ${MAX_VERTICES} positions`);
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n)))
          throw new GeometryError('a position must be [longitude, latitude] in numbers');
        if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90)
          throw new GeometryError(`position [${p[0]}, ${p[1]}] is outside WGS84 (longitude ±180, latitude ±90)`);
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) throw new GeometryError('a ring must end where it starts (closed)');
    }
  }
  const area = g as AreaGeometry;
  // turf validates coordinates structurally when building the feature
  feature(area);
  if (opts.checkIntersections !== false && selfIntersects(area, vertices)) throw new GeometryError('the boundary crosses itself');
  return area;
}

/** A stored boundary, or null when it is not readable or not valid: one bad record never breaks a page. */
export function storedAreaGeometry(text: string | null | undefined): AreaGeometry | null {
  if (!text) return null;
  try {
    // stored boundaries were checked when written; re-checking crossings on every read would cost too much
    return parseAreaGeometry(JSON.parse(text), { checkIntersections: false });
  } catch {
    return null;
  }
}

function selfIntersects(area: AreaGeometry, vertices: number): boolean {
  if (vertices <= KINKS_UP_TO) return kinks(area).features.length > 0;
  return gridSelfIntersects(area.type === 'Polygon' ? area.coordinates : area.coordinates.flat());
}

/** The same test as turf's kinks (any two non-neighbouring edges meet), with edges bucketed into grid cells. */
function gridSelfIntersects(rings: number[][][]): boolean {
  const segs: { r: number; i: number; n: number; ax: number; ay: number; bx: number; by: number }[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  rings.forEach((ring, r) => {
    for (let i = 0; i < ring.length - 1; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      segs.push({ r, i, n: ring.length - 1, ax, ay, bx, by });
      minX = Math.min(minX, ax, bx);
      maxX = Math.max(maxX, ax, bx);
      minY = Math.min(minY, ay, by);
      maxY = Math.max(maxY, ay, by);
    }
  });
  const cells = Math.max(1, Math.ceil(Math.sqrt(segs.length)));
  const w = (maxX - minX) / cells || 1;
  const h = (maxY - minY) / cells || 1;
  const grid = new Map<number, number[]>();
  const cell = (v: number, lo: number, size: number) => Math.min(cells - 1, Math.max(0, Math.floor((v - lo) / size)));
  segs.forEach((s, k) => {
    for (let cx = cell(Math.min(s.ax, s.bx), minX, w); cx <= cell(Math.max(s.ax, s.bx), minX, w); cx++) {
      for (let cy = cell(Math.min(s.ay, s.by), minY, h); cy <= cell(Math.max(s.ay, s.by), minY, h); cy++) {
        const key = cx * cells + cy;
        const list = grid.get(key);
        if (list) list.push(k);
        else grid.set(key, [k]);
      }
    }
  });
  for (const list of grid.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const s = segs[list[x]];
        const t = segs[list[y]];
        if (s.r === t.r) {
          const d = Math.abs(s.i - t.i);
          if (d === 1 || d === s.n - 1) continue; // neighbours share a vertex (the last edge meets the first)
        }
        if (segmentsMeet(s.ax, s.ay, s.bx, s.by, t.ax, t.ay, t.bx, t.by)) return true;
      }
    }
  }
  return false;
}

function segmentsMeet(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): boolean {
  const denom = (y4 - y3) * (x2 - x1) - (x4 - x3) * (y2 - y1);
  if (denom === 0) return false; // parallel (as turf's kinks)
  const ua = ((x4 - x3) * (y1 - y3) - (y4 - y3) * (x1 - x3)) / denom;
  const ub = ((x2 - x1) * (y1 - y3) - (y2 - y1) * (x1 - x3)) / denom;
  return ua >= 0 && ua <= 1 && ub >= 0 && ub <= 1;
}

/** [minLon, minLat, maxLon, maxLat] of an area (turf bbox order). */
export function bbox(area: AreaGeometry): [number, number, number, number] {
  const b = turfBbox(area);
  return [b[0], b[1], b[2], b[3]];
}

/** A point inside the polygon for labels. */
export function labelPoint(area: AreaGeometry): LatLon {
  const p = pointOnFeature(area);
  const [lon, lat] = p.geometry.coordinates;
  return { lat, lon };
}

/**
 * Distance in metres from a point to an area: 0 inside it, else to the nearest edge
 * (edges measured in a local flat projection around the point: exact enough at city scale).
 */
export function distanceToAreaM(area: AreaGeometry, p: LatLon): number {
  if (contains(area, p)) return 0;
  const kx = Math.cos(p.lat * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  let best = Number.POSITIVE_INFINITY;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = (ring[i][0] - p.lon) * kx;
        const ay = (ring[i][1] - p.lat) * ky;
        const bx = (ring[i + 1][0] - p.lon) * kx;
        const by = (ring[i + 1][1] - p.lat) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d < best) best = d;
      }
    }
  }
  return Math.round(best);
}
