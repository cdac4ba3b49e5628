import "server-only";
import path from "node:path";
import { type Db, type DbHandle, openDatabase } from "@/db/client";
import { seedDemoIfEmpty } from "./demo";
import { settings } from "./env";

export type { Db } from "@/db/client";

const globalForDb = globalThis as unknown as { rosterDb?: Promise<DbHandle> };

async function open(): Promise<DbHandle> {
  const s = settings();
  if (s.databaseUrl) {
    const handle = await openDatabase({ url: s.databaseUrl, poolSize: s.poolSize });
    if (s.demo) await seedDemoIfEmpty(handle.db);
    return handle;
  }
  // The embedded database is owned by this one process: migrate (and seed) it here. Demo data
  // only in development or with ROSTER_DEMO=1; otherwise a fresh workspace opens on /setup.
  const handle = await openDatabase({ dataDir: path.join(s.dataDir, "pglite") });
  await handle.migrate();
  if (s.demo) await seedDemoIfEmpty(handle.db);
  return handle;
}

/**
 * The one database, opened lazily on first use (so `next build` never opens it) and cached on
 * globalThis so that dev-mode reloads share one PGlite instance.
 */
export function getDb(): Promise<Db> {
  globalForDb.rosterDb ??= open().catch((error: unknown) => {
    globalForDb.rosterDb = undefined;
    throw error;
  });
  return globalForDb.rosterDb.then((h) => h.db);
}
