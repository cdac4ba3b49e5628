import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type BrowserContext, chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "../e2e/browser";
import { loadAverage, throwawayDatabase } from "./fixtures";
import {
  runCommand,
  signInDemoAdmin,
  startDemoServer,
  stopServer,
  waitUntilUp,
} from "./next-server";

/**
 * `npx tsx bench/page-view-cpu.ts`: what one page view costs the server in a real browser, against
 * one document request. Starts `next start` (a production build) on the demo workspace (embedded
 * PGlite, or with --pg a throwaway PostgreSQL database), signs the demo admin in with Chromium,
 * then, after a warm-up, alternates blocks (ABBA) of
 *   - document requests: GET <path> with the session cookie, the whole body read;
 *   - browser page views: Chromium loads <path> and waits until the network is idle (so every
 *     prefetch the page starts has been answered), in one tab with its cache on;
 *   - idle: nothing, as long as the page views took, to take out the server's background work;
 * and reads the server's CPU time (utime + stime of every process of its group, /proc) around
 * each block. Prints CPU ms per document, per page view (raw and less idle), their ratio, and the
 * requests a page view made, by kind. --record FILE writes one page view's requests (method,
 * path, the headers that matter) for `bench/load.ts --browser-mix FILE`.
 */

const HELP = `Usage: npx tsx bench/page-view-cpu.ts [--port 3271] [--path /users] [--rounds 4]
       [--per-block 5] [--pg postgres://…/postgres] [--skip-build] [--record FILE]

NEXT_DIST_DIR picks the build folder (default .next-bench); --skip-build reuses it.`;

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "3271" },
    path: { type: "string", default: "/users" },
    rounds: { type: "string", default: "4" },
    "per-block": { type: "string", default: "5" },
    pg: { type: "string" },
    "skip-build": { type: "boolean", default: false },
    record: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(opts.port);
const viewPath = opts.path as string;
const rounds = Number(opts.rounds);
const perBlock = Number(opts["per-block"]);
const distDir = process.env.NEXT_DIST_DIR || ".next-bench";
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };
const TICK_MS = 1000 / 100; // USER_HZ: /proc counts CPU time in 1/100 s

/** CPU time (ms) used so far by every live process of the process group `pgid`. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), from field 3 on.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
      ticks += Number(fields[11]) + Number(fields[12]); // fields 14, 15: utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_MS;
}

type Seen = { method: string; path: string; kind: string; headers: Record<string, string> };

/** What a request is: the document, an RSC prefetch or navigation, a static file, other. */
function kindOf(url: URL, headers: Record<string, string>, resourceType: string): string {
  if (resourceType === "document") return "document";
  if (url.pathname.startsWith("/_next/static")) return "static";
  if (headers.rsc === "1" || url.searchParams.has("_rsc")) {
    return headers["next-router-prefetch"] ? `prefetch ${url.pathname}` : `rsc ${url.pathname}`;
  }
  return `other ${url.pathname}`;
}

/** One page view: load the page, wait until the network is idle; the server requests it made. */
async function pageView(page: Page): Promise<Seen[]> {
  const seen: Seen[] = [];
  const onRequest = (req: import("@playwright/test").Request) => {
    const url = new URL(req.url());
    if (url.origin !== base) return;
    const headers = req.headers();
    const kept = Object.fromEntries(
      Object.entries(headers).filter(([k]) => k === "rsc" || k.startsWith("next-")),
    );
    seen.push({
      method: req.method(),
      path: url.pathname + url.search,
      kind: kindOf(url, headers, req.resourceType()),
      headers: kept,
    });
  };
  page.on("request", onRequest);
  await page.goto(`${base}${viewPath}`, { waitUntil: "networkidle" });
  page.off("request", onRequest);
  return seen;
}

async function documentRequest(cookie: string): Promise<void> {
  const res = await fetch(`${base}${viewPath}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${viewPath}: ${res.status}`);
  await res.arrayBuffer();
}

async function signIn(context: BrowserContext): Promise<{ page: Page; cookie: string }> {
  const page = await context.newPage();
  await signInDemoAdmin(page, base);
  const cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ");
  return { page, cookie };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "roster-page-view-cpu-"));
