import path from "node:path";
import { openDatabase } from "@/db/client";
import { readSettings } from "@/lib/env";
import { ownerDatabaseUrl } from "./owner-url";

/**
 * `npm run db:migrate`: as the owner role (MIGRATE_DATABASE_URL, else DATABASE_URL), or the
 * embedded database while it is stopped.
 */
const s = readSettings();
const url = ownerDatabaseUrl(s.databaseUrl);
const handle = url
  ? await openDatabase({ url, poolSize: 1 })
  : await openDatabase({ dataDir: path.join(s.dataDir, "pglite") });
const started = Date.now();
await handle.migrate();
console.log(`Migrated ${handle.driver} database in ${Date.now() - started} ms.`);
await handle.close();
