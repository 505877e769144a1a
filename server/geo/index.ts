/**
 * The one module that imports turf. Everything geometric goes through here.
 * Coordinates: GeoJSON order [lon, lat] (RFC 7946); function arguments say lat/lon by name.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { bbox as turfBbox } from '@turf/bbox';
import { feature, point } from '@turf/helpers';
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

/** Parses and checks a GeoJSON polygon geometry (or a Feature holding one). */
export function parseAreaGeometry(input: unknown): AreaGeometry {
  const g = (input && typeof input === 'object' && (input as Feature).type === 'Feature')
    ? (input as Feature).geometry
    : input;
  if (!g || typeof g !== 'object') throw new Error('geometry must be a GeoJSON Polygon or MultiPolygon');
  const type = (g as { type?: string }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    throw new Error('geometry must be a GeoJSON Polygon or MultiPolygon');
  }
  // turf validates coordinates structurally when building the feature
  feature(g as AreaGeometry);
  return g as AreaGeometry;
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
        const ax = (ring[i][0] - p.lon) * kx; const ay = (ring[i][1] - p.lat) * ky;
        const bx = (ring[i + 1][0] - p.lon) * kx; const by = (ring[i + 1][1] - p.lat) * ky;
        const dx = bx - ax; const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d < best) best = d;
      }
    }
  }
  return Math.round(best);
}
