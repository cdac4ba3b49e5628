import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase, queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { authenticate } from "@/lib/authenticate";
import { claimJob, registerJobHandler, startJobRunner } from "@/lib/jobs/runner";
import { GUESS_RULE } from "@/lib/throttle";
import { acquireExportSlot, EXPORTS_PER_USER } from "@/lib/users/export-slots";
import { isDraining, latestShippedMigration, readiness, setDraining } from "./health";
import { routeOf } from "./http";
import { errorFields } from "./log";
import { metrics } from "./metrics";
import { metricsAccess, renderMetrics } from "./scrape";
import { drain } from "./shutdown";
import { isWarmUpRequest, WARM_UP_HEADER, warmUp } from "./warm-up";

describe("route labels for logs and metrics", () => {
  it("name the route, never an id, a token, an email or a query", () => {
    expect(routeOf("/users")).toBe("/users");
    expect(routeOf("/users/")).toBe("/users");
    expect(routeOf(`/users/${randomUUID()}`)).toBe("/users/[id]");
    expect(routeOf("/invite/abcdefghijklmnop")).toBe("/invite/[token]");
    expect(routeOf("/api/auth/callback/credentials")).toBe("/api/auth/callback");
    expect(routeOf("/users/ada@example.com")).toBe("other");
    expect(routeOf("/_next/static/chunks/x.js")).toBe("/_next/static");
    expect(routeOf("/anything/else")).toBe("other");
    expect(routeOf("/scim/v2/Users")).toBe("/scim/v2/Users");
    expect(routeOf(`/scim/v2/Users/${randomUUID()}`)).toBe("/scim/v2/Users/[id]");
    expect(routeOf("/scim/v2/Users/ada@example.com/x")).toBe("/scim/v2/other");
    expect(routeOf("/scim/v2/Nope")).toBe("/scim/v2/other");
  });
});

describe("metrics access", () => {
  const token = "t".repeat(32);
  it("no token configured: no endpoint; a wrong or missing bearer: 401; the right one: 200", () => {
    expect(metricsAccess(undefined, `Bearer ${token}`)).toBe(404);
    expect(metricsAccess(token, null)).toBe(401);
    expect(metricsAccess(token, `Bearer ${token}x`)).toBe(401);
    expect(metricsAccess(token, token)).toBe(401);
    expect(metricsAccess(token, `Bearer ${token}`)).toBe(200);
  });
});

