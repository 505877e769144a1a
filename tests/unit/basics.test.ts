import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { de } from '../../server/i18n/de.js';
import { en } from '../../server/i18n/en.js';
import { formatDate, formatNumber, translate } from '../../server/i18n/index.js';
import { addMonths, isIsoDate, stepDates } from '../../server/planning/dates.js';
import { tileHosts } from '../../server/app.js';

describe('dates', () => {
  it('rejects impossible dates like 2021-02-30 and accepts leap days', () => {
    expect(isIsoDate('2021-02-30')).toBe(false);
    expect(isIsoDate('2021-13-01')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2021-3-1')).toBe(false);
  });
  it('steps by month and quarter, clamping month ends', () => {
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
    expect(stepDates('2021-01-01', '2021-12-31', 'quarter')).toEqual(['2021-01-01', '2021-04-01', '2021-07-01', '2021-10-01']);
  });
});

describe('language', () => {
  it('German and English dictionaries have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
  });
  it('formats dates and numbers the German way by default', () => {
    expect(formatDate('de', '2026-11-24')).toBe('24.11.2026');
    expect(formatNumber('de', 1234.5)).toBe('1.234,5');
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(translate('de', 'warning.NEAR_CAPACITY', { site: 'X', percent: 95 })).toBe('X ist zu 95 % belegt.');
  });
});

describe('configuration', () => {
  it('when TILE_URL is none, then the map has no tile layer and CSP allows no tile host', () => {
    const c = loadConfig({ TILE_URL: 'none' });
    expect(c.tileUrl).toBeNull();
    expect(tileHosts(c.tileUrl)).toEqual([]);
    expect(tileHosts('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toEqual(['https://*.tile.example.org']);
  });
  it('when a value is invalid, then start-up stops with a clear message', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED: 'paris' })).toThrow(/SEED/);
  });
});

describe('numbers as people type them', () => {
  it('when a form or a CSV file holds a German, plain or spaced number, then both read the same value', async () => {
    const { parseNumber } = await import('../../server/i18n/numbers.js');
    const { coerceForm } = await import('../../server/routes/pages/forms.js');
    const cases: [string, number | null][] = [
      ['1.234,5', 1234.5],
      ['12,5', 12.5],
      ['1234.5', 1234.5],
      ['12 345', 12345],
      ['1.234', 1234],
      ['-3', -3],
      ['zwölf', null],
      ['', null],
    ];
    for (const [text, value] of cases) {
      expect(parseNumber(text), text).toBe(value);
      expect(coerceForm({ area: text }, { area: 'number' }, { omitEmpty: true }).area, text).toBe(value ?? (text === '' ? undefined : text));
    }
  });
  it('when a coordinate has three decimals, then its dot is the decimal mark (a form shows 13.405 and sends it back unchanged)', async () => {
    const { parseNumber } = await import('../../server/i18n/numbers.js');
    const { coerceForm } = await import('../../server/routes/pages/forms.js');
    expect(coerceForm({ lat: '48.398', lon: '13.405' }, { lat: 'decimal', lon: 'decimal' })).toEqual({ lat: 48.398, lon: 13.405 });
    expect(coerceForm({ lon: '9,991' }, { lon: 'decimal' }).lon).toBe(9.991);
    expect(parseNumber('1.234', { grouping: false })).toBe(1.234);
    expect(parseNumber('1.234')).toBe(1234);
  });
  it("when a form shows a number, then it shows every digit in the page's language and reads it back as the same value", async () => {
    const { parseNumber, formNumber } = await import('../../server/i18n/numbers.js');
    const { coerceForm } = await import('../../server/routes/pages/forms.js');
    for (const n of [12.125, 1234.5, 48.3984, 9.9916, 150, -3.25, 0.1 + 0.2, 123456.789]) {
      for (const lang of ['de', 'en'] as const) {
        const shown = formNumber(lang, n);
        expect(coerceForm({ v: shown }, { v: 'number' }, { lang }).v, `${lang} ${shown}`).toBeCloseTo(n, 9);
        expect(coerceForm({ v: shown }, { v: 'decimal' }, { lang }).v, `${lang} ${shown}`).toBeCloseTo(n, 9);
      }
    }
    expect(formNumber('de', 12.125)).toBe('12,125');
    expect(formNumber('de', 0.1 + 0.2)).toBe('0,3');
    expect(formNumber('en', 1234.5)).toBe('1234.5');
    expect(formNumber('de', null)).toBe('');
    // an English page reads English numbers; a German decimal comma typed there is still a decimal comma
    expect(parseNumber('1,234.5', { lang: 'en' })).toBe(1234.5);
    expect(parseNumber('12.125', { lang: 'en' })).toBe(12.125);
    expect(parseNumber('12,125', { lang: 'en' })).toBe(12125);
    expect(parseNumber('12,5', { lang: 'en' })).toBe(12.5);
    expect(parseNumber('12.125', { lang: 'de' })).toBe(12125);
  });
});

describe('where a move stands in the council report', () => {
  it('when its day has passed by the Stichtag and by today without being recorded as done, then overdue; a day still to come before a future Stichtag is planned', async () => {
    const { moveStanding } = await import('../../server/services/council-report.js');
    const approved = (date: string) => ({ date, status: 'approved' as const });
    // read on 24.11.2026 for a Stichtag in June 2027
    expect(moveStanding(approved('2023-10-01'), '2027-06-01', '2026-11-24')).toBe('overdue');
    expect(moveStanding(approved('2027-01-15'), '2027-06-01', '2026-11-24')).toBe('planned');
    // a past Stichtag: what lay before it and is still not done is overdue
    expect(moveStanding(approved('2021-01-01'), '2021-03-01', '2026-11-24')).toBe('overdue');
    expect(moveStanding(approved('2021-06-01'), '2021-03-01', '2026-11-24')).toBe('planned');
    expect(moveStanding({ date: '2021-01-01', status: 'done' }, '2021-03-01', '2026-11-24')).toBe('done');
    expect(moveStanding({ date: '2021-01-01', status: 'cancelled' }, '2021-03-01', '2026-11-24')).toBe('cancelled');
  });
});
