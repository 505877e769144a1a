import { Router } from 'express';
import type { AppContext } from '../../context.js';

/** The date of the current accessibility statement (reviewed with every change of the application). */
export const STATEMENT_DATE = '2026-11-26';

/** A configured contact as a link when it is an e-mail address or a web address, else as text. */
export function contactLink(contact: string | null): { href: string | null; text: string } | null {
  if (!contact) return null;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return { href: `mailto:${contact}`, text: contact };
  if (/^https?:\/\/\S+$/.test(contact)) return { href: contact, text: contact };
  return { href: null, text: contact };
}

/** The accessibility statement and the data-protection page: public, no login needed. */
export function legalPages(ctx: AppContext): Router {
  const r = Router();
  r.get('/barrierefreiheit', (_req, res) => {
    res.render('pages/legal/accessibility', {
      title: res.locals.t('a11ystmt.title'),
      contact: contactLink(ctx.config.accessibilityContact),
      statementDate: STATEMENT_DATE,
    });
  });
  r.get('/datenschutz', (_req, res) => {
    res.render('pages/legal/privacy', {
      title: res.locals.t('privacy.title'),
      contact: contactLink(ctx.config.privacyContact),
      retentionDays: ctx.config.auditRetentionDays,
    });
  });
  return r;
}
