import type { Knex } from 'knex';
import { NO_SIGNAL, type ChangeSignal } from '../db/change-signal.js';
import type { Db } from './table.js';

/** What held when a read began: the count of this process's forgets and the change signal's token. */
export interface ReadStart {
  generation: number;
  token: string | undefined;
}

/**
 * The data revision: every write bumps it in its transaction. With `maxAgeMs` a value read is kept
 * at most that long and only while the change signal says that no process has committed anything
 * since the read began (see server/db/change-signal.ts); this process's own writes forget it at once
 * (when they bump it and again when their transaction ends). Without a signal nothing is kept.
 */
export class RevisionRepo {
  private known: { value: number; at: number; token: string } | null = null;
  /** counts forgets, so a read that began before one does not keep its (older) value */
  private generation = 0;
  constructor(
    private readonly db: Knex,
    private readonly maxAgeMs = 0,
    readonly signal: ChangeSignal = NO_SIGNAL,
  ) {}

  async current(db: Db = this.db): Promise<number> {
    const fresh = db === this.db ? this.fresh() : undefined;
    if (fresh !== undefined) return fresh;
    const start = this.readStart();
    const r = await db('plan_revision').where({ id: 1 }).first('revision');
    const value = Number(r?.revision ?? 0);
    if (db === this.db) this.remember(value, start);
    return value;
  }

  /** The value kept, if it is recent and nothing was committed since it was read. */
  fresh(): number | undefined {
    const k = this.known;
    if (!k || Date.now() - k.at >= this.maxAgeMs || Date.now() < k.at) return undefined;
    return this.signal.token() === k.token ? k.value : undefined;
  }

  /** To be taken before reading the revision (or anything read with it), for remember(). */
  readStart(): ReadStart {
    return { generation: this.generation, token: this.maxAgeMs > 0 ? this.signal.token() : undefined };
  }

  /** Whether a read that began at `start` may be kept (nothing forgotten since, a token known). */
  mayKeep(start: ReadStart): start is { generation: number; token: string } {
    return this.maxAgeMs > 0 && start.token !== undefined && start.generation === this.generation;
  }

  /** Keeps a value read outside a transaction. */
  remember(value: number, start: ReadStart): void {
    if (this.mayKeep(start)) this.known = { value, at: Date.now(), token: start.token };
  }

  forget(): void {
    this.known = null;
    this.generation++;
  }

  async bump(db: Db = this.db): Promise<void> {
    this.forget();
    // and again once the transaction has ended: a read in between saw the revision before it
    const trx = db as Partial<Knex.Transaction>;
    trx.executionPromise?.then(
      () => this.forget(),
      () => this.forget(),
    );
    await db('plan_revision').where({ id: 1 }).increment('revision', 1);
    // the other processes hear of it when the transaction commits
    await this.signal.notify(db);
  }
}
