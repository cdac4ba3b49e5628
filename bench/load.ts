import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { signInOverHttp } from "./sign-in";

/**
 * `npx tsx bench/load.ts`: the "Load" figure. 20 admins (20 sessions, 20 connections) browse
 * and act on a running production server for 60 s, on loopback only: tabs, searches, sorts,
 * pages, user details, the audit log, previews, and deactivate/reactivate of real users with the
 * status they were last seen in (a stale one is skipped and reported, never an error).
 *
 * Start the server first (see bench/RESULTS.md for the 1M-user setup), then run this.
 *
 * `--browser-mix a.json[,b.json]`: page views as a browser makes them. Each file is one page view
 * recorded in Chromium by `bench/page-view-cpu.ts --record` (the requests after the document:
 * RSC prefetches and the like, with their headers). After the document of a page whose path
 * starts with a recording's path, the same client replays that recording's requests, one after
 * another, before its next page: the load is then counted in page views, not documents.
 */
const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3213" },
    admins: { type: "string", default: "20" },
    seconds: { type: "string", default: "60" },
    email: { type: "string", default: "admin@roster.test" },
    password: { type: "string", default: "roster-demo" },
    "browser-mix": { type: "string" },
  },
});
const base = new URL(opts.url as string);
if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) {
  throw new Error("bench/load.ts runs on loopback only");
}

