import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * `npx tsx bench/fuzz-actions.ts [runs]`: the "Malformed payloads" figure at full size. Runs the
 * fast-check property of e2e/hardening.spec.ts with `runs` payloads per server action (1,000 by
 * default) against a fresh production build on a fresh embedded database. Pass E2E_SKIP_BUILD=1
 * to reuse a build, E2E_PORT to pick the port.
 */
const runs = process.argv[2] ?? "1000";
const before = os.loadavg();
const started = Date.now();
// Its own output folder: another Playwright run in this worktree empties test-results/, and with
// it the traces of a run 20 minutes in.
const output = mkdtempSync(path.join(os.tmpdir(), "roster-fuzz-"));
const result = spawnSync(
  "npx",
  ["playwright", "test", "e2e/hardening.spec.ts", "-g", "malformed payloads", "--output", output],
  {
    env: { ...process.env, FUZZ_RUNS: runs },
    encoding: "utf8",
    // The server's JSON request log passes through Playwright's stdout: 17 minutes of it is far
    // over spawnSync's default 1 MB, past which the run died of EPIPE (not a finding).
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const out = result.stdout ?? "";
process.stdout.write(out);
const line = out.split("\n").find((l) => l.startsWith("fuzz:"));
console.log(
  `\n${line ?? "fuzz: no summary line"}; ${result.status === 0 ? "0 5xx, no leak, no change" : "FAILED"}; ${((Date.now() - started) / 60000).toFixed(1)} min; load average before ${before.map((l) => l.toFixed(1)).join(" ")}, after ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
if (result.status === 0) rmSync(output, { recursive: true, force: true });
else console.log(`traces and screenshots: ${output}`);
process.exitCode = result.status ?? 1;