const pgDb = opts.pg ? await throwawayDatabase(opts.pg, `roster_page_view_${port}`) : null;
let server: ChildProcess | null = null;
try {
  if (!opts["skip-build"]) await runCommand("npx", ["next", "build"], env);
  if (pgDb) {
    // A server on DATABASE_URL neither migrates nor seeds by itself: the operator's commands do.
    const pgEnv = { ...env, DATABASE_URL: pgDb.url };
    await runCommand("npx", ["tsx", "scripts/migrate-cli.ts"], pgEnv);
    await runCommand("npx", ["tsx", "scripts/seed-cli.ts", "--reset", "--demo"], pgEnv);
  }
  server = startDemoServer({
    port,
    env,
    dataDir,
    databaseUrl: pgDb?.url,
    authSecret: pgDb ? "page-view-cpu-bench-secret-0123456789abcdef" : undefined,
  });
  const pgid = server.pid ?? 0;
  await waitUntilUp(`${base}/sign-in`, server);
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, cookie } = await signIn(context);
    // Warm-up: the routes and the browser's cache of scripts.
    for (let i = 0; i < 3; i++) {
      await documentRequest(cookie);
      await pageView(page);
    }
    const cpu = { doc: 0, view: 0, idle: 0 };
    const wall = { view: 0, idle: 0 };
    const views: Seen[][] = [];
    const blocks = {
      doc: async () => {
        for (let i = 0; i < perBlock; i++) await documentRequest(cookie);
      },
      view: async () => {
        for (let i = 0; i < perBlock; i++) views.push(await pageView(page));
      },
      idle: async () => {
        await new Promise((r) => setTimeout(r, wall.view / Math.max(1, views.length / perBlock)));
      },
    };
    const loadBefore = loadAverage();
    for (let r = 0; r < rounds; r++) {
      const order: (keyof typeof blocks)[] =
        r % 2 === 0 ? ["doc", "view", "idle"] : ["idle", "view", "doc"];
      for (const block of order) {
        if (block === "idle" && wall.view === 0) continue;
        const c0 = groupCpuMs(pgid);
        const t0 = performance.now();
        await blocks[block]();
        if (block !== "doc") wall[block] += performance.now() - t0;
        cpu[block] += groupCpuMs(pgid) - c0;
      }
    }
    const n = rounds * perBlock;
    const idleRate = wall.idle > 0 ? cpu.idle / wall.idle : 0;
    const perDoc = cpu.doc / n;
    const perView = cpu.view / n;
    const perViewNet = (cpu.view - idleRate * wall.view) / n;
    const byKind = new Map<string, number>();
    for (const v of views) for (const s of v) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
    const toServer = views.reduce((sum, v) => sum + v.filter((s) => s.kind !== "static").length, 0);
    console.log(
      `\n${viewPath} on ${pgDb ? "PostgreSQL" : "PGlite"} (demo workspace), ${n} of each, ${rounds} rounds ABBA; ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`,
    );
    console.log(`server CPU per document request: ${perDoc.toFixed(1)} ms`);
    console.log(
      `server CPU per browser page view:  ${perView.toFixed(1)} ms raw, ${perViewNet.toFixed(1)} ms less idle (${(idleRate * 1000).toFixed(1)} ms CPU per s idle, ${(wall.view / n).toFixed(0)} ms a view)`,
    );
    console.log(
      `ratio page view ÷ document: ${(perView / perDoc).toFixed(2)} raw, ${(perViewNet / perDoc).toFixed(2)} less idle`,
    );
    console.log(
      `requests to the server per page view: ${(toServer / n).toFixed(1)}; by kind, per view:`,
    );
    for (const [kind, count] of [...byKind].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(count / n).toFixed(1).padStart(5)}  ${kind}`);
    }
    console.log(`load average: before ${loadBefore}, after ${loadAverage()}`);
    if (opts.record) {
      const one = views.at(-1)?.filter((s) => s.kind !== "static") ?? [];
      writeFileSync(opts.record, `${JSON.stringify({ path: viewPath, requests: one }, null, 2)}\n`);
      console.log(`recorded one page view's ${one.length} requests in ${opts.record}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  stopServer(server);
  await new Promise((r) => setTimeout(r, 1000));
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
