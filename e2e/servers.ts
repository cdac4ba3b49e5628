import { availableParallelism } from "node:os";

/**
 * The suite's servers: one production server, on its own embedded database, per Playwright
 * worker. A spec file runs whole in one worker and talks only to that worker's server, so the
 * files of one worker share a workspace as they did when the suite ran on one worker, and two
 * workers never see each other's changes. Playwright hands the next file to whichever worker is
 * free. TEST_PARALLEL_INDEX is set in each worker's process (0 in the main process).
 *
 * A worker keeps about two cores busy (its server and its browser): one worker per two cores.
 * On a 2-core machine two workers took longer than one (bench/RESULTS.md, "Issue 21,
 * 2026-12-06 night").
 */
export const E2E_WORKERS = Math.max(
  1,
  Number(process.env.E2E_WORKERS ?? Math.floor(availableParallelism() / 2)),
);

const basePort = Number(process.env.E2E_PORT ?? 3210);
const baseDataDir = process.env.E2E_DATA_DIR ?? ".data-e2e";

export type E2eServer = { port: number; origin: string; dataDir: string; logFile: string };

function e2eServer(index: number): E2eServer {
  const port = basePort + index;
  const dataDir = `${baseDataDir}-${index}`;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    dataDir,
    // The JSON log of the run, which e2e/zz-log-privacy.spec.ts reads at the end.
    logFile: `${dataDir}/server.log`,
  };
}

/** This worker's server. */
export function ownServer(): E2eServer {
  return e2eServer(Number(process.env.TEST_PARALLEL_INDEX ?? 0));
}

/** Every server of the run. */
export function allServers(): E2eServer[] {
  return Array.from({ length: E2E_WORKERS }, (_, i) => e2eServer(i));
}
