/**
 * The one module that imports turf. Everything geometric goes through here.
 * Coordinates: GeoJSON order [lon, lat] (RFC 7946); function arguments say lat/lon by name.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres, rounded to whole metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  return Math.round(turf.distance(turf.point([a.lon, a.lat]), turf.point([b.lon, b.lat]), { units: 'meters' }));
}

export function contains(area: AreaGeometry, p: LatLon): boolean {
  return turf.booleanPointInPolygon(turf.point([p.lon, p.lat]), area);
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
      const d = distanceM(points[i], points[j]);
      if (d > max) max = d;
    }
  }
  return max;
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
  turf.feature(g as AreaGeometry);
  return g as AreaGeometry;
}

/** [minLon, minLat, maxLon, maxLat] of an area (turf bbox order). */
export function bbox(area: AreaGeometry): [number, number, number, number] {
  const b = turf.bbox(area);
  return [b[0], b[1], b[2], b[3]];
}

/** A point inside the polygon for labels. */
export function labelPoint(area: AreaGeometry): LatLon {
  const p = turf.pointOnFeature(area);
  const [lon, lat] = p.geometry.coordinates;
  return { lat, lon };
}
