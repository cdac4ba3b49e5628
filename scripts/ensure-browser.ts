/**
 * Run by `npm run test:e2e` before Playwright: finds the Chromium the browser tests drive and,
 * when there is none, installs one, so `npm test` on a fresh machine needs no other step.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type FoundChromium, findChromium } from "../e2e/browser";

type Step = {
  command: string;
  args: string[];
  timeoutMs: number;
  env?: Record<string, string>;
  /** Show only the error lines, once each, and only on failure (Playwright retries loudly). */
  quiet?: boolean;
  /** A failure does not stop the steps after it. */
  mayFail?: boolean;
};

export type EnsureDeps = {
  find: () => FoundChromium | null;
  /** Runs a command to its end; false when it failed or ran out of time. */
  run: (step: Step) => Promise<boolean>;
  isRoot: boolean;
  hasApt: boolean;
  log: (line: string) => void;
  now?: () => number;
};

const MINUTE = 60_000;

function label(found: FoundChromium) {
  return `${found.source} at ${found.path}`;
}

/** The Chromium to use, installed first if need be; throws with the command to run by hand. */
export async function ensureChromium(deps: EnsureDeps): Promise<FoundChromium> {
  const now = deps.now ?? Date.now;
  const found = deps.find();
  if (found) {
    deps.log(`Browser tests use ${label(found)}.`);
    return found;
  }
  deps.log("No Chromium found for the browser tests: installing one.");

  const attempt = async (what: string, steps: Step[]) => {
    const started = now();
    deps.log(`- ${what}`);
    let ok = true;
    for (const step of steps) {
      if (!(await deps.run(step)) && !step.mayFail) {
        ok = false;
        break;
      }
    }
    const seconds = ((now() - started) / 1000).toFixed(1);
    const result = ok ? deps.find() : null;
    deps.log(
      result
        ? `  done in ${seconds} s: browser tests use ${label(result)}.`
        : `  ${ok ? "finished but no Chromium was found" : "failed"} after ${seconds} s.`,
    );
    return result;
  };

  const playwright = await attempt("npx playwright install chromium", [
    {
      command: "npx",
      args: ["playwright", "install", "chromium"],
      timeoutMs: 5 * MINUTE,
      // Where the download host cannot be reached, give up in seconds rather than hang.
      env: { PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: "15000" },
      quiet: true,
    },
  ]);
  if (playwright) {
    // Playwright's browser needs the system's libraries; as root they can be installed here.
    if (deps.isRoot && deps.hasApt) {
      await attempt("npx playwright install-deps chromium", [
        {
          command: "npx",
          args: ["playwright", "install-deps", "chromium"],
          timeoutMs: 10 * MINUTE,
        },
      ]);
    }
    return playwright;
  }

  if (deps.isRoot && deps.hasApt) {
    const apt = await attempt("apt-get update && apt-get install -y chromium", [
      // An unreachable mirror fails the update, yet the lists it has may still hold chromium.
      { command: "apt-get", args: ["update", "-qq"], timeoutMs: 3 * MINUTE, mayFail: true },
      {
        command: "apt-get",
        args: ["install", "-y", "-qq", "chromium"],
        timeoutMs: 10 * MINUTE,
        env: { DEBIAN_FRONTEND: "noninteractive" },
      },
      // The headless shell the suite prefers (e2e/browser.ts: about a quarter faster), where the
      // release has it; without it the full browser runs headless.
      {
        command: "apt-get",
        args: ["install", "-y", "-qq", "chromium-headless-shell"],
        timeoutMs: 5 * MINUTE,
        env: { DEBIAN_FRONTEND: "noninteractive" },
        mayFail: true,
      },
    ]);
    if (apt) return apt;
  }

  const command = deps.hasApt
    ? `${deps.isRoot ? "" : "sudo "}apt-get update && ${deps.isRoot ? "" : "sudo "}apt-get install -y chromium`
    : "npx playwright install chromium";
  throw new Error(
    `No Chromium for the browser tests, and none could be installed here. Run \`${command}\`, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium, then \`npm test\` again.`,
  );
}

/** Runs a step; on time-out its whole process group is killed. */
export function runStep(step: Step): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      stdio: step.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...step.env },
      // A group of its own, so that a time-out also stops the downloader npx starts.
      detached: true,
    });
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      console.log(
        `  ${step.command} ${step.args.join(" ")}: no result in ${step.timeoutMs / 1000} s, stopped.`,
      );
      stop();
    }, step.timeoutMs);
    // Ctrl-C reaches only this process (the child has a group of its own): pass it on.
    const interrupted = () => {
      stop();
      process.exit(130);
    };
    process.once("SIGINT", interrupted);
    process.once("SIGTERM", interrupted);
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk;
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      if (!ok && step.quiet) {
        const errors = new Set(output.split("\n").filter((line) => line.startsWith("Error:")));
        for (const line of errors) console.log(`  ${line}`);
      }
      resolve(ok);
    };
    child.on("error", () => finish(false));
    child.on("close", (code) => finish(code === 0));
  });
}

function onPath(command: string) {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, command)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  ensureChromium({
    find: () => findChromium(),
    run: runStep,
    isRoot: process.getuid?.() === 0,
    hasApt: onPath("apt-get"),
    log: (line) => console.log(line),
  }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
