import { setDraining } from "./health";
import { errorFields, log } from "./log";

/** What a drain does, in order (injected, so that lib/ops/shutdown.test.ts can watch it). */
export type DrainSteps = {
  /** How long readiness fails before the listener closes, so that the balancer stops sending. */
  drainMs: number;
  /** From SIGTERM to a forced exit, whatever is still running. */
  limitMs: number;
  /** The job runner (its batch in flight ends, then its lease is released) and the mail sender. */
  stopBackground: () => Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, then exits (Next's handler). */
  closeServer: () => void;
  exit: (code: number) => void;
  sleep?: (ms: number) => Promise<void>;
};

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM: /readyz answers 503 at once; background work stops meanwhile (a job's lease is
 * released as soon as its batch commits, so another instance takes it over at its next poll);
 * after `drainMs` the listener closes and in-flight requests finish; the process exits, at the
 * latest after `limitMs`.
 */
export async function drain(steps: DrainSteps): Promise<void> {
  setDraining(true);
  const started = Date.now();
  log().info({ msg: "shutdown: draining", drainMs: steps.drainMs, limitMs: steps.limitMs });
  const limit = setTimeout(() => {
    log().error({ msg: "shutdown: time limit reached, exiting", limitMs: steps.limitMs });
    steps.exit(1);
  }, steps.limitMs);
  limit.unref();
  const background = steps
    .stopBackground()
    .then(() =>
      log().info({ msg: "shutdown: background work stopped", durationMs: Date.now() - started }),
    )
    .catch((error: unknown) =>
      log().error({ msg: "shutdown: stopping background work failed", ...errorFields(error) }),
    );
  await (steps.sleep ?? wait)(steps.drainMs);
  await background;
  log().info({ msg: "shutdown: closing the listener", durationMs: Date.now() - started });
  steps.closeServer();
}

/** The seconds a SIGTERM may take beyond the drain delay (in-flight requests, a job batch). */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Takes over SIGTERM from Next's own handler (which closes the listener at once), and calls that
 * handler once the drain is done: it closes the listener, waits for in-flight requests, and
 * exits. Called once, from lib/start.ts (which runs at the first request of `next start`, after
 * Next has installed its handler).
 */
export function installShutdown(options: {
  drainSeconds: number;
  stopBackground: () => Promise<void>;
}): void {
  const g = globalThis as unknown as { rosterShutdownInstalled?: boolean };
  if (g.rosterShutdownInstalled) return;
  g.rosterShutdownInstalled = true;
  const next = process.listeners("SIGTERM");
  process.removeAllListeners("SIGTERM");
  let started = false;
  process.on("SIGTERM", () => {
    if (started) return;
    started = true;
    void drain({
      drainMs: options.drainSeconds * 1000,
      limitMs: options.drainSeconds * 1000 + SHUTDOWN_GRACE_MS,
      stopBackground: options.stopBackground,
      closeServer: () => {
        if (next.length === 0) process.exit(0);
        for (const listener of next) listener("SIGTERM");
      },
      exit: (code) => process.exit(code),
    });
  });
}
