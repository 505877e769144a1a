import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/guards.js';
import { loadConfig } from '../../server/config.js';
import type { Services } from '../../server/services/index.js';
import { HeavyWork } from '../../server/work/heavy-work.js';

const user = (id: number): SessionUser => ({ id, username: `u${id}`, role: 'planner', display_name: null, site_ids: [], session_epoch: 0 });

/** Services whose report differences wait until released: the analyses stay "running" as long as a test wants. */
function heldServices() {
  const gates: (() => void)[] = [];
  const held = () =>
    new Promise<{ summary: [] }>((resolve) => {
      gates.push(() => resolve({ summary: [] }));
    });
  const services = {
    planning: { scenarioDifferences: held, periodOf: async () => ({ from: '2020-01-01', to: '2020-12-01' }) },
    placement: { propose: async () => ({ proposals: [] }) },
  } as unknown as Services;
  return { services, releaseAll: () => gates.splice(0).forEach((g) => g()) };
}

/** One slot (WORKERS=0 runs one at a time as far as the limits count), two may wait, two per user. */
const config = { ...loadConfig({ SESSION_SECRET: 'x'.repeat(16), WORKERS: '0', QUEUE_MAX: '2' }) };

describe('the heavy-work pool: bounded, per user, and a placement that cannot start is refused at once', () => {
  it('when a user already has 2 analyses going, then the third is 503 BUSY; another user still gets in', async () => {
    const { services, releaseAll } = heldServices();
    const heavy = new HeavyWork(config, services, () => '2026-11-24');
    const a = [heavy.scenarioDifferences(user(1), 1), heavy.scenarioDifferences(user(1), 1)];
    await expect(heavy.scenarioDifferences(user(1), 1)).rejects.toMatchObject({ status: 503, code: 'BUSY' });
    const b = heavy.scenarioDifferences(user(2), 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(heavy.load()).toEqual({ running: 1, waiting: 2 });
    releaseAll();
    await Promise.all([...a, b]);
    expect(heavy.load()).toEqual({ running: 0, waiting: 0 });
    // answered: the user may ask again
    const again = heavy.scenarioDifferences(user(1), 1);
    await new Promise((r) => setTimeout(r, 10));
    releaseAll();
    await again;
  });

  it('when QUEUE_MAX analyses wait behind the running one, then the next is 503 BUSY whoever asks', async () => {
    const { services, releaseAll } = heldServices();
    const heavy = new HeavyWork(config, services, () => '2026-11-24');
    const going = [1, 2, 3].map((id) => heavy.scenarioDifferences(user(id), 1));
    await new Promise((r) => setTimeout(r, 10));
    await expect(heavy.scenarioDifferences(user(4), 1)).rejects.toMatchObject({ status: 503, code: 'BUSY' });
    releaseAll();
    await Promise.all(going);
  });

  it('when every worker is taken, then a placement is refused at once (503 BUSY) instead of waiting past its promised time; when one is free it runs', async () => {
    const { services, releaseAll } = heldServices();
    const heavy = new HeavyWork(config, services, () => '2026-11-24');
    const running = heavy.scenarioDifferences(user(1), 1);
    await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    await expect(heavy.propose(user(2), { date: '2026-11-24', team_ids: [1], time_limit_s: 30 })).rejects.toMatchObject({ status: 503, code: 'BUSY' });
    expect(performance.now() - t0).toBeLessThan(100);
    releaseAll();
    await running;
    await expect(heavy.propose(user(2), { date: '2026-11-24', team_ids: [1], time_limit_s: 30 })).resolves.toEqual({ proposals: [] });
  });

  it('when a placement waited so long that its promised time is nearly gone, then it is refused (503 BUSY) rather than solved late', async () => {
    const { services } = heldServices();
    const heavy = new HeavyWork(config, services, () => '2026-11-24');
    const arrived = Date.now() - 9_000;
    await expect(heavy.propose(user(2), { date: '2026-11-24', team_ids: [1], time_limit_s: 5 }, arrived)).rejects.toMatchObject({ status: 503, code: 'BUSY' });
  });

  it('when the pool is closed, then no more work is taken', async () => {
    const { services } = heldServices();
    const heavy = new HeavyWork(config, services, () => '2026-11-24');
    await heavy.close();
    await expect(heavy.scenarioDifferences(user(1), 1)).rejects.toMatchObject({ status: 503, code: 'BUSY' });
  });
});
