import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as http } from "node:http";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadAverage, throwawayDatabase } from "./fixtures";
import { signInOverHttp } from "./sign-in";

/**
 * `npx tsx bench/cluster.ts [--users 200000] [--direct]`: Roster as it is deployed at scale, on
 * loopback only. Starts PgBouncer (transaction pooling, Debian's `pgbouncer`) in front of the
 * local PostgreSQL, three `next start` instances on it (the build in NEXT_DIST_DIR, default
 * .next), and HAProxy round-robin in front of them (no sticky sessions), then checks:
 *
 *   1. Auth.js redirects to ROSTER_URL (the balancer), not to the instance that answered;
 *   2. sign-in throttling holds across instances (guesses spread over the three);
 *   3. sign-out on one instance ends the session on all;
 *   4. the load bench (bench/load.ts) through the balancer: 0 errors, p95;
 *   5. 25 stalled CSV downloads: page latency on every instance before and during;
 *   6. a bulk job: its instance gets SIGTERM mid-job (the job is taken over at once, not after
 *      the lease), then the next one SIGKILL mid-batch (taken over after the lease): every user
 *      changed exactly once, the counts table equal to count(*);
 *   7. the instances' JSON logs hold no email and no name of the users touched.
 *
 * `--direct` runs the same on a direct connection (no pooler). Everything it started is stopped
 * at the end; the database `roster_cluster` is dropped unless --keep. Figures: bench/RESULTS.md.
 */
const { values: opts } = parseArgs({
  options: {
    users: { type: "string", default: "200000" },
    admins: { type: "string", default: "50" },
    seconds: { type: "string", default: "60" },
    stalled: { type: "string", default: "25" },
    "job-users": { type: "string", default: "100000" },
    // Requests HAProxy lets through to one instance at once; the rest wait in its queue. Without
    // it, 50 clients saturate an instance's event loop, its /readyz misses the 5 s check timeout
    // and the balancer takes every instance out (seen at 1M users, 2026-12-06 19:09).
    "instance-conns": { type: "string", default: "8" },
    pool: { type: "string", default: "6" },
    "pooler-pool": { type: "string", default: "20" },
    direct: { type: "boolean", default: false },
    // Only these checks (their numbers above, comma-separated), e.g. --only 5 after a change
    // that touches downloads: a whole run at 1M takes ~8 min.
    only: { type: "string", default: "1,2,3,4,5,6,7" },
    "skip-seed": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});

const HOST = "127.0.0.1";
const STEPS = new Set(String(opts.only).split(",").map(Number));
const step = (n: number) => STEPS.has(n);
const BALANCER = 3250;
const PORTS = [3252, 3253, 3254];
const PGBOUNCER = 6433;
const DB_NAME = "roster_cluster";
const AUTH_SECRET = "cluster-bench-secret-0123456789abcdef";
const METRICS_TOKEN = "cluster-bench-metrics-token-0123456789";
const PUBLIC = `http://${HOST}:${BALANCER}`;
const DEMO_PASSWORD = "roster-demo";
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const work = mkdtempSync(path.join(os.tmpdir(), "roster-cluster-"));
chmodSync(work, 0o755); // PgBouncer runs as postgres and reads its files here
const results: string[] = [];
const children: ChildProcess[] = [];
// Whatever way this ends (a start that timed out, too), nothing it started outlives it: an
// earlier run's instances, left on the ports, answered the next run's checks (2026-12-07 00:55).
process.on("exit", () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});
let failures = 0;

