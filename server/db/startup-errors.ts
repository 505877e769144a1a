/**
 * Start-up failures an operator can fix, said plainly (which file or port, and what to do)
 * instead of a stack trace or knex's "MigrationLocked".
 */
export function explainStartupError(err: unknown, where: { databaseUrl?: string; port?: number }): string | null {
  const e = err as { code?: string; name?: string; message?: string; address?: string; port?: number };
  if (!e || typeof e !== 'object') return null;
  const msg = String(e.message ?? '');
  const code = String(e.code ?? '');
  const db = where.databaseUrl?.startsWith('postgres')
    ? 'the PostgreSQL database'
    : `the database file ${where.databaseUrl?.replace(/^sqlite:(\/\/)?/, '') ?? ''}`.trim();
  if (code === 'EADDRINUSE') {
    const port = e.port ?? where.port;
    return (
      `Port ${port} is already in use: another program (or a second Standortplanung) is listening there.\n` +
      `Stop it, or start this one on another port, e.g. PORT=${Number(port) + 1} npm start.`
    );
  }
  if (code === 'EACCES' && e.port !== undefined) {
    return `Port ${e.port} may not be opened by this user (ports below 1024 need extra rights). Choose another with PORT=…`;
  }
  if (/SQLITE_READONLY|readonly database|read-only|EROFS/i.test(msg) || code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return (
      `Cannot write to ${db}: it is read-only (file or directory permissions, a read-only disk or mount).\n` +
      'Standortplanung needs write access to its database: fix the permissions, or point DATABASE_URL to a writable place.'
    );
  }
  if (/SQLITE_CANTOPEN|unable to open database/i.test(msg) || code === 'SQLITE_CANTOPEN') {
    return `Cannot open ${db}: check that its directory exists and is writable, or set DATABASE_URL.`;
  }
  if (/SQLITE_FULL|database or disk is full|ENOSPC|could not extend file|No space left/i.test(msg) || code === 'ENOSPC' || code === '53100') {
    return `The disk holding ${db} is full: free some space and start again.`;
  }
  if (e.name === 'MigrationLocked' || /Migration table is already locked/i.test(msg)) {
    return (
      `Another process is updating the schema of ${db}, or an earlier update was interrupted.\n` +
      'If no other Standortplanung is starting, release the lock: UPDATE knex_migrations_lock SET is_locked = 0; then start again.'
    );
  }
  const pg = postgresParts(where.databaseUrl);
  if (code === '28P01') {
    return `PostgreSQL refused the password of user "${pg.user}" (wrong password, or no such user): correct the user and password in DATABASE_URL.`;
  }
  if (code === '3D000') {
    return `The database "${pg.database}" does not exist on the PostgreSQL server ${pg.host}: create it (createdb ${pg.database}) or correct the name in DATABASE_URL.`;
  }
  if (code === '28000') {
    return `PostgreSQL does not let user "${pg.user}" in (${msg}): check the user in DATABASE_URL and the server's pg_hba.conf.`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `The database host "${pg.host}" is not known (${code}): correct the host in DATABASE_URL.`;
  }
  if (['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
    return `Cannot reach ${db} at ${pg.host}:${pg.port} (${code}): check that the PostgreSQL server runs and listens there, and the host and port in DATABASE_URL.`;
  }
  return null;
}

/** User, host, port and database of a PostgreSQL URL, for messages (never the password). */
function postgresParts(url: string | undefined): { user: string; host: string; port: string; database: string } {
  try {
    const u = new URL(url ?? '');
    return {
      user: decodeURIComponent(u.username),
      host: u.hostname,
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username),
    };
  } catch {
    return { user: '?', host: '?', port: '5432', database: '?' };
  }
}
