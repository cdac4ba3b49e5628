import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The jobs spec needs a workspace larger than the job threshold (5,000 users), which would
 * change every count the other specs rely on: it runs on a server of its own, on an embedded
 * database seeded with the demo plus 6,000 generated users before the server starts.
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = process.env.E2E_JOBS_DATA_DIR ?? ".data-e2e-jobs";
const baseURL = `http://127.0.0.1:${port}`;
const webServer = Array.isArray(base.webServer) ? base.webServer[0] : base.webServer;

export default defineConfig({
  ...base,
  testMatch: "jobs.spec.ts",
  testIgnore: [],
  workers: 1,
  timeout: 180_000,
  use: { ...base.use, baseURL },
  webServer: {
    ...webServer,
    command: `rm -rf ${dataDir} && ${process.env.E2E_SKIP_BUILD ? "" : "npx next build && "}npx tsx scripts/seed-cli.ts --demo --users 6000 && npx next start -p ${port}`,
    // Ready once migrated, seeded and warmed up (lib/ops/warm-up.ts): 503 until then.
    url: `${baseURL}/readyz`,
    env: {
      ...webServer?.env,
      ROSTER_DATA_DIR: dataDir,
      ROSTER_LOG_FILE: `${dataDir}/server.log`,
      ROSTER_SEATS: "100000",
      // Smaller batches than in production, so that the bar is seen moving.
      ROSTER_JOB_BATCH_SIZE: "500",
    },
  },
});
