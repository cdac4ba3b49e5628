import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "../e2e/browser";
import { loadAverage } from "./fixtures";
import {
  runCommand,
  signInDemoAdmin,
  startDemoServer,
  stopServer,
  waitUntilUp,
} from "./next-server";

/**
 * `npx tsx bench/client-js.ts`: the JavaScript a browser downloads on a first load of /users.
 * Builds for production (unless --skip-build), starts `next start` on a fresh embedded demo
 * database, signs in as the demo admin, then loads /users with the cache off and sums, from
 * Chromium's network log, the encoded (gzip) bytes of every script. It also says whether any
 * script holds zod or Drizzle. Ends on its own and removes what it made.
 */

const HELP = `Usage: npx tsx bench/client-js.ts [--port 3219] [--skip-build] [--budget 170]

Prints each script /users loads (encoded KB, decoded KB), the total, and whether the total is
within the budget (KB gzip). NEXT_DIST_DIR picks the build folder (default .next-bench).`;

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "3219" },
    "skip-build": { type: "boolean", default: false },
    budget: { type: "string", default: "170" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(opts.port);
const budgetKb = Number(opts.budget);
const distDir = process.env.NEXT_DIST_DIR || ".next-bench";
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };

type Script = { url: string; encoded: number; decoded: number; body: string };

async function measure(): Promise<Script[]> {
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInDemoAdmin(page, base);

    // A first load: a fresh tab, nothing cached, the network log on.
    const fresh = await context.newPage();
    const cdp = await context.newCDPSession(fresh);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const scripts = new Map<string, { url: string; encoded: number; decoded: number }>();
    const finished: Promise<void>[] = [];
    cdp.on("Network.responseReceived", (e) => {
      if (e.type === "Script") {
        scripts.set(e.requestId, { url: e.response.url, encoded: 0, decoded: 0 });
      }
    });
    cdp.on("Network.dataReceived", (e) => {
      const s = scripts.get(e.requestId);
      if (s) s.decoded += e.dataLength;
    });
    const bodies = new Map<string, string>();
    cdp.on("Network.loadingFinished", (e) => {
      const s = scripts.get(e.requestId);
      if (!s) return;
      s.encoded = e.encodedDataLength;
      finished.push(
        cdp
          .send("Network.getResponseBody", { requestId: e.requestId })
          .then((b) => {
            bodies.set(
              e.requestId,
              b.base64Encoded ? Buffer.from(b.body, "base64").toString("utf8") : b.body,
            );
          })
          .catch(() => {}),
      );
    });
    await fresh.goto(`${base}/users`, { waitUntil: "networkidle" });
    await fresh.getByRole("tab", { name: /^Active \d+$/ }).waitFor();
    await Promise.all(finished);
    return [...scripts.entries()].map(([id, s]) => ({ ...s, body: bodies.get(id) ?? "" }));
  } finally {
    await browser.close();
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "roster-client-js-"));
let server: ChildProcess | null = null;
try {
  if (!opts["skip-build"]) await runCommand("npx", ["next", "build"], env);
  server = startDemoServer({ port, env, dataDir });
  await waitUntilUp(`${base}/sign-in`, server);
  const scripts = await measure();
  const kb = (n: number) => (n / 1024).toFixed(1);
  const total = scripts.reduce((s, x) => s + x.encoded, 0);
  const decoded = scripts.reduce((s, x) => s + x.decoded, 0);
  const zod = scripts.filter((s) => /ZodError|\$ZodType/.test(s.body));
  const drizzle = scripts.filter((s) => /drizzle|pgTable|PgColumn/.test(s.body));
  console.log(`\n/users first load, ${scripts.length} scripts (encoded KB / decoded KB):`);
  for (const s of scripts.sort((a, b) => b.encoded - a.encoded)) {
    console.log(
      `  ${kb(s.encoded).padStart(7)}  ${kb(s.decoded).padStart(7)}  ${new URL(s.url).pathname}`,
    );
  }
  console.log(
    `\ntotal JS: ${kb(total)} KB encoded (gzip, headers included), ${kb(decoded)} KB decoded`,
  );
  console.log(`budget: ${budgetKb} KB → ${total / 1024 <= budgetKb ? "within" : "OVER"}`);
  console.log(`scripts holding zod: ${zod.length}; holding Drizzle: ${drizzle.length}`);
  console.log(`load average: ${loadAverage()}`);
  if (total / 1024 > budgetKb || zod.length || drizzle.length) process.exitCode = 1;
} finally {
  stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
}
