// `npm run reset-password -- <username>`: gives the user a new random password, printed once here,
// and ends all of their sessions (see README, "Lost password"). Uses DATABASE_URL like the server.
import { loadConfig } from '../server/config.js';
import { createContext } from '../server/context.js';
import { createKnex } from '../server/db/knex.js';
import { migrateLatest } from '../server/db/migrate.js';

const username = process.argv[2];
if (!username) {
  console.error('usage: npm run reset-password -- <username>');
  process.exit(2);
}
const config = loadConfig();
const db = createKnex(config.databaseUrl);
try {
  await migrateLatest(db);
  // a script keeps no copies (SESSION_CACHE_MS=0): it only tells the running servers of its change
  const done = await createContext(db, { ...config, sessionCacheMs: 0 }).services.users.resetPassword(username);
  if (!done) {
    console.error(`No user "${username}".`);
    process.exitCode = 1;
  } else {
    console.log(`\n  New password for "${username}": ${done.password}\n  (all of this user's sessions have ended; change it after logging in)\n`);
  }
} finally {
  await db.destroy();
}
