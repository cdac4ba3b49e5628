import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./e2e/browser";
import { allServers, E2E_WORKERS, ownServer } from "./e2e/servers";

const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const servers = allServers();
// The build runs once, before the first server starts; the others wait for it (webServer
// entries start in order, each once the one before answers).
const build = process.env.E2E_SKIP_BUILD ? "" : "npx next build && ";

export default defineConfig({
  testDir: "./e2e",
  // jobs.spec.ts runs on a larger workspace of its own: playwright.jobs.config.ts.
  testIgnore: "jobs.spec.ts",
  // A server and an embedded database per worker (e2e/servers.ts): a file runs whole in one
  // worker, its tests one after another, on that worker's workspace.
  workers: E2E_WORKERS,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: ownServer().origin,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
      },
    },
  ],
  webServer: servers.map((server, i) => ({
    // A fresh embedded database every run: the server migrates and seeds it on start.
    command: `rm -rf ${server.dataDir} && ${i === 0 ? build : ""}npx next start -p ${server.port}`,
    // Ready once migrated, seeded and warmed up (lib/ops/warm-up.ts): 503 until then.
    url: `${server.origin}/readyz`,
    // The production build runs inside the first wait: on a loaded 2-core machine it took over
    // 4 min.
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      ROSTER_DATA_DIR: server.dataDir,
      NEXT_DIST_DIR: distDir,
      ROSTER_SEATS: process.env.ROSTER_SEATS ?? "150",
      DATABASE_URL: "",
      AUTH_SECRET: "",
      SMTP_URL: "",
      // `next start` is production: links in emails need the public origin, and the suite's
      // flows rely on the demo workspace, which production loads only when asked.
      ROSTER_URL: server.origin,
      ROSTER_DEMO: "1",
      // No daily policy runs on their own: e2e/dormant-policy.spec.ts runs the policy by hand.
      ROSTER_POLICY_TICK: "off",
      // As behind one load balancer: X-Forwarded-For's last entry is the client's address, so a
      // spec can sign in from several (e2e/sign-in-lockout.spec.ts); requests without the
      // header all count as one address, "unknown".
      ROSTER_TRUSTED_PROXIES: "1",
      ROSTER_LOG_FILE: server.logFile,
    },
  })),
});
