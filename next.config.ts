import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { loopbackOrigin } from "./lib/ops/loopback";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and extension bundles from its package folder at run time;
  // bundling it breaks that ("Extension bundle not found").
  // pino and prom-client: one copy per process, shared by the instrumentation hook and the routes.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pino", "prom-client"],
  // The self-contained server (.next/standalone/server.js) that the Dockerfile ships; `next start`
  // works as before (it warns that standalone has its own server). The migrations folder is read
  // at run time (readiness, the embedded database), and PGlite's WASM and extension bundles too.
  output: "standalone",
  outputFileTracingIncludes: {
    "/*": ["./db/migrations/**/*", "./node_modules/@electric-sql/pglite/dist/**/*"],
  },
  poweredByHeader: false,
  // `next dev` serves its dev assets only to the origin it names; without this, a page opened on
  // http://127.0.0.1:3000 (rather than localhost) never hydrates.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // `npm run typecheck` checks the whole tree, tests included; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Lets parallel test runs build side by side without sharing one .next folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  turbopack: {
    resolveAlias: {
      // Shared modules (lib/users/view.ts, lib/url.ts) build their nuqs parsers from
      // "nuqs/server", which server code needs (the "nuqs" entry is "use client"). In the browser
      // the same functions come from "nuqs", which the hooks load anyway, rather than a second
      // copy of them from "nuqs/server".
      "nuqs/server": { browser: "nuqs" },
    },
  },
  experimental: {
    // forbidden(): pages a role may not see answer 403 with the "no access" page.
    authInterrupts: true,
    // The proxy reads bodies up to 1 MB (see proxy.ts); Next keeps a copy for the page, up to
    // this. Twice the limit, so that any body over 1 MB is seen as such even in large chunks.
    proxyClientMaxBodySize: "2mb",
  },
};

/**
 * `next start` loads the app (instrumentation.ts → lib/start.ts: settings, database, background
 * work, then the warm-up that /readyz waits for) only at its first request. It reads this file
 * once it listens: ask for /readyz then, so that all of that runs at start, not in the first
 * person's request. (The standalone server reads a copy of the settings, not this file; there
 * the orchestrator's first readiness probe starts it.)
 */
function startNow(): void {
  const origin = loopbackOrigin();
  if (!origin) return;
  setTimeout(() => {
    fetch(new URL("/readyz", origin))
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
  }, 0).unref();
}

export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) startNow();
  return nextConfig;
}
