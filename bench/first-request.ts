import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "../e2e/browser";
import { loadAverage } from "./fixtures";
import { signInDemoAdmin, startDemoServer, stopServer } from "./next-server";

/**
 * `npx tsx bench/first-request.ts`: what the first signed-in requests cost after a server start.
 * Starts `next start` (the build in NEXT_DIST_DIR) on a fresh embedded demo database, signs the
 * demo admin in with Chromium and keeps the session cookie, stops the server; then, each round,
 * starts it again on the same database, polls GET /readyz every 50 ms until it answers 200 (what
 * a load balancer waits for), and times the first GET /users, /audit and /users?tab=invited with
 * the cookie (document requests, body read), then the median of 5 more GET /users (warm).
 */

const HELP = `Usage: npx tsx bench/first-request.ts [--port 3219] [--rounds 3]

NEXT_DIST_DIR picks the build folder (default .next-bench); build it first.`;

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "3219" },
    rounds: { type: "string", default: "3" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(opts.port);
const base = `http://127.0.0.1:${port}`;
const distDir = process.env.NEXT_DIST_DIR || ".next-bench";
const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };
const authSecret = randomBytes(32).toString("hex");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "roster-first-request-"));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls /readyz until 200; returns the ms from `since`. */
async function untilReady(server: ChildProcess, since: number): Promise<number> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("next start exited early");
    try {
      const res = await fetch(`${base}/readyz`);
      await res.text();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error("/readyz did not answer 200 within 3 minutes");
}

async function timed(url: string, cookie: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await res.text();
  return { ms: performance.now() - started, status: res.status };
}

function stopped(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    stopServer(server);
  });
}

async function sessionCookie(): Promise<string> {
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInDemoAdmin(page, base);
    const cookies = await context.cookies(base);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

let server: ChildProcess | null = null;
const start = () =>
  startDemoServer({ port, env: { ...env, ROSTER_DRAIN_SECONDS: "0" }, dataDir, authSecret });
try {
  server = start();
  await untilReady(server, performance.now());
  const cookie = await sessionCookie();
  await stopped(server);

  const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
  for (let round = 1; round <= Number(opts.rounds); round++) {
    const began = performance.now();
    server = start();
    const ready = await untilReady(server, began);
    const users = await timed(`${base}/users`, cookie);
    const audit = await timed(`${base}/audit`, cookie);
    const invited = await timed(`${base}/users?tab=invited`, cookie);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await timed(`${base}/users`, cookie)).ms);
    warm.sort((a, b) => a - b);
    console.log(
      `round ${round}: ready after ${ms(ready)} | first /users ${ms(users.ms)} (${users.status})` +
        ` | first /audit ${ms(audit.ms)} (${audit.status}) | first /users?tab=invited ${ms(invited.ms)}` +
        ` | warm /users median ${ms(warm[2] ?? 0)} | load ${loadAverage()}`,
    );
    await stopped(server);
    server = null;
  }
} finally {
  if (server) await stopped(server);
  rmSync(dataDir, { recursive: true, force: true });
}
