import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { TABS } from "../lib/users/view";

export type ServerAction = { id: string; name: string; file: string; url: string };

/** Every server action of the build, from Next's manifest (no action is named here). */
export function serverActions(): ServerAction[] {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<
      string,
      { workers: Record<string, unknown>; filename?: string; exportedName?: string }
    >;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const page = Object.keys(entry.workers)[0] ?? "app/page";
    // app/(console)/users/[id]/page → /users/x: a page that holds the action.
    const url = `/${page
      .replace(/^app\/?/, "")
      .replace(/\/?page$/, "")
      .split("/")
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .map((s) => (/^\[.*\]$/.test(s) ? "x" : s))
      .join("/")}`;
    return { id, name: entry.exportedName ?? id, file: entry.filename ?? "", url };
  });
}

/** Calls a server action the way React's client does (plain-text reply encoding). */
export function callAction(
  request: APIRequestContext,
  action: ServerAction,
  body: string,
  headers: Record<string, string> = {},
) {
  return request.post(action.url, {
    headers: {
      "next-action": action.id,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      ...headers,
    },
    data: body,
    maxRedirects: 0,
    timeout: 60_000,
  });
}

/**
 * What the workspace holds, as an admin can read it over HTTP: every tab's CSV export, the
 * audit's and the mailbox's totals. Equal fingerprints: nothing changed.
 */
export async function workspaceFingerprint(request: APIRequestContext): Promise<string> {
  const hash = createHash("sha256");
  for (const tab of TABS) {
    const res = await request.get(`/users/export?tab=${tab}`);
    hash.update(`${tab}:${res.status()}:${await res.text()}`);
  }
  const text = async (url: string) =>
    (await (await request.get(url)).text()).replaceAll("<!-- -->", "");
  const audit = /of ([\d,]+) events/.exec(await text("/audit"))?.[1];
  const mailbox = /([\d,]+) emails? ·/.exec(await text("/mailbox"))?.[1];
  if (!audit || !mailbox) throw new Error("fingerprint: totals not found on /audit or /mailbox");
  hash.update(`audit:${audit};mailbox:${mailbox}`);
  return hash.digest("hex");
}

/** What no answer may show: a stack trace, SQL, a password hash or any 64-hex digest. */
export const LEAK =
  /\bat [\w.<>$]+ \(|node_modules|\.tsx?:\d+|\bselect\s+[\w*",.\s()]+\s+from\s+"?[a-z_]+|\binsert\s+into\b|\bupdate\s+"?[a-z_]+"?\s+set\b|password_hash|scrypt\$|\b[0-9a-f]{64}\b/i;