describe("drain on SIGTERM", () => {
  it("fails readiness first, stops background work, then closes the listener; the limit exits", async () => {
    setDraining(false);
    const steps: string[] = [];
    let releaseSleep: () => void = () => {};
    let closed: () => void = () => {};
    const closedP = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const done = drain({
      drainMs: 5_000,
      limitMs: 60_000,
      stopBackground: async () => {
        steps.push(`background (draining: ${isDraining()})`);
      },
      closeServer: () => {
        steps.push("close");
        closed();
      },
      exit: (code) => steps.push(`exit ${code}`),
      sleep: () =>
        new Promise<void>((resolve) => {
          steps.push("drain delay");
          releaseSleep = resolve;
        }),
    });
    expect(isDraining()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(["background (draining: true)", "drain delay"]);
    releaseSleep();
    await closedP;
    await done;
    expect(steps).toEqual(["background (draining: true)", "drain delay", "close"]);
    setDraining(false);
  });
});

describe.each(TEST_DRIVERS)("operations on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("/readyz: ready when migrated; 503 reasons for pending migrations, draining, no answer", async () => {
    const shipped = latestShippedMigration();
    expect(await readiness(async () => t.db)).toEqual({ ready: true });
    expect(await readiness(async () => t.db, { shipped: shipped + 1 })).toEqual({
      ready: false,
      reason: "database migrations are pending",
    });
    setDraining(true);
    expect(await readiness(async () => t.db)).toEqual({ ready: false, reason: "shutting down" });
    setDraining(false);
    const never = new Promise<never>(() => {});
    // Just after a good check, a slow one (the pool busy with real work) still counts as ready.
    expect(await readiness(async () => t.db)).toEqual({ ready: true });
    expect(await readiness(() => never, { timeoutMs: 50 })).toEqual({ ready: true });
    // With no good check within the grace period, it does not.
    (globalThis as { rosterLastReadyAt?: number }).rosterLastReadyAt = Date.now() - 60_000;
    expect(await readiness(() => never, { timeoutMs: 50 })).toEqual({
      ready: false,
      reason: "the database did not answer in time",
    });
    expect(await readiness(async () => Promise.reject(new Error("ECONNREFUSED")))).toEqual({
      ready: false,
      reason: "the database did not answer",
    });
  });

  it("/readyz: 503 while the server warms its routes on loopback, ready after, whatever fails", async () => {
    const asked: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fake = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const headers = new Headers(init?.headers);
      const rsc = headers.get("RSC") === "1";
      asked.push(`${url.pathname}${url.search}${rsc ? " (RSC)" : ""}`);
      // Signed out, the redirect to /sign-in not followed; the secret header marks it as ours.
      expect(init?.redirect).toBe("manual");
      expect(headers.has("cookie")).toBe(false);
      expect(isWarmUpRequest(headers.get(WARM_UP_HEADER) ?? undefined)).toBe(true);
      await gate;
      if (url.pathname === "/audit" && !rsc) throw new Error("ECONNRESET");
      if (rsc && !url.search) {
        return new Response(null, {
          status: 307,
          headers: { location: `${url.pathname}?_rsc=1a` },
        });
      }
      return url.pathname === "/sign-in"
        ? new Response("ok")
        : new Response(null, { status: 307, headers: { location: "/sign-in" } });
    }) as typeof fetch;
    const done = warmUp("http://127.0.0.1:9", {
      paths: ["/sign-in", "/audit"],
      fetch: fake,
      first: () => Promise.reject(new Error("the database did not answer")),
    });
    expect(await readiness(async () => t.db)).toEqual({ ready: false, reason: "warming up" });
    release();
    await done;
    expect(asked).toEqual([
      "/sign-in",
      "/sign-in (RSC)",
      "/sign-in?_rsc=1a (RSC)",
      "/audit",
      "/audit (RSC)",
      "/audit?_rsc=1a (RSC)",
    ]);
    expect(await readiness(async () => t.db)).toEqual({ ready: true });
    // Only this process's own token marks a request as the warm-up (kept out of the metrics).
    expect(isWarmUpRequest(undefined)).toBe(false);
    expect(isWarmUpRequest("1")).toBe(false);
    expect(isWarmUpRequest("")).toBe(false);
  });

  it.runIf(driver === "postgres")(
    "/readyz works as the app role (roster_app may read the migrations record)",
    async () => {
      const result = await t.db.transaction(async (tx) => {
        await tx.execute(sql`set local role roster_app`);
        return readiness(async () => tx);
      });
      expect(result).toEqual({ ready: true });
    },
  );

  it("a runner stopped mid-batch (SIGTERM) releases its lease: another instance takes the job at once", async () => {
    const kind = `ops-test-${driver}`;
    let entered: () => void = () => {};
    const inBatch = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let finishBatch: () => void = () => {};
    const batchMayEnd = new Promise<void>((resolve) => {
      finishBatch = resolve;
    });
    let batches = 0;
    registerJobHandler(kind, async () => {
      batches++;
      entered();
      await batchMayEnd;
      return "more";
    });
    const [job] = await queryRows<{ id: string }>(
      t.db,
      sql`insert into jobs (kind, status, params, total) values (${kind}, 'queued', '{}'::jsonb, 10)
          returning id`,
    );
    const runner = startJobRunner({ getDb: async () => t.db, idleMs: 10 });
    await inBatch;
    const [held] = await queryRows<{ runner: string; lease_until: string | null }>(
      t.db,
      sql`select runner, lease_until from jobs where id = ${job?.id}::uuid`,
    );
    expect(held?.runner).toBe(runner.id);
    expect(held?.lease_until).not.toBeNull();
    // Before the stop, the lease keeps another runner off the job.
    expect(await claimJob(t.db, "runner-other")).toBeNull();
    const stopped = runner.stop();
    finishBatch();
    await stopped;
    expect(batches).toBe(1);
    // Right after the stop (well inside the 30 s lease), another runner claims it.
    const taken = await claimJob(t.db, "runner-other");
    expect(taken?.id).toBe(job?.id);
    await t.db.execute(sql`update jobs set status = 'cancelled' where id = ${job?.id}::uuid`);
  });

  it("/metrics: request, action, job, sign-in, outbox and pool series in Prometheus text", async () => {
    metrics().httpDuration.observe({ route: "/users", method: "GET", status: "2xx" }, 0.05);
    const { contentType, body } = await renderMetrics(t.db);
    expect(contentType).toContain("text/plain");
    for (const name of [
      "roster_http_request_duration_seconds_bucket",
      "roster_actions_total",
      "roster_job_batches_total",
      "roster_job_lag_seconds",
      "roster_outbox_queue_length",
      "roster_outbox_oldest_age_seconds",
      "roster_sign_in_refusals_total",
    ]) {
      expect(body).toContain(name);
    }
    if (driver === "postgres") expect(body).toMatch(/roster_db_pool_connections\{state="max"\} 10/);
  });

  it.runIf(driver === "postgres")(
    "sign-in throttling holds across instances: guesses spread over three pools count together",
    async () => {
      const email = `spread.${randomBytes()}@example.test`;
      await t.db.execute(sql`insert into users (name, email, role, status, password_hash)
      values ('Spread', ${email}, 'member', 'active', 'not-a-hash')`);
      const instances: DbHandle[] = [];
      for (let i = 0; i < 3; i++)
        instances.push(await openDatabase({ url: t.url as string, poolSize: 2 }));
      try {
        let evaluated = 0;
        const verify = async () => {
          evaluated++;
          return false;
        };
        const codes: string[] = [];
        for (let i = 0; i < GUESS_RULE.free + 4; i++) {
          const instance = instances[i % 3] as DbHandle;
          // One address, a different instance each time: the shared table stops them.
          const result = await authenticate(
            instance.db,
            { email, password: "wrong", address: "10.0.0.1" },
            { verify },
          );
          codes.push(result.ok ? "ok" : result.code);
        }
        expect(evaluated).toBe(GUESS_RULE.free);
        expect(codes.filter((c) => c === "throttled")).toHaveLength(4);
      } finally {
        for (const instance of instances) await instance.close();
      }
    },
  );
});

