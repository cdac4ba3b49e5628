import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { CHROMIUM_ARGS } from "../e2e/browser";
import { signInOverHttp } from "./sign-in";

/**
 * `npx tsx bench/lighthouse.ts --url http://127.0.0.1:3330`: Lighthouse scores of /sign-in and of
 * the signed-in /users on a running production server (`next start`), with the session cookie
 * passed as an extra header. Lighthouse is fetched by npx (12.2.3: 13.x needs Node 22) and is not
 * a dependency. Prints one line per page; exits 1 when best practices or accessibility is below
 * 100 and names the audits that cost points.
 */
const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3330" },
    email: { type: "string", default: "admin@roster.test" },
    password: { type: "string", default: "roster-demo" },
    pages: { type: "string", default: "/sign-in,/users" },
  },
});
const base = new URL(opts.url as string);
const CHROME_FLAGS = ["--headless", ...CHROMIUM_ARGS].join(" ");

type Report = {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; title: string; details?: { items?: unknown[] } }>;
};

const cookie = await signInOverHttp(base, opts.email as string, opts.password as string);
const dir = mkdtempSync(path.join(os.tmpdir(), "roster-lighthouse-"));
const before = os.loadavg();
let failed = false;
try {
  for (const page of (opts.pages as string).split(",")) {
    const out = path.join(dir, "report.json");
    const signedIn = page !== "/sign-in";
    const args = [
      "-y",
      "lighthouse@12.2.3",
      new URL(page, base).toString(),
      "--quiet",
      "--output=json",
      `--output-path=${out}`,
      `--chrome-flags=${CHROME_FLAGS}`,
      ...(signedIn ? [`--extra-headers=${JSON.stringify({ Cookie: cookie })}`] : []),
    ];
    const run = spawnSync("npx", args, {
      env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" },
      encoding: "utf8",
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (run.status !== 0) throw new Error(`lighthouse exited ${run.status} on ${page}`);
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    const score = (c: string) => Math.round((report.categories[c]?.score ?? 0) * 100);
    const lost = (c: string) =>
      (report.categories[c]?.auditRefs ?? [])
        .filter((r) => r.weight > 0 && (report.audits[r.id]?.score ?? 1) < 1)
        .map((r) => r.id);
    console.log(
      `${page}${signedIn ? " (signed in)" : ""}: performance ${score("performance")}, accessibility ${score("accessibility")}, best practices ${score("best-practices")}, SEO ${score("seo")}`,
    );
    for (const c of ["accessibility", "best-practices"]) {
      if (score(c) < 100) {
        failed = true;
        console.log(`  ${c} below 100: ${lost(c).join(", ")}`);
        for (const id of lost(c)) {
          for (const item of report.audits[id]?.details?.items?.slice(0, 5) ?? []) {
            console.log(`    ${id}: ${JSON.stringify(item).slice(0, 600)}`);
          }
        }
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `load average before ${before.map((l) => l.toFixed(1)).join(" ")}, after ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
process.exitCode = failed ? 1 : 0;
