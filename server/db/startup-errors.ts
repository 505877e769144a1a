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
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code) || code === '28P01' || code === '3D000') {
    return `Cannot reach ${db} (${code}: ${msg}). Check DATABASE_URL, that the server runs, and the user's password.`;
  }
  return null;
}
