/**
 * An honest capacity form (issue 27): when a dated capacity event is in force, the site form shows
 * that capacity, says from when and by which event it is set, and saving changes that event, so the
 * site page shows one current capacity (not "≈33 / ≈34" next to "Kapazität ≈36").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { EDITOR_SITE_NAME } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let editor: { agent: TestAgent; csrf: string };
let site: { id: number; capacity: number; version: number };
let event: { id: number; version: number; capacity: number };
beforeAll(async () => {
  t = await createTestApp();
  editor = await t.login('editor');
  site = (await editor.agent.get('/api/sites')).body.find((s: { name: string }) => s.name === EDITOR_SITE_NAME);
  // a capacity event in force today (TEST_TODAY 24.11.2026): from 01.03.2025 the site holds 4 more
  const res = await editor.agent
    .post(`/api/sites/${site.id}/events`)
    .set('X-CSRF-Token', editor.csrf)
    .send({ kind: 'capacity', date: '2025-03-01', capacity: site.capacity + 4, note: 'Zusätzliche Räume' });
  expect(res.status).toBe(201);
  event = res.body;
});
afterAll(async () => {
  await t?.close();
});

/** The text of an element by id (tags removed, spaces folded). */
const textOf = (html: string, id: string) =>
  (new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</(dd|strong|div)>`).exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the site form when a capacity event is in force', () => {
  it('when a site_editor opens the form, then the capacity field shows the value in force and says which event sets it from when', async () => {
    const res = await editor.agent.get(`/sites/${site.id}/edit`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(new RegExp(`id="f-capacity" name="capacity" type="number" value="${site.capacity + 4}"`));
    expect(res.text).toContain('Kapazität (gilt seit 01.03.2025)');
    expect(res.text).toContain(
      `Seit dem 01.03.2025 legt das Ereignis „Kapazitätsänderung“ die Kapazität fest. Was Sie hier eintragen, ändert dieses Ereignis; der Grundwert vor dem 01.03.2025 (${site.capacity}) bleibt.`,
    );
    expect(res.text).toContain(`name="capacity_event_id" value="${event.id}"`);
  });

  it('when a site_editor saves a new capacity, then the event in force changes, the base value stays and the site page shows one current capacity', async () => {
    const target = site.capacity + 6;
    const res = await editor.agent
      .post(`/sites/${site.id}/edit`)
      .type('form')
      .send({
        _csrf: editor.csrf,
        version: String(site.version),
        capacity: String(target),
        capacity_event_id: String(event.id),
        capacity_event_version: String(event.version),
        notes: 'Kapazität nach Begehung',
      });
    expect(res.status).toBe(303);
    const ev = await t.db('site_events').where({ id: event.id }).first();
    expect(ev.capacity).toBe(target);
    const stored = await t.db('sites').where({ id: site.id }).first();
    expect(stored.capacity).toBe(site.capacity);
    expect(stored.notes).toBe('Kapazität nach Begehung');
    // both changes are in the audit log
    const audit = await t.db('audit_log').whereIn('entity', ['site', 'site_event']).andWhere('username', 'editor').andWhere('action', 'update');
    expect(audit.map((a: { entity: string }) => a.entity).sort()).toEqual(['site', 'site_event']);

    const page = await editor.agent.get(`/sites/${site.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text, 'site-figures')).toMatch(new RegExp(`/ ≈?${target}$`));
    const details = textOf(page.text, 'site-capacity');
    expect(details).toMatch(new RegExp(`^≈?${target} seit 01.03.2025 durch „Kapazitätsänderung“; Grundwert davor: ≈?${site.capacity}$`));
    // the form now shows the saved value
    expect((await editor.agent.get(`/sites/${site.id}/edit`)).text).toMatch(new RegExp(`id="f-capacity" name="capacity" type="number" value="${target}"`));
  });

  it('when the event was changed by someone else meanwhile, then 409 with the form again and nothing is written', async () => {
    const before = await t.db('sites').where({ id: site.id }).first();
    const res = await editor.agent
      .post(`/sites/${site.id}/edit`)
      .type('form')
      .send({
        _csrf: editor.csrf,
        version: String(before.version),
        capacity: '99',
        capacity_event_id: String(event.id),
        capacity_event_version: String(event.version),
        notes: 'veraltet',
      });
    expect(res.status).toBe(409);
    const ev = await t.db('site_events').where({ id: event.id }).first();
    expect(ev.capacity).toBe(site.capacity + 6);
    const after = await t.db('sites').where({ id: site.id }).first();
    expect(after.version).toBe(before.version);
    expect(after.notes).toBe('Kapazität nach Begehung');
    // the form again, now based on the event's current version
    expect(res.text).toContain(`name="capacity_event_version" value="${ev.version}"`);
  });

  it('when the capacity is not a number, then the form says so next to the field and nothing is written', async () => {
    const before = await t.db('sites').where({ id: site.id }).first();
    const ev = await t.db('site_events').where({ id: event.id }).first();
    const res = await editor.agent
      .post(`/sites/${site.id}/edit`)
      .type('form')
      .send({
        _csrf: editor.csrf,
        version: String(before.version),
        capacity: '-3',
        capacity_event_id: String(event.id),
        capacity_event_version: String(ev.version),
      });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="f-capacity-err"/);
    expect((await t.db('site_events').where({ id: event.id }).first()).capacity).toBe(site.capacity + 6);
  });
});
