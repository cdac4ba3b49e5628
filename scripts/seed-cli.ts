import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type DbHandle, openDatabase, queryRows } from "@/db/client";
import {
  DEFAULT_CHUNK_SIZE,
  resetWorkspace,
  type SeedLargeEvent,
  seedLargeWorkspace,
} from "@/db/seed-large";
import { DEMO_PASSWORD, seedDemo } from "@/lib/demo";
import { readSettings, SettingsError } from "@/lib/env";
import { ownerDatabaseUrl } from "./owner-url";

const HELP = `Usage: npm run db:seed -- [--reset] [--demo] [--users N] [options]

Fills the workspace database, after migrating it:
  DATABASE_URL set    that PostgreSQL server (as MIGRATE_DATABASE_URL's role when it is set)
  DATABASE_URL unset  the embedded PGlite database in <ROSTER_DATA_DIR>/pglite (default .data/pglite).
                      STOP THE SERVER FIRST: PGlite does not lock its folder, and two processes
                      writing it lose rows and corrupt indexes without an error.

Steps, in this order:
  --reset             empty the workspace first: users and every table that hangs off them,
                      the audit history and the "demo loaded" marker
  --demo              load the demo workspace (sign-in accounts owner@roster.test, …); the
                      database must have no users (add --reset)
  --users N           add N generated users (e.g. 1000000 or 1_000_000) with the projects and
                      automations some of them own; emails first.last.<n>@example.test, no
                      password. Adds to what is there; with no owner yet, the first becomes it.

Options:
  --chunk N           users per INSERT statement (default ${DEFAULT_CHUNK_SIZE.toLocaleString("en-US")})
  --keep-indexes      load with the indexes live instead of dropping and rebuilding them
  -h, --help          show this help

Examples:
  npm run db:seed -- --reset --demo --users 1000000
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/roster_bench npm run db:seed -- --users 1000000
`;

class UsageError extends Error {}

function fail(message: string): never {
  console.error(`db:seed: ${message}\nRun "npm run db:seed -- --help" for usage.`);
  process.exit(1);
}

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(/[_,]/g, "");
  if (!/^\d+$/.test(cleaned) || Number(cleaned) < 1 || !Number.isSafeInteger(Number(cleaned))) {
    fail(`${flag} needs a positive whole number (got "${value}")`);
  }
  return Number(cleaned);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      users: { type: "string" },
      demo: { type: "boolean", default: false },
      reset: { type: "boolean", default: false },
      chunk: { type: "string" },
      "keep-indexes": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}
try {
  args = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const opts = args.values;
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const users = wholeNumber("--users", opts.users);
const chunkSize = wholeNumber("--chunk", opts.chunk);
if (!opts.reset && !opts.demo && users === undefined) {
  console.error(HELP);
  fail("nothing to do: give --users N, --demo and/or --reset");
}

let settings: ReturnType<typeof readSettings>;
try {
  settings = readSettings();
} catch (error) {
  if (error instanceof SettingsError) fail(error.message);
  throw error;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();

let handle: DbHandle;
const ownerUrl = ownerDatabaseUrl(settings.databaseUrl);
if (ownerUrl) {
  const where = new URL(ownerUrl);
  console.log(`PostgreSQL ${where.host}${where.pathname}`);
  handle = await openDatabase({ url: ownerUrl, poolSize: 1 });
} else {
  const dir = path.join(settings.dataDir, "pglite");
  console.log(`Embedded PGlite at ${dir} (the server must be stopped while this runs)`);
  handle = await openDatabase({ dataDir: dir });
}

try {
  await handle.migrate();
  const db = handle.db;

  if (opts.reset) {
    await resetWorkspace(db);
    console.log("Reset: the workspace is empty.");
  }

  if (opts.demo) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users`);
    if (Number(row?.n) > 0) {
      throw new UsageError(
        `--demo needs an empty workspace, this one has ${fmt(Number(row?.n))} users (add --reset)`,
      );
    }
    await seedDemo(db);
    console.log(
      `Demo workspace loaded: owner@roster.test and the others, password "${DEMO_PASSWORD}".`,
    );
  }

  if (users !== undefined) {
    const onProgress = (e: SeedLargeEvent) => {
      switch (e.kind) {
        case "start":
          console.log(
            `Seeding ${fmt(users)} users, numbers ${fmt(e.from)}–${fmt(e.to)}${e.newOwner ? " (the first becomes the owner)" : ""}`,
          );
          break;
        case "indexes-dropped":
          console.log(`Dropped ${e.names.length} secondary indexes for the load (${e.ms} ms)`);
          break;
        case "chunk": {
          const rate = e.usersDone / Math.max(e.elapsedMs / 1000, 0.001);
          const pct = ((e.usersDone / e.usersTotal) * 100).toFixed(0).padStart(3);
          console.log(
            `  users ${fmt(e.usersDone).padStart(11)} / ${fmt(e.usersTotal)} ${pct}%  records ${fmt(e.records).padStart(9)}  ${fmt(Math.round(rate)).padStart(7)} users/s  ${secs(e.elapsedMs)}`,
          );
          break;
        }
        case "index-built":
          console.log(`  rebuilt ${e.name} (${secs(e.ms)})`);
          break;
        case "vacuumed":
          console.log(`Vacuumed and analyzed (${secs(e.ms)})`);
          break;
      }
    };
    const r = await seedLargeWorkspace(db, {
      users,
      chunkSize,
      rebuildIndexes: !opts["keep-indexes"],
      onProgress,
    });
    console.log(
      `Added ${fmt(r.users)} users, ${fmt(r.projects)} projects, ${fmt(r.automations)} automations: ` +
        `load ${secs(r.ms.load)}, indexes ${secs(r.ms.indexes)}, vacuum ${secs(r.ms.vacuum)}, total ${secs(r.ms.total)}`,
    );
  }

  const statuses = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from users group by status order by status`,
  );
  console.log(
    `Workspace now: ${statuses.map((s) => `${s.status} ${fmt(Number(s.n))}`).join(", ") || "no users"}`,
  );
  console.log(`Done in ${secs(performance.now() - started)}.`);
} catch (error) {
  process.exitCode = 1;
  console.error(
    error instanceof UsageError
      ? `db:seed: ${error.message}`
      : `db:seed failed, nothing of this step was kept: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await handle.close();
}
