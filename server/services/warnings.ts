import { z } from 'zod';
import { isOpenWarning } from '../planning/acknowledgements.js';
import type { PlanState, Warning } from '../planning/types.js';
import { DATA_GAP_CODES } from '../planning/types.js';

export const DEFAULT_WARNINGS_LIMIT = 500;

/** `warnings_limit`: a positive number or `all` (default 500). */
export const warningsLimitQuery = z
  .union([
    z.literal('all'),
    z
      .string()
      .regex(/^[1-9]\d{0,6}$/, 'must be a positive whole number or "all"')
      .transform(Number),
  ])
  .optional()
  .transform((v): number | 'all' => v ?? DEFAULT_WARNINGS_LIMIT);

export interface LimitedState extends Omit<PlanState, 'warnings'> {
  warnings: Warning[];
  warnings_total: number;
  warnings_by_code: Record<string, number>;
  warnings_limit: number | 'all';
  /** the warnings counted at a glance: neither acknowledged nor a data gap (SPEC section 16) */
  warnings_open: number;
  warnings_acknowledged: number;
  /** gaps in the data (STEP_FREE_UNKNOWN): listed under "Datenlücken", not counted as warnings */
  data_gaps: number;
}

/**
 * A state with at most `limit` warnings (the engine sorts them most severe first), their total and
 * their count per code: however messy the data, the answer stays small.
 */
export function limitWarnings(state: PlanState, limit: number | 'all' = DEFAULT_WARNINGS_LIMIT): LimitedState {
  const byCode: Record<string, number> = {};
  let open = 0;
  let acknowledged = 0;
  let gaps = 0;
  for (const w of state.warnings) {
    byCode[w.code] = (byCode[w.code] ?? 0) + 1;
    if (isOpenWarning(w)) open++;
    else if (DATA_GAP_CODES.has(w.code)) gaps++;
    else acknowledged++;
  }
  return {
    ...state,
    warnings: limit === 'all' ? state.warnings : state.warnings.slice(0, limit),
    warnings_total: state.warnings.length,
    warnings_by_code: byCode,
    warnings_limit: limit,
    warnings_open: open,
    warnings_acknowledged: acknowledged,
    data_gaps: gaps,
  };
}
