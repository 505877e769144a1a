import { formatNumber, keyAt, translate, withMessages, type Lang } from '../i18n/index.js';
import type { PlacementReason } from '../planning/placement.js';
import type { PlacementAnswer } from './placement-service.js';

/**
 * The sentence for a reason why a placement cannot be found, e.g. "Kein Standort mit 62 Plätzen,
 * stufenlos, im Sozialraum Weststadt": the engine names the rule with parameters, the words are
 * the dictionary's.
 */
export function placementReasonText(lang: Lang, reason: PlacementReason): string {
  const p = reason.params;
  if (reason.code === 'NO_SITE_FOR_TEAM' || reason.code === 'NO_SITE_FOR_UNIT') {
    const qualifiers = [
      p.step_free ? translate(lang, 'placement.reason.step_free') : null,
      p.district ? translate(lang, 'placement.reason.in_district', { district: p.district }) : null,
    ]
      .filter(Boolean)
      .map((q) => `, ${q}`)
      .join('');
    return translate(lang, `placement.reason.${reason.code}`, { ...p, needed: formatNumber(lang, Number(p.needed)), qualifiers });
  }
  const text = translate(lang, keyAt(`placement.reason.${reason.code}`), p);
  return p.sites ? `${text} ${translate(lang, 'placement.reason.would_fit', { sites: p.sites })}` : text;
}

/** Reasons and warnings carry codes and parameters; the answer adds their text in the user's language. */
export function withTexts(answer: PlacementAnswer, lang: Lang) {
  return {
    ...answer,
    // each reason once: the solver may find the same one for every proposal it tried
    reasons: [...new Map(answer.reasons.map((r) => ({ ...r, message: placementReasonText(lang, r) })).map((r) => [r.message, r])).values()],
    proposals: answer.proposals.map((p) => ({ ...p, warnings: withMessages(lang, p.warnings) })),
  };
}
