import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { canEditSite, canPlan, csrfToken } from '../../auth/guards.js';
import { cookieValue } from '../../auth/login-guards.js';
import { escapeHtml, formViews, takeFlash } from './forms.js';
import { utilView } from '../../services/presenters.js';
import { formNumber } from '../../i18n/numbers.js';
import { auditAction } from '../../i18n/audit.js';
import { statusAsOf } from '../../planning/status.js';
import { formatDate, formatEuro, formatNumber, formatPercent, isLang, keyAt, translate, warningMessage, type Lang } from '../../i18n/index.js';

/** Helpers every view gets: the dictionary, formatters, the user, the CSRF token. */
export function viewLocals(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // JSON answers render no view; the API documentation is a page
    if (req.path.startsWith('/api/') && !/^\/api\/docs(\/|$)/.test(req.path)) return next();
    const cookieLang = cookieValue(req, 'sp.lang');
    const lang: Lang = isLang(req.query.lang)
      ? (req.query.lang as Lang)
      : isLang(req.session?.lang)
        ? req.session.lang
        : isLang(cookieLang)
          ? cookieLang
          : 'de';
    res.locals.lang = lang;
    res.locals.t = (key: string, params?: Record<string, unknown>) => translate(lang, keyAt(key), params);
    res.locals.fmtDate = (iso: string | null | undefined) => formatDate(lang, iso);
    res.locals.fmtNum = (n: number | null | undefined, digits?: number) => formatNumber(lang, n, digits);
    // a number in a form field: every digit, no thousands, read back as the same value
    res.locals.formNum = (n: number | null | undefined) => formNumber(lang, n);
    res.locals.fmtPct = (r: number | null | undefined) => formatPercent(lang, r);
    res.locals.fmtEur = (n: number | null | undefined) => formatEuro(lang, n);
    // an amount as it was typed (a lease's rent): with its cents when it has any
    res.locals.fmtEurCents = (n: number | null | undefined) => formatEuro(lang, n, { cents: true });
    res.locals.est = estimateMark(lang);
    // an audit entry's action in words („geändert“, not „update“)
    res.locals.auditAction = (action: string) => auditAction(lang, action);
    // names in running text: the first ten, then how many more (a list of 2,000 sites is no sentence)
    res.locals.listed = (names: readonly string[], max = 10) =>
      names.length > max ? `${names.slice(0, max).join(', ')} ${translate(lang, 'common.and_more', { n: names.length - max })}` : names.join(', ');
    // a warning's text: dates as dates, ≈ before the numbers that rest on estimates
    res.locals.warnText = (w: Parameters<typeof warningMessage>[1]) => warningMessage(lang, w);
    res.locals.user = req.user ?? null;
    res.locals.path = req.path;
    res.locals.today = ctx.today();
    const csrf = () => (req.session ? csrfToken(req) : '');
    res.locals.csrf = csrf;
    // the hidden fields of every form that writes: the CSRF token, and the language the form was shown in
    // (its numbers are read in it, also when the session's language changed in another tab meanwhile)
    res.locals.formFields = () => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf())}"><input type="hidden" name="_lang" value="${lang}">`;
    res.locals.query = req.query;
    res.locals.util = (s: Parameters<typeof utilView>[0]) => utilView(s, ctx.config.planning.nearCapacityThreshold);
    res.locals.statusAsOf = statusAsOf;
    // a page's forms, one of them perhaps refused: as typed, each message next to its field
    res.locals.formViews = formViews;
    res.locals.canPlan = canPlan(req.user);
    res.locals.isAdmin = req.user?.role === 'admin';
    res.locals.canEditSite = (siteId: number) => canEditSite(req.user, siteId);
    res.locals.flash = req.session && req.method === 'GET' && !req.path.startsWith('/api/') ? takeFlash(req) : null;
    res.locals.langUrl = (l: Lang) => {
      const u = new URL(req.originalUrl, 'http://x');
      u.searchParams.set('lang', l);
      return u.pathname + u.search;
    };
    next();
  };
}

/**
 * The mark before a number that rests on an estimate (`≈`, titled "geschätzt"); empty otherwise.
 * Views print it unescaped (`<%- est(flag) %>`): it holds only the dictionary's fixed text.
 */
export function estimateMark(lang: Lang) {
  const title = escapeHtml(translate(lang, 'common.estimated'));
  return (flag: boolean | null | undefined) => (flag ? `<span class="est" title="${title}">≈</span>` : '');
}
