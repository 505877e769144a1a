/**
 * How a process learns, without a query, that some process may have committed a change to the
 * database (a write, a login, a logout): a token that differs from one change to the next.
 *
 * - SQLite (WAL mode): the header of the WAL index (`<file>-shm`), which every commit of every
 *   process on the machine rewrites (its change counter and last frame); one 48-byte read.
 * - PostgreSQL: writers send NOTIFY on the channel `sp_changes` in their transaction (delivered to
 *   every listening process when it commits); a listening connection counts the notifications.
 *   While it is not connected there is no token, and callers read the database.
 *
 * A token of `undefined` means "unknown": callers must then not trust any copy.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import pg from 'pg';

export const CHANGE_CHANNEL = 'sp_changes';

export interface ChangeSignal {
  token(): string | undefined;
  /** tells the other processes about a change (PostgreSQL: NOTIFY, sent when `db`'s transaction commits) */
  notify(db: Knex | Knex.Transaction): Promise<void>;
  close(): Promise<void>;
}

/** No signal: no token, so nothing is trusted without a read. */
export const NO_SIGNAL: ChangeSignal = { token: () => undefined, notify: async () => {}, close: async () => {} };

/** The WAL-index header of a SQLite database file. */
export class SqliteChangeSignal implements ChangeSignal {
  private fd: number | null = null;
  private readonly header = Buffer.alloc(48);

  constructor(private readonly file: string) {}

  token(): string | undefined {
    try {
      this.fd ??= fs.openSync(`${this.file}-shm`, 'r');
      if (fs.readSync(this.fd, this.header, 0, 48, 0) < 48) return undefined;
      return this.header.toString('latin1');
    } catch {
      // not (yet) in WAL mode, or the file went away: unknown
      this.closeFd();
      return undefined;
    }
  }

  async notify(): Promise<void> {
    // every commit rewrites the header by itself
  }

  async close(): Promise<void> {
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    this.fd = null;
  }
}

/**
 * NOTIFY sp_changes with every change; with `listen`, LISTEN on a connection of its own as well
 * (reconnecting after a failure). A process that keeps no copies only notifies.
 */
export class PgChangeSignal implements ChangeSignal {
  private client: pg.Client | null = null;
  private count = 0;
  private connected = false;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  /** the connection's generation: a notification counts only for the connection it came on */
  private epoch = 0;

  constructor(
    private readonly connection: string | pg.ClientConfig,
    listen: boolean,
  ) {
    if (listen) void this.connect();
  }

  token(): string | undefined {
    return this.connected ? `${this.epoch}:${this.count}` : undefined;
  }

  async notify(db: Knex | Knex.Transaction): Promise<void> {
    await db.raw('select pg_notify(?, ?)', [CHANGE_CHANNEL, '']);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) await c.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const c = new pg.Client(typeof this.connection === 'string' ? { connectionString: this.connection } : this.connection);
    this.client = c;
    const lost = () => {
      if (this.client !== c) return;
      this.connected = false;
      this.client = null;
      c.end().catch(() => {});
      if (!this.closed) {
        this.retry = setTimeout(() => void this.connect(), 1000);
        this.retry.unref();
      }
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', () => {
      this.count++;
    });
    try {
      await c.connect();
      // the listener never keeps the process alive on its own
      (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.client !== c) return;
      this.epoch++;
      this.connected = true;
    } catch {
      lost();
    }
  }
}

/**
 * The signal for a database: SQLite file, PostgreSQL URL, or none (in-memory SQLite). Every process
 * that writes needs one (to notify); `listen`: this process keeps copies and needs the token too.
 */
export function changeSignalFor(db: Knex, listen: boolean): ChangeSignal {
  const config = db.client.config as { client: string; connection: string | (pg.ClientConfig & { filename?: string }) };
  if (config.client === 'pg') return new PgChangeSignal(config.connection, listen);
  const file = typeof config.connection === 'object' ? config.connection.filename : undefined;
  return file && file !== ':memory:' ? new SqliteChangeSignal(file) : NO_SIGNAL;
}
