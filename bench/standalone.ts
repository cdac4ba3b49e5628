import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadAverage } from "./fixtures";
import { signInOverHttp } from "./sign-in";

/**
 * `npx tsx bench/standalone.ts` (after `npm run build`): runs the self-contained server Next.js
 * builds (`node .next/standalone/server.js`, what the Dockerfile ships) the way the Dockerfile
 * lays it out, on an embedded demo database in a temporary folder, on loopback, and checks it:
 * /healthz, /readyz, a page and its static assets, a sign-in, then SIGTERM: /readyz turns 503
 * and the process exits by itself. Stops what it started.
 */
const { values: opts } = parseArgs({ options: { port: { type: "string", default: "3251" } } });
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const root = path.join(distDir, "standalone");
if (!existsSync(path.join(root, "server.js"))) {
  throw new Error(`no ${root}/server.js: build first (next.config.ts has output "standalone")`);
}
// As the Dockerfile does: the static files and public/ beside the server.
cpSync(path.join(distDir, "static"), path.join(root, distDir, "static"), { recursive: true });
cpSync("public", path.join(root, "public"), { recursive: true });

const data = mkdtempSync(path.join(os.tmpdir(), "roster-standalone-"));
const base = `http://127.0.0.1:${opts.port}`;
const server = spawn("node", ["server.js"], {
  cwd: root,
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(opts.port),
    HOSTNAME: "127.0.0.1",
    ROSTER_DATA_DIR: path.join(data, "data"),
    ROSTER_URL: base,
    ROSTER_DEMO: "1",
    ROSTER_DRAIN_SECONDS: "1",
    DATABASE_URL: "",
    AUTH_SECRET: "",
    SMTP_URL: "",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
server.stdout.on("data", (c: Buffer) => {
  output += c.toString();
});
server.stderr.on("data", (c: Buffer) => {
  output += c.toString();
});
const exited = new Promise<number | null>((resolve) =>
  server.once("exit", (code) => resolve(code)),
);

let failures = 0;
function check(ok: boolean, line: string) {
  if (!ok) failures++;
  console.log(`${ok ? "PASS" : "FAIL"} ${line}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  const started = performance.now();
  let health = 0;
  for (let i = 0; i < 240 && health !== 200; i++) {
    health = await fetch(`${base}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (health !== 200) await sleep(250);
  }
  check(
    health === 200,
    `/healthz ${health} after ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  let ready = 0;
  for (let i = 0; i < 240 && ready !== 200; i++) {
    ready = await fetch(`${base}/readyz`).then((r) => r.status);
    if (ready !== 200) await sleep(250);
  }
  check(ready === 200, `/readyz ${ready} (the embedded database migrated and seeded)`);
  const page = await fetch(`${base}/sign-in`);
  const html = await page.text();
  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
  const assetStatus = asset ? (await fetch(`${base}${asset}`)).status : 0;
  check(
    page.status === 200 && assetStatus === 200,
    `/sign-in ${page.status}, its script ${asset} ${assetStatus}`,
  );
  const cookie = await signInOverHttp(new URL(base), "admin@roster.test", "roster-demo");
  const users = await fetch(`${base}/users`, { headers: { cookie }, redirect: "manual" });
  check(users.status === 200, `sign-in, then /users ${users.status}`);
  const term = performance.now();
  server.kill("SIGTERM");
  await sleep(200);
  const draining = await fetch(`${base}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
  const code = await Promise.race([exited, sleep(30_000).then(() => "still running")]);
  check(
    draining === 503 && code === 143,
    `SIGTERM: /readyz ${draining} while draining, exit ${code} after ${((performance.now() - term) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  failures++;
  console.log(`FAIL ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (server.exitCode === null) server.kill("SIGKILL");
  rmSync(data, { recursive: true, force: true });
  if (failures > 0) console.log(output.slice(-3000));
  console.log(`load average ${loadAverage()}; ${failures} failure(s)`);
  process.exitCode = failures > 0 ? 1 : 0;
}
