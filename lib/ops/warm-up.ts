import { randomBytes } from "node:crypto";
import { errorFields, log } from "./log";

/**
 * What a production server requests from itself, on loopback, before /readyz says it is ready:
 * each route's server code loads and runs once here rather than in a person's first request.
 * Signed out, so no session is made and nothing is changed: a console page redirects to
 * /sign-in, after its layout and page modules have loaded. Document and RSC (client navigation)
 * requests load different parts of the renderer; each gets one.
 */
const WARM_UP_PATHS = ["/sign-in", "/users", "/audit", "/jobs", "/requests", "/settings"];

/** The longest one warm-up request may take; the server is ready after it anyway. */
const REQUEST_TIMEOUT_MS = 30_000;

type WarmUpGlobals = { rosterWarmingUp?: boolean; rosterWarmUpToken?: string };
const g = globalThis as unknown as WarmUpGlobals;

/** A warm-up is under way: /readyz answers 503 until it ends. */
export function isWarmingUp(): boolean {
  return g.rosterWarmingUp === true;
}

/** The header a warm-up request carries, with a secret of this process: such requests stay out of the metrics. */
export const WARM_UP_HEADER = "x-roster-warm-up";

/** Whether a request's WARM_UP_HEADER value is this process's own (a client can't know it). */
export function isWarmUpRequest(value: string | string[] | undefined): boolean {
  return (
    typeof value === "string" && g.rosterWarmUpToken !== undefined && value === g.rosterWarmUpToken
  );
}

/**
 * Requests WARM_UP_PATHS from `origin`, one at a time (a document, then its RSC payload), with
 * readiness held at 503 meanwhile. Never fails: a request that errors or times out is logged
 * (route and error class, nothing a person typed) and the server is ready after it all the same.
 */
export async function warmUp(
  origin: string,
  options: {
    paths?: readonly string[];
    fetch?: typeof fetch;
    /** Runs before the requests (the database's part of the warm-up); its failure is logged. */
    first?: () => Promise<void>;
  } = {},
): Promise<void> {
  const get = options.fetch ?? fetch;
  g.rosterWarmUpToken ??= randomBytes(16).toString("hex");
  const token = g.rosterWarmUpToken;
  g.rosterWarmingUp = true;
  const started = performance.now();
  try {
    try {
      await options.first?.();
    } catch (error) {
      log().warn({ msg: "warm-up queries failed", ...errorFields(error) });
    }
    for (const path of options.paths ?? WARM_UP_PATHS) {
      for (const rsc of [false, true]) {
        try {
          const headers = { [WARM_UP_HEADER]: token, ...(rsc ? { RSC: "1" } : {}) };
          const ask = (url: URL) =>
            get(url, {
              redirect: "manual",
              headers,
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
          const url = new URL(path, origin);
          let response = await ask(url);
          await response.arrayBuffer();
          // An RSC request first gets a redirect to the same path with its cache-busting
          // parameter (_rsc); the payload is behind it.
          const location = response.headers.get("location");
          const again = location ? new URL(location, url) : null;
          if (rsc && again && again.pathname === url.pathname && again.search !== url.search) {
            response = await ask(again);
            await response.arrayBuffer();
          }
        } catch (error) {
          log().warn({ msg: "warm-up request failed", route: path, rsc, ...errorFields(error) });
        }
      }
    }
  } finally {
    g.rosterWarmingUp = false;
    log().info({ msg: "warm-up done", durationMs: Math.round(performance.now() - started) });
  }
}
