/** Warning rules about the stored data itself. */
import type { WarningCode } from '../types.js';
import type { RuleContext } from './context.js';

const CODE = { move: 'DATA_ERROR_MOVE', event: 'DATA_ERROR_EVENT', override: 'DATA_ERROR_OVERRIDE', site: 'DATA_ERROR_SITE' } as const satisfies Record<
  string,
  WarningCode
>;

/**
 * DATA_ERROR_*: a record of the baseline (or of this scenario) is dated outside 1900-01-01 … 2199-12-31;
 * the plan leaves it out until it is corrected. Listed at every date: the error is in the data, not in time.
 */
export function dataError(ctx: RuleContext): void {
  for (const r of ctx.data.invalid ?? []) {
    if (r.scenario_id !== null && r.scenario_id !== ctx.scenarioId) continue;
    ctx.warn(
      CODE[r.kind],
      { id: String(r.id), value: r.value },
      {
        ...(r.site_id !== null ? { site_id: r.site_id } : {}),
        ...(r.unit_id !== null ? { unit_id: r.unit_id } : {}),
        ...(r.kind === 'move' ? { move_id: r.id } : {}),
      },
    );
  }
}
