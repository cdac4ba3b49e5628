import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./e2e/browser";

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = process.env.E2E_DATA_DIR ?? ".data-e2e";
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  // jobs.spec.ts runs on a larger workspace of its own: playwright.jobs.config.ts.
  testIgnore: "jobs.spec.ts",
  // One server, one embedded database: specs run one at a time and act on different demo users.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
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
  webServer: {
    // A fresh embedded database every run: the server migrates and seeds it on start.
    command: `rm -rf ${dataDir} && ${process.env.E2E_SKIP_BUILD ? "" : "npx next build && "}npx next start -p ${port}`,
    // Ready once migrated, seeded and warmed up (lib/ops/warm-up.ts): 503 until then.
    url: `${baseURL}/readyz`,
    // The production build runs inside this wait: on a loaded 2-core machine it took over 4 min.
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ROSTER_DATA_DIR: dataDir,
      NEXT_DIST_DIR: distDir,
      ROSTER_SEATS: process.env.ROSTER_SEATS ?? "150",
      DATABASE_URL: "",
      AUTH_SECRET: "",
      SMTP_URL: "",
      // `next start` is production: links in emails need the public origin, and the suite's
      // flows rely on the demo workspace, which production loads only when asked.
      ROSTER_URL: baseURL,
      ROSTER_DEMO: "1",
      // No daily policy runs on their own: e2e/dormant-policy.spec.ts runs the policy by hand.
      ROSTER_POLICY_TICK: "off",
      // As behind one load balancer: X-Forwarded-For's last entry is the client's address, so a
      // spec can sign in from several (e2e/sign-in-lockout.spec.ts); requests without the
      // header all count as one address, "unknown".
      ROSTER_TRUSTED_PROXIES: "1",
      // The JSON log of the run, which e2e/zz-log-privacy.spec.ts reads at the end.
      ROSTER_LOG_FILE: `${dataDir}/server.log`,
    },
  },
});
