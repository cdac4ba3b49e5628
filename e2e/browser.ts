import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

type Env = Record<string, string | undefined>;

/**
 * The headless shell first (Debian's `chromium-headless-shell`, what Playwright itself drives
 * headless): on this suite it costs about a quarter less time than the full browser in headless
 * mode (bench/RESULTS.md, "Issue 21, 2026-12-06 night").
 */
const SYSTEM_CHROMIUM = [
  "/usr/lib/chromium/chromium-headless-shell",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
];

/**
 * Where a system Chromium may be. E2E_SYSTEM_CHROMIUM (paths separated by ":", empty for none)
 * replaces the list, so a fresh machine can be rehearsed without removing the real browser.
 */
export function systemChromiumPaths(env: Env = process.env): string[] {
  const override = env.E2E_SYSTEM_CHROMIUM;
  if (override === undefined) return SYSTEM_CHROMIUM;
  return override.split(":").filter(Boolean);
}

function playwrightChromiumPath(): string | null {
  try {
    return chromium.executablePath() || null;
  } catch {
    return null; // this Playwright has no browser of its own installed
  }
}

export type FoundChromium =
  | { source: "PLAYWRIGHT_CHROMIUM_EXECUTABLE"; path: string }
  | { source: "Playwright's own Chromium"; path: string }
  | { source: "the system Chromium"; path: string };

export type FindOptions = {
  env?: Env;
  playwrightPath?: string | null;
  systemPaths?: string[];
  exists?: (path: string) => boolean;
};

/**
 * The browser to drive, in this order: PLAYWRIGHT_CHROMIUM_EXECUTABLE, Playwright's own
 * Chromium, the system Chromium; null when there is none.
 */
export function findChromium(options: FindOptions = {}): FoundChromium | null {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const fromEnv = env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (fromEnv) {
    // Named on purpose: a wrong path is an error, not a reason to pick another browser.
    if (!exists(fromEnv)) {
      throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE points at ${fromEnv}, which does not exist.`);
    }
    return { source: "PLAYWRIGHT_CHROMIUM_EXECUTABLE", path: fromEnv };
  }
  const own =
    options.playwrightPath === undefined ? playwrightChromiumPath() : options.playwrightPath;
  if (own && exists(own)) return { source: "Playwright's own Chromium", path: own };
  const system = (options.systemPaths ?? systemChromiumPaths(env)).find((path) => exists(path));
  return system ? { source: "the system Chromium", path: system } : null;
}

/**
 * For playwright.config.ts: the executable to launch (undefined lets Playwright pick its own).
 * `npm run test:e2e` installs one first when none is found; browser tests are never skipped.
 */
export function chromiumExecutable(): string | undefined {
  const found = findChromium();
  // Not a throw: tools that only read the Playwright config (knip in `npm run lint`) run before
  // `npm run test:e2e` has installed a browser. Launching without one still fails, with this hint.
  if (!found) {
    console.warn(
      "No Chromium for the browser tests. `npm run test:e2e` (or `npx tsx scripts/ensure-browser.ts`) installs one; or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.",
    );
    return undefined;
  }
  return found.source === "Playwright's own Chromium" ? undefined : found.path;
}
