import path from "node:path";
import { readSettings } from "@/lib/env";
import { openDatabase } from "./client";

/** `npm run db:migrate`: the server's DATABASE_URL, or the embedded database while it is stopped. */
const s = readSettings();
const handle = s.databaseUrl
  ? await openDatabase({ url: s.databaseUrl, poolSize: 1 })
  : await openDatabase({ dataDir: path.join(s.dataDir, "pglite") });
const started = Date.now();
await handle.migrate();
console.log(`Migrated ${handle.driver} database in ${Date.now() - started} ms.`);
await handle.close();
