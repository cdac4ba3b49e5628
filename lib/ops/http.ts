import http from "node:http";
import { acceptedRequestId, PEER_HEADER } from "@/lib/request-id";
import { isDraining } from "./health";
import { log, requestContext } from "./log";
import { metrics } from "./metrics";
import { isWarmUpRequest, WARM_UP_HEADER } from "./warm-up";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Paths probed every few seconds: neither logged nor timed. */
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

const FIXED = new Set([
  "/",
  "/sign-in",
  "/setup",
  "/users",
  "/users/export",
  "/audit",
  "/jobs",
  "/mailbox",
  "/favicon.ico",
]);

const SCIM_RESOURCES = new Set([
  "Users",
  "Groups",
  "ServiceProviderConfig",
  "ResourceTypes",
  "Schemas",
]);

/**
 * The route a path belongs to, never the path itself: ids and tokens become placeholders and
 * anything unknown is "other", so that neither the log nor a metric's labels hold what a person
 * typed, and metrics keep a bounded number of series.
 */
export function routeOf(pathname: string): string {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (FIXED.has(path) || PROBES.has(path)) return path;
  const parts = path.split("/");
  if (parts.length === 3 && parts[1] === "users" && UUID.test(parts[2] ?? "")) return "/users/[id]";
  if (parts.length === 3 && parts[1] === "invite") return "/invite/[token]";
  if (path.startsWith("/api/auth/")) {
    const action = parts[3] ?? "";
    return /^[a-z-]{1,20}$/.test(action) ? `/api/auth/${action}` : "/api/auth/other";
  }
  if (path.startsWith("/scim/v2/")) {
    const resource = parts[3] ?? "";
    if (!SCIM_RESOURCES.has(resource) || parts.length > 5) return "/scim/v2/other";
    return parts.length === 5 ? `/scim/v2/${resource}/[id]` : `/scim/v2/${resource}`;
  }
  if (path.startsWith("/_next/static/")) return "/_next/static";
  if (path.startsWith("/_next/image")) return "/_next/image";
  return "other";
}

function pathnameOf(url: string | undefined): string {
  const raw = url ?? "/";
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

/**
 * Wraps every HTTP request the process serves (Next's server included, which this code can't
 * otherwise reach under `next start`): a request id (kept from X-Request-Id when it looks like
 * one, else new; written back so that server actions and audit events carry the same one), an
 * AsyncLocalStorage context, and on finish one log line and one histogram sample. While draining,
 * responses ask the client to close the connection so that it reconnects elsewhere.
 */
export function instrumentHttpServer(): void {
  const g = globalThis as unknown as { rosterHttpInstrumented?: boolean };
  if (g.rosterHttpInstrumented) return;
  g.rosterHttpInstrumented = true;
  const emit = http.Server.prototype.emit as (
    this: http.Server,
    event: string,
    ...args: unknown[]
  ) => boolean;
  http.Server.prototype.emit = function patched(
    this: http.Server,
    event: string,
    ...args: unknown[]
  ) {
    if (event !== "request") return emit.call(this, event, ...args);
    const req = args[0] as http.IncomingMessage;
    const res = args[1] as http.ServerResponse;
    const pathname = pathnameOf(req.url);
    const route = routeOf(pathname);
    // Taken from X-Request-Id only when plainly an id: the audit keeps it for good.
    const given = req.headers["x-request-id"];
    const requestId = acceptedRequestId(typeof given === "string" ? given : null);
    req.headers["x-request-id"] = requestId;
    // The socket's peer, for the sign-in limits (lib/throttle.ts clientAddress): never the client's say.
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    res.setHeader("X-Request-Id", requestId);
    if (isDraining()) res.setHeader("Connection", "close");
    const method = req.method ?? "GET";
    const action = method === "POST" && typeof req.headers["next-action"] === "string";
    const started = performance.now();
    const context = { requestId } as { requestId: string; actorId?: string };
    // The server's own warm-up (lib/ops/warm-up.ts): logged as such, out of the latency figures.
    const warmUp = isWarmUpRequest(req.headers[WARM_UP_HEADER]);
    if (!PROBES.has(route)) {
      res.once("finish", () => {
        const seconds = (performance.now() - started) / 1000;
        const status = res.statusCode;
        if (!warmUp)
          metrics().httpDuration.observe(
            { route, method, status: `${Math.floor(status / 100)}xx` },
            seconds,
          );
        if (route === "/_next/static") return;
        const line = {
          msg: "request",
          requestId,
          method,
          route,
          ...(action ? { serverAction: true } : {}),
          ...(warmUp ? { warmUp: true } : {}),
          status,
          durationMs: Math.round(seconds * 1000),
          ...(context.actorId ? { actorId: context.actorId } : {}),
        };
        if (status >= 500) log().error(line);
        else log().info(line);
      });
    }
    return requestContext().run(context, () => emit.call(this, event, ...args));
  } as typeof http.Server.prototype.emit;
}
