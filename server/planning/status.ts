import type { MoveStatus } from './types.js';

/**
 * The status of a move as seen from a date: a move dated after that date has not happened yet,
 * so a `done` move shows as `approved` (planned). Cancelled and proposed moves keep their status.
 * The one place this rule lives: the map, the move lists, the project pages and the report use it.
 */
export function statusAsOf(move: { date: string; status: MoveStatus }, asOf: string): MoveStatus {
  return move.status === 'done' && move.date > asOf ? 'approved' : move.status;
}

export type EventPhase = 'planned' | 'running' | 'past';

/** Where a dated record (a move with its `until`, an event with its `end_date`) stands at a date. */
export function phaseAsOf(record: { date: string; end?: string | null }, asOf: string): EventPhase {
  if (record.date > asOf) return 'planned';
  if (record.end && record.end >= asOf) return 'running';
  return 'past';
}
