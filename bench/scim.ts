/**
 * Issue 16 §6: SCIM at 1M users on PostgreSQL, timed in-process: each request runs what the route
 * handler runs (token check, the token's rate, the query or change, the JSON), without Next's HTTP
 * layer. The floor is the same steps for ServiceProviderConfig (no query of users), so "over the
 * floor" is what the users' SQL adds. Then 20 concurrent PATCH deactivations (Entra ID's shape)
 * are started every second for 60 s. Prints figures, never asserts. On a throwaway database of
 * the PostgreSQL server of TEST_DATABASE_URL (seeded, dropped at the end).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nice flock /tmp/roster-heavy.lock \
 *     npx tsx bench/scim.ts [--users 1000000] [--rounds 200] [--seconds 60] [--rate 20]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { seedLargeWorkspace } from "@/db/seed-large";
import { seedDemo } from "@/lib/demo";
import { serviceProviderConfig } from "@/lib/scim/discovery";
import { changeFromPatch, patchOperations } from "@/lib/scim/patch";
import { ScimProblem } from "@/lib/scim/protocol";
import { takeScimRequest } from "@/lib/scim/rate-limit";
import { authenticateScimToken, createScimToken } from "@/lib/scim/tokens";
import { changeScimUser, listScimUsers, type ScimContext } from "@/lib/scim/users";
import { loadAverage, throwawayDatabase } from "./fixtures";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "200" },
    seconds: { type: "string", default: "60" },
    rate: { type: "string", default: "20" },
  },
});
const USERS = Number(values.users);
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const cpu = os.cpus();
const log = (line: string) => console.log(line);
log(`scim — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
log(`load ${loadAverage()}`);

const server = process.env.TEST_DATABASE_URL;
if (!server) throw new Error("scim bench: set TEST_DATABASE_URL");
const scratch = await throwawayDatabase(server, "roster_bench_scim");
const h = await openDatabase({ url: scratch.url, poolSize: RATE + 2 });

function stats(times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${(s.at(-1) ?? 0).toFixed(2)} ms (n=${s.length})`;
}

try {
  await h.migrate();
  const t0 = performance.now();
  await seedDemo(h.db);
  await seedLargeWorkspace(h.db, { users: USERS });
  log(
    `seeded ${USERS.toLocaleString("en-US")} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await h.db.execute(sql`insert into workspace_meta (key, value) values ('seat_limit', '10000000')
    on conflict (key) do update set value = excluded.value`);
  await h.db.execute(sql`analyze users`);
  const [admin] = await queryRows<{ id: string }>(
    h.db,
    sql`select id from users where email = 'admin@roster.test'`,
  );
  if (!admin) throw new Error("scim bench: no admin@roster.test");
  const made = await createScimToken(h.db, {
    actor: { id: admin.id, role: "admin" },
    name: "Bench",
    requestId: "00000000-0000-4000-8000-00000000be4c",
  });
  if (!made.ok) throw new Error(made.error);
  const authorization = `Bearer ${made.token}`;
  const baseUrl = "http://localhost:3000/scim/v2";
  const context = async (): Promise<ScimContext> => {
    const now = new Date();
    const client = await authenticateScimToken(h.db, authorization, now);
    if (!client) throw new Error("scim bench: token refused");
    const gate = await takeScimRequest(h.db, client.id, now, Number.MAX_SAFE_INTEGER);
    if (!gate.ok) throw new Error("scim bench: rate-limited");
    return { client, baseUrl, publicUrl: "http://localhost:3000", requestId: "bench", now };
  };
  const time = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    JSON.stringify(await work());
    return performance.now() - t;
  };

  const emails = await queryRows<{ email: string }>(
    h.db,
    sql`select email from users tablesample system (0.1) where status in ('invited', 'active', 'inactive') limit ${ROUNDS}`,
  );
  const floor: number[] = [];
  const byUserName: number[] = [];
  const firstPage: number[] = [];
  const deepPage: number[] = [];
  const deepBefore: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    floor.push(await time(async () => serviceProviderConfig((await context()).baseUrl)));
    const email = emails[r % emails.length]?.email ?? "nobody@example.test";
    byUserName.push(
      await time(async () =>
        listScimUsers(
          h.db,
          { filter: `userName eq "${email}"`, startIndex: 1, count: 100 },
          (await context()).baseUrl,
        ),
      ),
    );
    firstPage.push(
      await time(async () =>
        listScimUsers(h.db, { filter: null, startIndex: 1, count: 100 }, (await context()).baseUrl),
      ),
    );
    if (r < 20) {
      // ABBA against the statement before migration 0029: the same offset over the primary key,
      // the partial index dropped in a transaction that is rolled back.
      const before = async () =>
        time(() =>
          h.db
            .transaction(async (tx) => {
              await tx.execute(sql`drop index users_scim_id_idx`);
              await tx.execute(sql`select id, name, email, status, role, external_id, created_at, status_changed_at
                from users where status in ('pending', 'invited', 'active', 'inactive')
                order by id limit 100 offset 500000`);
              tx.rollback();
            })
            .catch((e) => {
              if (!String(e).includes("Rollback")) throw e;
            }),
        );
      const after = async () =>
        time(async () =>
          listScimUsers(
            h.db,
            { filter: null, startIndex: 500_001, count: 100 },
            (await context()).baseUrl,
          ),
        );
      if (r % 2 === 0) {
        deepBefore.push(await before());
        deepPage.push(await after());
      } else {
        deepPage.push(await after());
        deepBefore.push(await before());
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  log(`floor (token, rate, ServiceProviderConfig): ${stats(floor)}`);
  log(
    `GET /Users?filter=userName eq …: ${stats(byUserName)}; median over the floor ${(median(byUserName) - median(floor)).toFixed(2)} ms`,
  );
  log(
    `GET /Users?startIndex=1&count=100: ${stats(firstPage)}; median over the floor ${(median(firstPage) - median(floor)).toFixed(2)} ms`,
  );
  log(`GET /Users?startIndex=500001&count=100 (OFFSET): ${stats(deepPage)}`);
  log(
    `  the same page before migration 0029 (primary key walk, ABBA): ${stats(deepBefore)}; ratio ${(median(deepPage) / median(deepBefore)).toFixed(2)}`,
  );

  // 20 concurrent PATCH deactivations started every second, for SECONDS seconds.
  const targets = await queryRows<{ id: string }>(
    h.db,
    sql`select id from users where status = 'active' and role <> 'owner'
        order by id limit ${RATE * SECONDS}`,
  );
  const operations = patchOperations({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "Replace", path: "active", value: "False" }],
  });
  const latencies: number[] = [];
  const errors: string[] = [];
  let late = 0;
  const start = performance.now();
  for (let s = 0; s < SECONDS; s++) {
    const wave = performance.now();
    await Promise.all(
      targets.slice(s * RATE, (s + 1) * RATE).map(async ({ id }) => {
        const t = performance.now();
        try {
          const user = await changeScimUser(
            h.db,
            id,
            (before) => changeFromPatch(before, operations),
            await context(),
          );
          if (user.active) errors.push(`${id}: still active`);
        } catch (error) {
          errors.push(
            error instanceof ScimProblem ? `${error.status} ${error.detail}` : String(error),
          );
        }
        latencies.push(performance.now() - t);
      }),
    );
    const spent = performance.now() - wave;
    if (spent > 1000) late++;
    else await new Promise((resolve) => setTimeout(resolve, 1000 - spent));
  }
  const [left] = await queryRows<{ n: number }>(
    h.db,
    sql`select count(*)::int as n from users where id = any(${`{${targets.map((t) => t.id).join(",")}}`}::uuid[]) and status <> 'inactive'`,
  );
  log(
    `PATCH active "False", ${RATE} concurrent each second for ${SECONDS} s: ${latencies.length} requests in ${((performance.now() - start) / 1000).toFixed(1)} s, ${errors.length} errors, ${late} seconds over 1 s, ${left?.n ?? "?"} not deactivated; ${stats(latencies)}`,
  );
  for (const e of errors.slice(0, 5)) log(`  error: ${e}`);
  log(`load ${loadAverage()}`);
} finally {
  await h.close();
  await scratch.drop();
}
