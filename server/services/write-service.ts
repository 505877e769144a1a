import type { SessionUser } from '../auth/guards.js';
import { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from '../repositories/index.js';
import { AppError, conflict, notFound } from '../errors.js';
import type { Repos, Tx } from '../repositories/index.js';
import type { TableRepo } from '../repositories/table.js';
import { must } from '../invariant.js';

export type Entity =
  | 'district'
  | 'team'
  | 'unit'
  | 'site'
  | 'site_event'
  | 'move'
  | 'scenario'
  | 'place'
  | 'user'
  | 'project'
  | 'scenario_override'
  | 'lease'
  | 'acknowledgement'
  | 'floor'
  | 'room';

/**
 * The one path every change of data takes: one transaction with the change, its audit entry
 * (before and after) and the plan revision bump; optimistic locking on `version`.
 */
export class WriteService {
  constructor(private readonly repos: Pick<Repos, 'transaction' | 'revision' | 'audit'>) {}

  async transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.repos.transaction(async (trx) => {
        // the revision is bumped first: that write takes the lock at once (SQLite: the transaction
        // becomes the one writer, as BEGIN IMMEDIATE; PostgreSQL: the revision row stays locked to
        // the commit), so concurrent writes run one after the other and every rule checked inside
        // sees the data the previous write committed
        await this.repos.revision.bump(trx);
        return await fn(trx);
      });
    } catch (err) {
      throw translateDbError(err);
    }
  }

  audit(trx: Tx, user: SessionUser | null, action: string, entity: Entity, entityId: number | null, before: unknown, after: unknown) {
    return this.repos.audit.record(
      { user_id: user?.id ?? null, username: user?.username ?? 'system', action, entity, entity_id: entityId, before, after },
      trx,
    );
  }

  /** One audit entry per record of a bulk write, written in pieces. */
  auditMany(trx: Tx, user: SessionUser | null, action: string, entity: Entity, items: readonly { id: number; before: unknown; after: unknown }[]) {
    return this.repos.audit.recordMany(
      items.map((i) => ({
        user_id: user?.id ?? null,
        username: user?.username ?? 'system',
        action,
        entity,
        entity_id: i.id,
        before: i.before,
        after: i.after,
      })),
      trx,
    );
  }

  async create<T extends { id: number }>(
    repo: TableRepo<T>,
    entity: Entity,
    user: SessionUser,
    values: Record<string, unknown>,
    after?: (trx: Tx, row: T) => Promise<void>,
  ): Promise<T> {
    return this.transaction(async (trx) => {
      const row = await repo.insert(values, trx);
      if (after) await after(trx, row);
      const fresh = must(await repo.get(row.id, trx), 'repo.get(row.id, trx)');
      await this.audit(trx, user, 'create', entity, row.id, null, scrub(fresh));
      return fresh;
    });
  }

  async update<T extends { id: number; version: number }>(
    repo: TableRepo<T>,
    entity: Entity,
    user: SessionUser,
    id: number,
    version: number,
    values: Record<string, unknown>,
    opts: { action?: string; after?: (trx: Tx, row: T) => Promise<void> } = {},
  ): Promise<T> {
    return this.transaction(async (trx) => {
      const before = await repo.get(id, trx);
      if (!before) throw notFound(entity);
      if (before.version !== version) throw conflict(scrub(before));
      const row = await repo.update(id, version, values, trx);
      if (!row) throw conflict(scrub(must(await repo.get(id, trx), 'repo.get(id, trx)')));
      if (opts.after) await opts.after(trx, row);
      const fresh = must(await repo.get(id, trx), 'repo.get(id, trx)');
      await this.audit(trx, user, opts.action ?? 'update', entity, id, scrub(before), scrub(fresh));
      return fresh;
    });
  }

  async remove<T extends { id: number; version: number }>(
    repo: TableRepo<T>,
    entity: Entity,
    user: SessionUser,
    id: number,
    version: number | undefined,
    before?: (trx: Tx, row: T) => Promise<void>,
  ): Promise<void> {
    await this.transaction(async (trx) => {
      const row = await repo.get(id, trx);
      if (!row) throw notFound(entity);
      if (version !== undefined && row.version !== version) throw conflict(scrub(row));
      if (before) await before(trx, row);
      await repo.delete(id, trx);
      await this.audit(trx, user, 'delete', entity, id, scrub(row), null);
    });
  }
}

/** Never audit or return password hashes. */
export function scrub<T>(row: T): T {
  if (row && typeof row === 'object' && ('password_hash' in (row as object) || 'feed_token' in (row as object))) {
    // secrets never reach the audit log or an answer; a changed feed token shows as a boolean
    const { password_hash: _ph, feed_token: ft, session_epoch: _se, ...rest } = row as Record<string, unknown>;
    return ('feed_token' in (row as object) ? { ...rest, has_feed_token: Boolean(ft) } : rest) as T;
  }
  return row;
}

function translateDbError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isUniqueViolation(err)) return new AppError(409, 'DUPLICATE', 'a record with this name already exists', { name: 'validation.duplicate' });
  if (isForeignKeyViolation(err)) return new AppError(422, 'REFERENCE', 'a referenced record does not exist or is still in use');
  if (isCheckViolation(err)) return new AppError(400, 'VALIDATION_FAILED', 'a value breaks a rule of the data model');
  return err;
}
