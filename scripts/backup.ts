/** `npm run backup`: a consistent copy of the SQLite database under data/backups/ (or a pg_dump hint). */
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../server/config.js';
import { backupSqlite } from '../server/db/backup.js';
import { createKnex, dialectOf } from '../server/db/knex.js';

const config = loadConfig();
if (dialectOf(config.databaseUrl) === 'pg') {
  const u = new URL(config.databaseUrl);
  console.log('PostgreSQL: back up with pg_dump, for example');
  console.log(`  pg_dump --format=custom --file=standortplanung-$(date +%Y%m%d-%H%M%S).dump "${u.protocol}//${u.username}@${u.host}${u.pathname}"`);
  console.log('and restore with  pg_restore --clean --dbname=<url> <file>');
  process.exit(0);
}
const db = createKnex(config.databaseUrl);
const dir = process.env.BACKUP_DIR ?? path.join(PROJECT_ROOT, 'data', 'backups');
backupSqlite(db, dir)
  .then((file) => {
    console.log(`backup written: ${file}`);
    return db.destroy();
  })
  .catch(async (e) => {
    console.error(e.message);
    await db.destroy();
    process.exit(1);
  });
