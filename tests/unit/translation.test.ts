import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../../server/i18n/de.js';
import { en } from '../../server/i18n/en.js';
import { auditAction, auditField, auditValue } from '../../server/i18n/audit.js';
import { LANGS, keyAt, translate, warningMessage } from '../../server/i18n/index.js';
import { REASON_CODES } from '../../server/planning/accessibility.js';
import { WARNING_SEVERITY } from '../../server/planning/types.js';
import { movesIcs } from '../../server/services/ics.js';
import { rowMessage } from '../../server/services/csv.js';

const dictionaries: Record<string, Record<string, string>> = { de, en };

describe('one translation mechanism', () => {
  it('when the engine can raise a warning or an accessibility reason, then both dictionaries have a text for its code', () => {
    for (const lang of LANGS) {
      for (const code of Object.keys(WARNING_SEVERITY)) {
        expect(dictionaries[lang][`warning.${code}`], `${lang} warning.${code}`).toBeTruthy();
        expect(dictionaries[lang][`warning.meaning.${code}`], `${lang} warning.meaning.${code}`).toBeTruthy();
      }
      for (const code of REASON_CODES) expect(dictionaries[lang][`reason.${code}`], `${lang} reason.${code}`).toBeTruthy();
    }
  });

  it('when the server names a code for people (placement reasons, CSV row errors, audit actions), then both dictionaries word it', () => {
    const server = path.resolve(import.meta.dirname, '../../server');
    const source = (f: string) => fs.readFileSync(path.join(server, f), 'utf8');
    const placement = source('planning/placement.ts');
    const relaxable = placement.slice(placement.indexOf('const RELAXATIONS'), placement.indexOf('];', placement.indexOf('const RELAXATIONS')));
    const keys = [
      ...[...placement.matchAll(/code: '([A-Z_]+)'/g)].map((m) => `placement.reason.${m[1]}`),
      ...[...relaxable.matchAll(/rule: '(\w+)'/g)].map((m) => `placement.reason.RULE_${m[1].toUpperCase()}`),
      ...[...source('services/csv.ts').matchAll(/'(import\.row\.\w+)'/g)].map((m) => m[1]),
      ...['site', 'move'].map((kind) => `import.row.no_${kind}`),
    ];
    const writers =
      fs
        .readdirSync(path.join(server, 'services'))
        .map((f) => source(`services/${f}`))
        .join('\n') + source('auth/oidc.ts');
    const actions = [...writers.matchAll(/(?:action: |audit\(trx, \w+, )'(\w+)'/g)].map((m) => `audit.action.${m[1]}`);
    expect(actions.length).toBeGreaterThan(5);
    for (const key of [...keys, ...actions, 'audit.action.status']) {
      for (const lang of LANGS) expect(dictionaries[lang][key], `${lang} ${key}`).toBeTruthy();
    }
  });

  it('when a key is in the German dictionary, then English has it too, and no other', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
  });

  it("when a warning is shown, then its words come from the dictionary with the engine's params", () => {
    const w = { code: 'OVER_CAPACITY', params: { site: 'Olgastraße 152', needed: 26, capacity: 18 } };
    expect(warningMessage('de', w)).toBe('Olgastraße 152: 26 Arbeitsplätze benötigt, Kapazität 18.');
    expect(warningMessage('en', w)).toMatch(/Olgastraße 152/);
  });

  it('when the planning engine is read, then it holds no sentence for people (codes and params only)', () => {
    const dir = path.resolve(import.meta.dirname, '../../server/planning');
    // the rules' folder too
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files).toContain(path.join('rules', 'sites.ts'));
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      // template literals with words in them are sentences; code comments are not scanned
      // nor are the descriptions of invariants (must(value, 'what it is')), which never reach a person
      const code = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/^.*\bmust\(.*$/gm, (line) => line.replace(/, '[^'\n]*'\)/g, ')'))
        // the same when the formatter puts must's arguments on lines of their own
        .replace(/\bmust\(\n([^\n]*\n)\s*'[^'\n]*',?\n/g, 'must(\n$1');
      const literals = code.match(/`[^`]*`|'[^'\n]*'|"[^"\n]*"/g) ?? [];
      const sentences = literals.map((l) => l.replace(/\$\{[^}]*\}/g, '')).filter((l) => /[a-zäöüß]{2,} [a-zäöüß]{2,} [a-zäöüß]{2,}/i.test(l));
      expect(sentences, file).toEqual([]);
      expect(code, file).not.toMatch(/message:/);
    }
  });
});

describe('audit in words', () => {
  it("when a fact changed, then the field and both values are named in the reader's language", () => {
    expect(
      `${auditField('de', 'accessible_toilet')}: ${auditValue('de', 'accessible_toilet', 'unknown')} → ${auditValue('de', 'accessible_toilet', 'yes')}`,
    ).toBe('Barrierefreies WC: unbekannt → ja');
    expect(auditAction('de', 'status:approved')).toBe('Status: genehmigt');
    expect(auditAction('en', 'create')).toBe('created');
    expect(auditAction('de', 'something_new')).toBe('something_new');
  });
});

describe('calendar feed', () => {
  const move = {
    id: 7,
    unit_id: 1,
    from_site_id: 1,
    to_site_id: 2,
    headcount: 8,
    date: '2027-03-01',
    until: '2027-06-30',
    status: 'approved' as const,
    scenario_id: null,
  };
  const names = { unit: () => 'Personal', site: (id: number | null) => (id === 1 ? 'Olgastraße 152' : 'Schwambergerstraße 1') };
  it('when the reader is German, then the feed is German with German dates', () => {
    const ics = movesIcs([move], names, 'host', new Date('2026-11-24T00:00:00Z'), 'de').replace(/\r\n /g, '');
    expect(ics).toContain('SUMMARY:Umzug Personal: Olgastraße 152 → Schwambergerstraße 1 (8 Pers.)');
    expect(ics).toContain('DESCRIPTION:Status: genehmigt\\; befristet bis 30.06.2027');
    expect(ics).toContain('SUMMARY:Rückzug Personal: Schwambergerstraße 1 → Olgastraße 152 (8 Pers.)');
  });
  it('when the reader is English, then the feed is English', () => {
    const ics = movesIcs([move], names, 'host', new Date('2026-11-24T00:00:00Z'), 'en').replace(/\r\n /g, '');
    expect(ics).toContain('SUMMARY:Move Personal: Olgastraße 152 → Schwambergerstraße 1 (8 people)');
  });
});

describe('CSV import errors', () => {
  it("when a cell is rejected, then its message is the dictionary's, short where the import has its own text", () => {
    expect(rowMessage('de', { line: 3, field: 'lat', message: 'validation.number' })).toBe('keine Zahl');
    expect(rowMessage('en', { line: 3, field: 'lat', message: 'validation.number' })).toBe('not a number');
    expect(rowMessage('de', { line: 3, field: 'capacity', message: 'validation.range?min=0&max=100000' })).toMatch(/100\.000/);
    expect(rowMessage('de', { line: 4, field: 'unit_id', message: 'import.row.no_unit', params: { id: '99999' } })).toBe('kein Dienst mit id 99999');
    expect(rowMessage('en', { line: 4, field: 'unit_id', message: 'import.row.no_unit', params: { id: '99999' } })).toBe('no unit with id 99999');
  });
});

describe('translate fills placeholders', () => {
  it('when a text has placeholders, then numbers are formatted for the language, missing ones are left empty, and asking again gives the same text', () => {
    const p = { site: 'Haus {A}', needed: 1234.5, capacity: 1000, headcount: 7 };
    const de1 = translate('de', 'warning.OVER_CAPACITY', p);
    expect(de1).toContain('Haus {A}');
    expect(de1).toContain('1.234,5');
    expect(translate('de', 'warning.OVER_CAPACITY', p)).toBe(de1);
    expect(translate('en', 'warning.OVER_CAPACITY', p)).toContain('1,234.5');
    expect(translate('de', 'warning.OVER_CAPACITY', {})).not.toMatch(/\{\w+\}/);
    expect(translate('de', keyAt('no.such.key {x}'), { x: 3 })).toBe('no.such.key 3');
    expect(translate('de', keyAt('constructor'))).toBe('constructor');
  });
});

describe('plurals by the language’s rules', () => {
  it('when a count is one, then the text is singular („1 Standort überbelegt“), otherwise plural, in both languages', () => {
    expect(translate('de', 'map.summary.over', { n: 1 })).toBe('1 Standort überbelegt');
    expect(translate('de', 'map.summary.over', { n: 0 })).toBe('0 Standorte überbelegt');
    expect(translate('de', 'map.summary.over', { n: 1234 })).toBe('1.234 Standorte überbelegt');
    expect(translate('en', 'map.summary.over', { n: 1 })).toBe('1 site over capacity');
    expect(translate('de', 'placement.team_sites', { team: 'Weststadt', n: 1 })).toBe('Weststadt: 1 Standort');
    expect(translate('de', 'placement.team_sites', { team: 'Weststadt', n: 2 })).toBe('Weststadt: 2 Standorte');
    // a key with only its forms (no base text) still answers
    expect(translate('de', 'count.moves', { n: 1 })).toBe('1 Umzug');
    expect(translate('de', 'count.moves', { n: 3 })).toBe('3 Umzüge');
  });

  it('when no German text says "(e)" or "(n)" for a plural, then none is shown', () => {
    for (const [key, text] of Object.entries(de)) expect(text, key).not.toMatch(/\w\((e|n|s)\)/);
  });
});

describe('dictionary keys checked by the type check', () => {
  it('when code names a key that is not in the dictionary, then tsc refuses it (and the text would show the key)', () => {
    // @ts-expect-error a mistyped key: 'nav.mpa' is no key of the dictionaries
    expect(translate('de', 'nav.mpa')).toBe('nav.mpa');
    expect(translate('de', 'nav.map')).toBe('Karte');
    // a key made at run time is marked as such
    expect(translate('de', keyAt(`nav.${'map'}`))).toBe('Karte');
  });
});