function randomBytes(): string {
  return randomUUID().slice(0, 8);
}

describe("export slots", () => {
  it("one person may have EXPORTS_PER_USER downloads at once on an instance; a release frees one", () => {
    const a = randomUUID();
    const held = Array.from({ length: EXPORTS_PER_USER }, () => acquireExportSlot(a));
    expect(held.every((r) => r !== null)).toBe(true);
    expect(acquireExportSlot(a)).toBeNull();
    expect(acquireExportSlot(randomUUID())).not.toBeNull();
    held[0]?.();
    held[0]?.(); // a second release of the same slot frees nothing more
    const again = acquireExportSlot(a);
    expect(again).not.toBeNull();
    expect(acquireExportSlot(a)).toBeNull();
  });
});

describe("error fields in logs", () => {
  it("keep no query parameters, PostgreSQL message or email", () => {
    const failed = Object.assign(
      new Error("Failed query: select 1 where email = $1\nparams: ada@example.com"),
      {
        cause: Object.assign(new Error('invalid input syntax for type uuid: "Ada Lovelace"'), {
          code: "22P02",
        }),
      },
    );
    expect(errorFields(failed)).toEqual({
      error: { type: "Error", message: "Failed query", code: "22P02" },
    });
    const pgError = Object.assign(new Error('invalid input syntax for type uuid: "Ada"'), {
      code: "22P02",
    });
    expect(JSON.stringify(errorFields(pgError))).not.toContain("Ada");
    expect(JSON.stringify(errorFields(new Error("no user ada@example.com")))).not.toContain("ada@");
  });
});
