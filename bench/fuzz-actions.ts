import { spawnSync } from "node:child_process";
import os from "node:os";

/**
 * `npx tsx bench/fuzz-actions.ts [runs]`: the "Malformed payloads" figure at full size. Runs the
 * fast-check property of e2e/hardening.spec.ts with `runs` payloads per server action (1,000 by
 * default) against a fresh production build on a fresh embedded database. Pass E2E_SKIP_BUILD=1
 * to reuse a build, E2E_PORT to pick the port.
 */
const runs = process.argv[2] ?? "1000";
const before = os.loadavg();
const started = Date.now();
const result = spawnSync(
  "npx",
  ["playwright", "test", "e2e/hardening.spec.ts", "-g", "malformed payloads"],
  {
    env: { ...process.env, FUZZ_RUNS: runs },
    encoding: "utf8",
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
process.exitCode = result.status ?? 1;
