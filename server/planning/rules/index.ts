/**
 * The warning rules of a plan's state, one function each. To add a rule: write a function
 * `(ctx: RuleContext) => void` (in the file of its subject, or a new file), add its code to
 * WarningCode and WARNING_SEVERITY (../types.ts) and its text to both dictionaries, and list it here.
 * The order of this list does not matter: warnings are sorted by severity, code and subject afterwards.
 */
import type { RuleContext, WarningRule } from './context.js';
import { dataError } from './data.js';
import { negativeHeadcount } from './ledger.js';
import { areaBelowStandard, dataStale, siteLoad } from './sites.js';
import { outsideDistrict, teamSplit } from './teams.js';
import { noAccessibleStop, notStepFree, stepFreeUnknown } from './units.js';
import { leaseEnds, noticeDue } from './leases.js';
import { floorAreaBelowStandard, floorOverCapacity } from './floors.js';

export type { LeaseNotice, LeaseView, NegativeAt, RuleContext, WarningRule, WarningSubject } from './context.js';

export const WARNING_RULES: readonly WarningRule[] = [
  siteLoad,
  areaBelowStandard,
  dataStale,
  notStepFree,
  stepFreeUnknown,
  noAccessibleStop,
  negativeHeadcount,
  teamSplit,
  outsideDistrict,
  leaseEnds,
  floorOverCapacity,
  floorAreaBelowStandard,
  noticeDue,
  dataError,
];

/** Runs every rule on one state. */
export function runRules(ctx: RuleContext, rules: readonly WarningRule[] = WARNING_RULES): void {
  for (const rule of rules) rule(ctx);
}