type Manifest = { node: Record<string, { filename?: string; exportedName?: string }> };
const manifest = JSON.parse(
  readFileSync(
    path.join(process.env.NEXT_DIST_DIR ?? ".next", "server", "server-reference-manifest.json"),
    "utf8",
  ),
) as Manifest;
const actionId = (name: string) => {
  const id = Object.entries(manifest.node).find(([, e]) => e.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action ${name} in the build`);
  return id;
};
// The one lifecycle action (every verb) and its preview.
const ids = { lifecycle: actionId("lifecycleAction"), preview: actionId("previewAction") };

// One after another: sign-in attempts are charged before the password is checked (a right one
// is refunded), so 20 at once for one account would be throttled like 20 guesses.
const cookies: string[] = [];
for (let i = 0; i < Number(opts.admins); i++)
  cookies.push(await signInOverHttp(base, opts.email as string, opts.password as string));

// Real users to act on: a page of active members and a page of inactive ones (their ids).
async function idsOn(query: string): Promise<string[]> {
  const res = await fetch(new URL(`/users/export?${query}`, base), {
    headers: { cookie: cookies[0] ?? "" },
  });
  const lines = (await res.text()).split("\r\n").slice(1, 401);
  return lines.map((l) => l.split(",").at(-1) ?? "").filter((id) => /^[0-9a-f-]{36}$/.test(id));
}
const active = (await idsOn("tab=active&roles=member&q=garcia")).slice(0, 200);
const inactive = (await idsOn("tab=inactive&roles=member&q=garcia")).slice(0, 200);
const status = new Map<string, string>([
  ...active.map((id) => [id, "active"] as [string, string]),
  ...inactive.map((id) => [id, "inactive"] as [string, string]),
]);
const pool = [...status.keys()];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const BROWSE = [
  "/users",
  "/users?tab=inactive",
  "/users?tab=archived&sort=name&dir=desc",
  "/users?q=moreau",
  "/users?tab=active&roles=admin",
  "/users?before=2025-01-01",
  "/users?sort=lastSignIn&dir=asc&size=100",
  "/audit",
  "/audit?action=deactivate",
];

function actRequest(): {
  path: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
} {
  const id = pick(pool);
  const seen = status.get(id) ?? "active";
  const verb = seen === "active" ? "deactivate" : "reactivate";
  const preview = Math.random() < 0.3;
  const selection = { kind: "ids", targets: [{ id, expectedStatus: seen }] };
  // Assume it goes through; if another admin got there first, the target is skipped as stale
  // (reported in the answer, not an error) and the guess is wrong until it flips back.
  if (!preview) status.set(id, seen === "active" ? "inactive" : "active");
  const body = preview
    ? JSON.stringify([{ action: verb, selection, options: {} }])
    : JSON.stringify([{ action: verb, selection, options: {}, onConflict: "skip" }]);
  return {
    path: "/users",
    method: "POST",
    headers: {
      "next-action": preview ? ids.preview : ids.lifecycle,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: base.origin,
    },
    body,
  };
}

type Recorded = { method: string; path: string; kind: string; headers: Record<string, string> };
const mixes: { path: string; requests: Recorded[] }[] = (opts["browser-mix"] ?? "")
  .split(",")
  .filter(Boolean)
  .map((file) => JSON.parse(readFileSync(file, "utf8")) as { path: string; requests: Recorded[] })
  .map((m) => ({ ...m, requests: m.requests.filter((r) => r.kind !== "document") }))
  // The longest path first: "/users/" before "/users".
  .sort((a, b) => b.path.length - a.path.length);
const followUps = (target: string): Recorded[] =>
  mixes.find((m) => target.split("?")[0]?.startsWith(m.path))?.requests ?? [];
let pageViews = 0;
const maxFollowUps = Math.max(0, ...mixes.map((m) => m.requests.length));
type PageContext = { kind?: string; queue?: Recorded[]; cookie?: string };

const errors: string[] = [];
function onResponse(statusCode: number, body: string): void {
  // An action refused (`"ok":false`: invalid input, permission, seats) is an error too;
  // a stale target is skipped inside an `"ok":true` answer.
  if (
    statusCode >= 400 ||
    /Something went wrong on our side/.test(body) ||
    /"ok":false/.test(body)
  ) {
    if (errors.length < 10) errors.push(`${statusCode} ${body.slice(0, 200)}`);
    else errors.push(String(statusCode));
  }
}
let acts = 0;
let client = 0;
const before = os.loadavg();
const times: number[] = [];
const byKind = new Map<string, number[]>();
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    {
      url: base.origin,
      connections: Number(opts.admins),
      duration: Number(opts.seconds),
      timeout: 30,
      requests: [
        {
          setupRequest: (req, ctx) => {
            const context = ctx as PageContext;
            const cookie = cookies[client++ % cookies.length] ?? "";
            const act = Math.random() < 0.25 ? actRequest() : null;
            if (act) {
              acts++;
              context.kind = act.headers["next-action"] === ids.preview ? "preview" : "apply";
              return { ...req, ...act, headers: { ...req.headers, ...act.headers, cookie } };
            }
            const target =
              Math.random() < 0.15 && pool.length ? `/users/${pick(pool)}` : pick(BROWSE);
            context.kind = target.startsWith("/users/") ? "/users/<id>" : target;
            pageViews++;
            context.queue = [...followUps(target)];
            context.cookie = cookie;
            return { ...req, method: "GET", path: target, headers: { ...req.headers, cookie } };
          },
          onResponse,
        },
        // The rest of a page view: its recorded requests, in the same sequence (autocannon keeps
        // the context within one), until none is left; then the sequence starts again.
        ...Array.from({ length: maxFollowUps }, () => ({
          setupRequest: (req: autocannon.Request, ctx: unknown) => {
            const context = ctx as PageContext;
            const next = context.queue?.shift();
            if (!next) return undefined as unknown as autocannon.Request;
            context.kind = next.kind.replace(/\/users\/[0-9a-f-]{36}/, "/users/<id>");
            return {
              ...req,
              method: next.method as "GET",
              path: next.path,
              headers: { ...req.headers, ...next.headers, cookie: context.cookie ?? "" },
            };
          },
          onResponse,
        })),
      ],
    },
    (error, done) => (error ? reject(error) : resolve(done)),
  );
  instance.on("response", (c, _status, _bytes, responseTime) => {
    times.push(responseTime);
    // The kind setupRequest noted for this client's request (its context lives until the next).
    const kind = String(
      (c as unknown as { requestIterator: { context: { kind?: string } } }).requestIterator.context
        .kind,
    );
    byKind.set(kind, [...(byKind.get(kind) ?? []), responseTime]);
  });
});
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
times.sort((a, b) => a - b);
const p95 = quantile(times, 0.95);
const after = os.loadavg();
const l = result.latency;
console.log(autocannon.printResult(result));
console.log(
  `${opts.admins} admins × ${opts.seconds} s: ${result.requests.total} requests (${acts} actions), ${result.errors} socket errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${errors.length} app errors; latency p50 ${l.p50} ms, p90 ${l.p90} ms, p95 ${p95.toFixed(0)} ms, p97.5 ${l.p97_5} ms, p99 ${l.p99} ms, max ${l.max} ms; ${result.requests.average} req/s; load average before ${before.map((x) => x.toFixed(1)).join(" ")}, after ${after.map((x) => x.toFixed(1)).join(" ")}`,
);
if (mixes.length) {
  console.log(
    `browser mix (${mixes.map((m) => `${m.path}: ${m.requests.length} requests after the document`).join("; ")}): ${pageViews} page views, ${(pageViews / Number(opts.seconds)).toFixed(1)} page views/s`,
  );
}
console.log("by kind (count, p50, p95, max in ms):");
for (const [kind, list] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
  list.sort((a, b) => a - b);
  console.log(
    `  ${kind}: ${list.length}, ${quantile(list, 0.5).toFixed(0)}, ${quantile(list, 0.95).toFixed(0)}, ${(list.at(-1) ?? 0).toFixed(0)}`,
  );
}
if (errors.length) console.log(errors.slice(0, 10).join("\n"));
process.exitCode = result.errors + result.timeouts + result.non2xx + errors.length > 0 ? 1 : 0;