function say(line: string) {
  console.log(line);
  results.push(line);
}
function check(ok: boolean, line: string) {
  if (!ok) failures++;
  say(`${ok ? "PASS" : "FAIL"} ${line}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

function start(name: string, command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Appended as it comes. Rewriting the whole file on every chunk (as this did) slowed the
  // reading of the pipes until they filled, and an instance blocked in its synchronous log write.
  const out = createWriteStream(path.join(work, `${name}.out`));
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.push(child);
  say(`started ${name} (pid ${child.pid}): ${command} ${args.join(" ")}`);
  return child;
}

async function until(what: string, test: () => Promise<boolean>, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await test().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`cluster: timed out waiting for ${what}`);
}

async function status(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, { redirect: "manual", ...init });
  await res.arrayBuffer();
  return res.status;
}

// Ports another process holds (an earlier run's instances) would answer in this run's place.
for (const port of [BALANCER, ...PORTS, ...(opts.direct ? [] : [PGBOUNCER])]) {
  const taken = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: HOST, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
  if (taken)
    throw new Error(`cluster: port ${port} is in use (ss -ltnp shows by what): stop it first`);
}

// ---- the database -------------------------------------------------------------------------
const serverUrl = opts.server as string;
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${DB_NAME}`;
let dropDb: (() => Promise<void>) | null = null;
if (!opts["skip-seed"]) {
  const db = await throwawayDatabase(serverUrl, DB_NAME);
  dropDb = db.drop;
  const env = { DATABASE_URL: db.url, AUTH_SECRET, MIGRATE_DATABASE_URL: db.url };
  const t0 = performance.now();
  for (const args of [
    ["run", "db:migrate"],
    ["run", "db:seed", "--", "--demo", "--users", opts.users as string],
  ]) {
    const run = spawnSync("npm", args, { env: { ...process.env, ...env }, stdio: "inherit" });
    if (run.status !== 0) throw new Error(`cluster: npm ${args.join(" ")} failed`);
  }
  say(`seeded ${opts.users} users in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
} else {
  // A kept database may predate a migration: /readyz would answer 503 and the wait time out.
  const run = spawnSync("npm", ["run", "db:migrate"], {
    env: { ...process.env, DATABASE_URL: dbUrl.toString(), AUTH_SECRET },
    stdio: "inherit",
  });
  if (run.status !== 0) throw new Error("cluster: npm run db:migrate failed");
}
const owner = new pg.Client({ connectionString: dbUrl.toString() });
await owner.connect();
// The app's login role, as in production (README: two database roles).
await owner.query(`do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'roster_web') then
    create role roster_web login in role roster_app;
  end if; end $$`);
// A rerun on the same database (--skip-seed) starts with no throttle: the earlier run's guesses,
// all from this one address, would still count for 15 min and fail check 2.
await owner.query("delete from auth_throttle");
const seats = await owner.query<{ n: number }>("select count(*)::int as n from users");
// 25 admins more (for the stalled downloads: a person may have 3 downloads at once per instance).
const { rows: extraAdmins } = await owner.query<{ email: string }>(
  `update users set role = 'admin',
     password_hash = (select password_hash from users where email = 'admin@roster.test')
   where id in (select id from users where role in ('member', 'admin') and status = 'active'
                  and email like '%@roster.test' and email <> 'admin@roster.test'
                  order by email limit ${Number(opts.stalled)})
   returning email`,
);

// ---- PgBouncer, instances, HAProxy ----------------------------------------------------------
let appUrl = `postgres://roster_web@${HOST}:5432/${DB_NAME}`;
if (!opts.direct) {
  const ini = path.join(work, "pgbouncer.ini");
  const users = path.join(work, "userlist.txt");
  // postgres: the pooler's admin console (SHOW POOLS …), to look at a run while it goes.
  writeFileSync(users, '"roster_web" ""\n"postgres" ""\n');
  writeFileSync(
    ini,
    `[databases]
${DB_NAME} = host=${HOST} port=5432 dbname=${DB_NAME}
[pgbouncer]
listen_addr = ${HOST}
listen_port = ${PGBOUNCER}
unix_socket_dir =
auth_type = trust
auth_file = ${users}
pool_mode = transaction
default_pool_size = ${Number(opts["pooler-pool"])}
max_client_conn = 1000
admin_users = postgres
ignore_startup_parameters = extra_float_digits
logfile = ${path.join(work, "pgbouncer.log")}
pidfile = ${path.join(work, "pgbouncer.pid")}
`,
  );
  chmodSync(work, 0o777);
  const asRoot = process.getuid?.() === 0;
  start("pgbouncer", "pgbouncer", asRoot ? ["-u", "postgres", ini] : [ini]);
  appUrl = `postgres://roster_web@${HOST}:${PGBOUNCER}/${DB_NAME}`;
  await until("PgBouncer", async () => {
    const c = new pg.Client({ connectionString: appUrl });
    await c.connect();
    await c.end();
    return true;
  });
}
const next = path.join("node_modules", ".bin", "next");
const instances = PORTS.map((port, i) =>
  start(`instance-${i + 1}`, next, ["start", "-p", String(port)], {
    NODE_ENV: "production",
    NEXT_DIST_DIR: distDir,
    DATABASE_URL: appUrl,
    AUTH_SECRET,
    ROSTER_URL: PUBLIC,
    ROSTER_SEATS: String(seats.rows[0]?.n ? seats.rows[0].n * 2 : 10_000_000),
    ROSTER_DB_POOL_SIZE: opts.pool as string,
    ROSTER_METRICS_TOKEN: METRICS_TOKEN,
    ROSTER_DRAIN_SECONDS: "2",
    ROSTER_LOG_FILE: path.join(work, `app-${i + 1}.log`),
    ROSTER_DEMO: "0",
    SMTP_URL: "",
  }),
);
const haproxyCfg = path.join(work, "haproxy.cfg");
writeFileSync(
  haproxyCfg,
  `global
  maxconn 2000
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout queue 60s
  timeout check 5s
  option http-server-close
frontend roster
  bind ${HOST}:${BALANCER}
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /readyz
  http-response set-header X-Served-By %s
${PORTS.map((p, i) => `  server i${i + 1} ${HOST}:${p} check inter 1s fall 3 rise 2 maxconn ${Number(opts["instance-conns"])}`).join("\n")}
`,
);
for (const port of PORTS)
  await until(
    `instance ${port}`,
    async () => (await status(`http://${HOST}:${port}/readyz`)) === 200,
  );
start("haproxy", "haproxy", ["-f", haproxyCfg, "-db"]);
await until("the balancer", async () => (await status(`${PUBLIC}/readyz`)) === 200);
await sleep(3_000); // every server UP (rise 2)
say(
  `cluster up: HAProxy ${PUBLIC} → ${PORTS.join(", ")} → ${opts.direct ? "PostgreSQL directly" : `PgBouncer :${PGBOUNCER} (transaction, pool ${opts["pooler-pool"]})`} → PostgreSQL; app pool ${opts.pool} per instance; ${seats.rows[0]?.n} users; load ${loadAverage()}`,
);

const instanceUrl = (i: number) => `http://${HOST}:${PORTS[i]}`;

/** Sign-in over HTTP, returning where Auth.js sent the browser (and the cookie it set). */
async function attempt(base: string, email: string, password: string) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  if (!csrf.ok)
    throw new Error(
      `cluster: /api/auth/csrf answered ${csrf.status} (${csrf.headers.get("x-served-by") ?? "the balancer"})`,
    );
  const jar = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/users" }),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    location: res.headers.get("location") ?? "",
    servedBy: res.headers.get("x-served-by") ?? "",
  };
}

try {
  // 1. Auth.js's addresses come from ROSTER_URL.
  if (step(1)) {
    const { location } = await attempt(instanceUrl(0), "admin@roster.test", DEMO_PASSWORD);
    // Next.js spells any loopback host "localhost": the port tells the balancer from the instance.
    const to = new URL(location, "http://unset");
    check(
      to.port === String(BALANCER) && ["localhost", HOST].includes(to.hostname),
      `Auth.js redirect after a sign-in on instance :${PORTS[0]} goes to ${location.split("?")[0]} (ROSTER_URL ${PUBLIC})`,
    );
  }

  // 2. Throttling across instances: 8 wrong guesses for one account through the balancer.
  if (step(2)) {
    const { rows } = await owner.query<{ email: string }>(
      // A member no earlier run guessed for: the throttle's window outlives a run on the same
      // database (--skip-seed), and that run's guesses would still count.
      "select email from users where role = 'member' and status = 'active' and email like '%@roster.test' order by random() limit 1",
    );
    const email = rows[0]?.email ?? "member@roster.test";
    const codes: string[] = [];
    const served = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const { status: code, location, servedBy } = await attempt(PUBLIC, email, `wrong-${i}`);
      served.add(servedBy);
      // A throttled attempt is answered 429 (or, from older builds, a redirect with the code).
      codes.push(
        code === 429 ? "throttled" : (new URL(location, PUBLIC).searchParams.get("code") ?? "?"),
      );
    }
    const throttled = codes.filter((c) => c.startsWith("throttled")).length;
    check(
      throttled === 3 && served.size === 3,
      `throttling across instances: 8 guesses over ${served.size} instances (${[...served].join(", ")}): ${8 - throttled} evaluated, ${throttled} throttled`,
    );
  }

  // 3. Sign-out on one instance ends the session on all.
  if (step(3)) {
    const cookie = await signInOverHttp(
      new URL(instanceUrl(0)),
      "manager@roster.test",
      DEMO_PASSWORD,
    );
    const before = await Promise.all(
      [1, 2].map((i) => status(`${instanceUrl(i)}/users`, { headers: { cookie } })),
    );
    const csrf = await fetch(`${instanceUrl(0)}/api/auth/csrf`, { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    await status(`${instanceUrl(0)}/api/auth/signout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in" }),
    });
    const after = await Promise.all(
      [1, 2].map((i) => status(`${instanceUrl(i)}/users`, { headers: { cookie } })),
    );
    check(
      before.every((s) => s === 200) && after.every((s) => s === 307),
      `sign-out on :${PORTS[0]} ends the session on :${PORTS[1]} and :${PORTS[2]} (before ${before.join("/")}, after ${after.join("/")})`,
    );
  }

  // 4. The load bench through the balancer.
  if (step(4)) {
    // Not spawnSync: this process must go on reading the instances' output meanwhile. Blocked
    // for the 60 s of the load, it left their stdout pipes full, and every instance stopped in
    // its synchronous log write 20 s in (2026-12-06 night, bench/RESULTS.md).
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(
          "npx",
          [
            "tsx",
            "bench/load.ts",
            "--url",
            PUBLIC,
            "--admins",
            opts.admins as string,
            "--seconds",
            opts.seconds as string,
          ],
          { env: { ...process.env, NEXT_DIST_DIR: distDir } },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      },
    );
    const summary =
      run.stdout.split("\n").find((l) => l.includes(" admins × ")) ?? run.stderr.slice(-500);
    check(run.status === 0, `load through the balancer: ${summary}`);
  }

  // 5. Stalled downloads: page latency on every instance, before and while 25 downloads stall.
  if (step(5)) {
    // The load signed in 50 times from this one address: its sign-in limit, checked in 2, would
    // refuse these 26 sign-ins of another check.
    await owner.query("delete from auth_throttle");
    const adminCookie = await signInOverHttp(new URL(PUBLIC), "admin@roster.test", DEMO_PASSWORD);
    async function probe(seconds: number): Promise<number[]> {
      const times: number[] = [];
      const end = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: 6 }, async (_, k) => {
          while (Date.now() < end) {
            const t = performance.now();
            const s = await status(`${instanceUrl(k % 3)}/users?q=garcia`, {
              headers: { cookie: adminCookie },
            });
            times.push(s === 200 ? performance.now() - t : 60_000);
          }
        }),
      );
      return times.sort((a, b) => a - b);
    }
    const before = await probe(15);
    const stalls: { destroy: () => void }[] = [];
    let opened = 0;
    // Straight to the instances, round-robin: the balancer counts an open download against its
    // per-instance connection cap (8 here, so that readiness checks answer under the load
    // bench), and 24 stalled downloads would fill every instance's share and queue the pages
    // behind them (503 after 60 s, seen 23:23). A deployment sizes that cap for downloads; the
    // check is about the instances and the database.
    for (const [k, { email }] of extraAdmins.entries()) {
      const origin = instanceUrl(k % 3);
      const cookie = await signInOverHttp(new URL(origin), email, DEMO_PASSWORD);
      await new Promise<void>((resolve) => {
        const req = http(`${origin}/users/export?tab=active`, { headers: { cookie } }, (res) => {
          // Read the first part, then never again: the socket stays open, the window fills.
          res.once("data", () => {
            res.pause();
            if (res.statusCode === 200) opened++;
            resolve();
          });
          res.once("end", resolve);
        });
        req.on("error", () => resolve());
        req.end();
        stalls.push({ destroy: () => req.destroy() });
      });
    }
    await sleep(5_000);
    const during = await probe(15);
    const pools: string[] = [];
    for (let i = 0; i < 3; i++) {
      const text = await (
        await fetch(`${instanceUrl(i)}/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        })
      ).text();
      const get = (state: string) =>
        new RegExp(`roster_db_pool_connections\\{state="${state}"\\} (\\d+)`).exec(text)?.[1] ??
        "?";
      pools.push(
        `:${PORTS[i]} total ${get("total")} idle ${get("idle")} waiting ${get("waiting")}`,
      );
    }
    for (const s of stalls) s.destroy();
    const p95b = quantile(before, 0.95);
    const p95d = quantile(during, 0.95);
    check(
      extraAdmins.length > 0 &&
        opened === extraAdmins.length &&
        p95d < Math.max(2 * p95b, p95b + 250),
      `${opened} stalled downloads (of ${extraAdmins.length}): /users p95 ${p95b.toFixed(0)} ms before (${before.length} requests), ${p95d.toFixed(0)} ms during (${during.length}); max during ${(during.at(-1) ?? 0).toFixed(0)} ms; pools while stalled: ${pools.join("; ")}; load ${loadAverage()}`,
    );
  }

  // 6. A bulk job: SIGTERM its instance mid-job, then SIGKILL the next one mid-batch.
  if (step(6)) {
    const cookie = await signInOverHttp(
      new URL(instanceUrl(0)),
      "admin@roster.test",
      DEMO_PASSWORD,
    );
    const manifest = JSON.parse(
      readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
    ) as { node: Record<string, { exportedName?: string }> };
    const actionId = (name: string) =>
      Object.entries(manifest.node).find(([, e]) => e.exportedName === name)?.[0] ?? "";
    // About --job-users of the active members: those last signed in before the day that many
    // reach (at 1M users, all of them would be ~800,000).
    const { rows: cut } = await owner.query<{ day: string | null }>(
      `with members as (select last_sign_in_at from users
         where status = 'active' and role = 'member' and last_sign_in_at is not null)
       select to_char(percentile_disc(least(1, $1::float8 / greatest((select count(*) from members), 1)))
                within group (order by last_sign_in_at), 'YYYY-MM-DD') as day
         from members`,
      [Number(opts["job-users"])],
    );
    const selection = {
      kind: "filter",
      filter: {
        tab: "active",
        q: "",
        roles: ["member"],
        neverSignedIn: false,
        lastSignInBefore: cut[0]?.day ?? null,
        accessEnding: false,
      },
      excludeIds: [],
    };
    async function call(name: string, body: unknown): Promise<string> {
      const res = await fetch(`${instanceUrl(0)}/users`, {
        method: "POST",
        headers: {
          "next-action": actionId(name),
          "content-type": "text/plain;charset=UTF-8",
          accept: "text/x-component",
          origin: instanceUrl(0),
          cookie,
        },
        body: JSON.stringify([body]),
      });
      return res.text();
    }
    const preview = await call("previewAction", { action: "deactivate", selection, options: {} });
    const token = /"token":"([^"]+)"/.exec(preview)?.[1];
    const applied = await call("lifecycleAction", {
      action: "deactivate",
      selection,
      options: {},
      onConflict: "skip",
      token,
    });
    const jobId = /"job":\{[^}]*"id":"([0-9a-f-]{36})"/.exec(applied)?.[1];
    if (!jobId) throw new Error(`cluster: no job started: ${applied.slice(0, 300)}`);
    type Job = {
      status: string;
      runner: string | null;
      cursor: number;
      total: number;
      done: number;
      skipped: number;
    };
    const job = async () =>
      (
        await owner.query<Job>(
          "select status, runner, cursor, total, done, skipped from jobs where id = $1",
          [jobId],
        )
      ).rows[0] as Job;
    const whoRuns = (runner: string | null) => {
      for (let i = 0; i < 3; i++) {
        const log = readFileSync(path.join(work, `app-${i + 1}.log`), "utf8");
        if (runner && log.includes(`"runnerId":"${runner}"`)) return i;
      }
      return -1;
    };
    const total = (await job()).total;
    say(`job ${jobId}: deactivate ${total} members, started through :${PORTS[0]}`);
    const live = new Set([0, 1, 2]);
    // SIGTERM: the running instance drains and releases the lease.
    await until("the job's first batches", async () => (await job()).cursor > total * 0.1, 600_000);
    let j = await job();
    const first = whoRuns(j.runner);
    const termAt = performance.now();
    instances[first]?.kill("SIGTERM");
    live.delete(first);
    const readyAfterTerm = await status(`${instanceUrl(first)}/readyz`).catch(() => 0);
    await until(
      "another runner",
      async () => {
        const now = await job();
        return now.runner !== j.runner || now.status !== "running";
      },
      120_000,
    );
    const takeoverTerm = performance.now() - termAt;
    const exitCode = await new Promise<number | null>((resolve) => {
      const child = instances[first];
      if (!child || child.exitCode !== null) resolve(child?.exitCode ?? null);
      else child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
    });
    const exitAfter = performance.now() - termAt;
    check(
      takeoverTerm < 15_000 && readyAfterTerm === 503,
      `SIGTERM to :${PORTS[first]} mid-job: /readyz ${readyAfterTerm} at once, job taken over by another instance after ${(takeoverTerm / 1000).toFixed(1)} s (lease 30 s), exited with ${exitCode} after ${(exitAfter / 1000).toFixed(1)} s`,
    );
    // SIGKILL mid-batch: the lease must run out first.
    await until(
      "the new runner's first batch",
      async () => whoRuns((await job()).runner) >= 0,
      60_000,
    );
    j = await job();
    const second = whoRuns(j.runner);
    await until("the job's progress", async () => (await job()).cursor > j.cursor, 120_000);
    const killAt = performance.now();
    instances[second]?.kill("SIGKILL");
    live.delete(second);
    j = await job();
    await until(
      "a runner after the kill",
      async () => {
        const now = await job();
        return (now.runner !== j.runner && now.cursor > j.cursor) || now.status !== "running";
      },
      180_000,
    );
    const takeoverKill = performance.now() - killAt;
    const visible = await Promise.all(
      [...live].map((i) => status(`${instanceUrl(i)}/jobs`, { headers: { cookie } })),
    );
    await until(
      "the job's end",
      async () => (await job()).status !== "running" && (await job()).status !== "queued",
      1_800_000,
    );
    j = await job();
    const twice = await owner.query<{ n: number }>(
      "select count(*)::int as n from (select target_id from audit_events where job_id = $1 group by target_id having count(*) > 1) t",
      [jobId],
    );
    const events = await owner.query<{ n: number }>(
      "select count(*)::int as n from audit_events where job_id = $1",
      [jobId],
    );
    const counts = await owner.query<{ status: string; counted: number; actual: number }>(
      `select a.status, coalesce(c.n, 0)::int as counted, a.n as actual
       from (select status::text, count(*)::int as n from users group by status) a
       left join (select status::text, sum(n)::int as n from user_status_counts group by status) c
         using (status)`,
    );
    const countsOk = counts.rows.every((r) => r.counted === r.actual);
    check(
      j.status === "done" &&
        j.done + j.skipped === j.total &&
        twice.rows[0]?.n === 0 &&
        events.rows[0]?.n === j.done &&
        countsOk &&
        visible.every((s) => s === 200),
      `SIGKILL to :${PORTS[second]} mid-batch: taken over after ${(takeoverKill / 1000).toFixed(1)} s; job ${j.status}: ${j.done} changed + ${j.skipped} skipped of ${j.total}, ${events.rows[0]?.n} audit events, ${twice.rows[0]?.n} users changed twice; /jobs on the survivor(s) ${visible.join("/")}; counts table = count(*): ${countsOk ? "yes" : JSON.stringify(counts.rows)}`,
    );
  }

  // 7. No personal data in the logs.
  if (step(7)) {
    const people = await owner.query<{ name: string; email: string }>(
      `select name, email from users where email like '%@roster.test' or id in
         (select target_id from audit_events order by id desc limit 2000)`,
    );
    let hits = 0;
    let lines = 0;
    const found: string[] = [];
    for (let i = 0; i < 3; i++) {
      const text = readFileSync(path.join(work, `app-${i + 1}.log`), "utf8").toLowerCase();
      lines += text.split("\n").filter(Boolean).length;
      for (const p of people.rows) {
        for (const needle of [p.email.toLowerCase(), p.name.toLowerCase()]) {
          if (text.includes(needle)) {
            hits++;
            if (found.length < 5) found.push(needle);
          }
        }
      }
    }
    // The request ids of the latest audit events are those of request lines in the logs.
    const ids = await owner.query<{ request_id: string }>(
      "select request_id from audit_events where request_id is not null and job_id is null order by id desc limit 20",
    );
    const logs = [0, 1, 2]
      .map((i) => readFileSync(path.join(work, `app-${i + 1}.log`), "utf8"))
      .join("");
    const matched = ids.rows.filter((r) => logs.includes(`"requestId":"${r.request_id}"`)).length;
    check(
      ids.rows.length > 0 && matched === ids.rows.length,
      `request ids: ${matched} of the ${ids.rows.length} latest audit events' request ids are in the instances' request log lines`,
    );
    check(
      hits === 0 && lines > 100,
      `logs: ${lines} JSON lines over 3 instances, ${people.rows.length} people's emails and names searched, ${hits} found${found.length ? ` (${found.join(", ")})` : ""}`,
    );
  }
} catch (error) {
  failures++;
  say(`FAIL ${error instanceof Error ? error.message : String(error)}`);
} finally {
  say(`load average at the end ${loadAverage()}; logs and configs in ${work}`);
  // The balancer and the instances first (they drain, and release job leases through the
  // pooler), then the pooler.
  const pooler = opts.direct ? undefined : children[0];
  for (const child of children.slice(opts.direct ? 0 : 1).reverse()) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  await sleep(6_000);
  if (pooler && pooler.exitCode === null) pooler.kill("SIGTERM");
  await sleep(1_000);
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await owner.end();
  if (dropDb && !opts.keep) await dropDb();
  writeFileSync(path.join(work, "results.txt"), `${results.join("\n")}\n`);
  say(`stopped everything it started; ${failures} failure(s)`);
  process.exitCode = failures > 0 ? 1 : 0;
}
