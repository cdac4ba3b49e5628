import "server-only";
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db";
import type { Db } from "@/db/client";
import { settings } from "./env";
import { type Actor, sessionState } from "./session";
import { can, type Permission } from "./users/permissions";

export const SESSION_ENDED = "Your session has ended. Sign in again.";
export const SERVER_ERROR = "Something went wrong on our side; nothing was changed. Try again.";

export type Failure = { ok: false; error: string };

/** What every action's domain call gets: who, on which database, with which request. */
type ActionContext = {
  actor: Actor;
  db: Db;
  requestId: string;
  /** The configured public origin (ROSTER_URL), for links in emails; never a request header. */
  baseUrl: string;
  seatLimit: number;
  now: Date;
};

export type ActionSpec<S extends z.ZodType, R> = {
  /** For logs. */
  name: string;
  schema: S;
  /** The permission the actor needs (any one of a list), given the parsed input. */
  permission: (input: z.output<S>) => Permission | readonly Permission[];
  /** The error to return when the permission is missing. */
  denied: (input: z.output<S>) => string;
  run: (ctx: ActionContext, input: z.output<S>) => Promise<R | Failure>;
  /** Paths to revalidate after a successful run. */
  revalidate?: readonly string[];
};

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestInfo(h: Headers): { requestId: string; baseUrl: string } {
  const given = h.get("x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  // Host and X-Forwarded-Host are the client's to choose: a link built from them can point a
  // working invitation at an attacker's site.
  return { requestId, baseUrl: settings().publicUrl };
}

function invalidInput(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "That request isn't valid. Nothing was changed.";
  const where = issue.path.length ? ` (${issue.path.join(".")})` : "";
  return `${issue.message.replace(/\.$/, "")}${where}. Nothing was changed.`;
}

/**
 * The one wrapper every server action goes through, in this order: session (an ended session is
 * an answer, not a redirect) → zod parse (a malformed payload never reaches the database) →
 * permission → the domain call → revalidate. Next's redirect/notFound errors are re-thrown;
 * every other error is logged and answered with one calm message: no action ends in a 500.
 */
export async function runAction<S extends z.ZodType, R extends { ok: boolean }>(
  spec: ActionSpec<S, R>,
  raw: unknown,
): Promise<R | Failure> {
  let requestId: string | undefined;
  try {
    const state = await sessionState();
    if (state.kind !== "signed-in") return { ok: false, error: SESSION_ENDED };
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
    const input = parsed.data as z.output<S>;
    const needed = spec.permission(input);
    const allowed = (typeof needed === "string" ? [needed] : needed).some((p) =>
      can(state.actor.role, p),
    );
    if (!allowed) return { ok: false, error: spec.denied(input) };
    const info = requestInfo(await headers());
    requestId = info.requestId;
    const result = await spec.run(
      {
        actor: state.actor,
        db: await getDb(),
        ...info,
        seatLimit: settings().seats,
        now: new Date(),
      },
      input,
    );
    if (result.ok) for (const path of spec.revalidate ?? []) revalidatePath(path, "layout");
    return result;
  } catch (error) {
    unstable_rethrow(error);
    console.error(`[action ${spec.name}] request ${requestId ?? "-"} failed:`, error);
    return { ok: false, error: SERVER_ERROR };
  }
}
