import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { getDb } from "@/lib/db";
import { can, type Permission } from "@/model/permissions";
import { isNewUserVerb, VERB_NAMES } from "@/model/verbs";
import { settings } from "./env";
import { currentRequest, errorFields, log } from "./ops/log";
import { metrics } from "./ops/metrics";
import { requestIdFrom } from "./request-id";
import { type Actor, sessionState } from "./session";
import { seatLimit } from "./workspace-settings";

export const SESSION_ENDED = "Your session has ended. Sign in again.";
export const SERVER_ERROR = "Something went wrong on our side; nothing was changed. Try again.";

export type Failure = { ok: false; error: string };

/** What every action's domain call gets: who, on which database, with which request. */
type ServerActionContext = {
  actor: Actor;
  db: Db;
  requestId: string;
  /** The configured public origin (ROSTER_URL), for links in emails; never a request header. */
  baseUrl: string;
  seatLimit: number;
  now: Date;
};

export type ServerActionSpec<S extends z.ZodType, R> = {
  /** For logs. */
  name: string;
  schema: S;
  /** The permission the actor needs (any one of a list), given the parsed input. */
  permission: (input: z.output<S>) => Permission | readonly Permission[];
  /** The error to return when the permission is missing. */
  denied: (input: z.output<S>) => string;
  run: (ctx: ServerActionContext, input: z.output<S>) => Promise<R | Failure>;
  /** Paths to revalidate after a successful run. */
  revalidate?: readonly string[];
};

function requestInfo(h: Headers): { requestId: string; baseUrl: string } {
  const requestId = requestIdFrom(h);
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
export async function runServerAction<S extends z.ZodType, R extends { ok: boolean }>(
  spec: ServerActionSpec<S, R>,
  raw: unknown,
): Promise<R | Failure> {
  const started = performance.now();
  const result = await runChecked(spec, raw);
  observeAction(spec.name, verbOf(raw), result, started);
  return result;
}

/** The lifecycle verb an action's input names, when it names one (a bounded label). */
function verbOf(raw: unknown): string {
  const action = (raw as { action?: unknown } | null)?.action;
  return typeof action === "string" &&
    ((VERB_NAMES as readonly string[]).includes(action) || isNewUserVerb(action))
    ? action
    : "-";
}

/** One log line and one count per action: its name and outcome, never its input. */
function observeAction(
  name: string,
  verb: string,
  result: { ok: boolean; error?: unknown },
  started: number,
) {
  const outcome = result.ok
    ? "ok"
    : result.error === SESSION_ENDED
      ? "session-ended"
      : result.error === SERVER_ERROR
        ? "error"
        : "refused";
  metrics().actions.inc({ action: name, verb, outcome });
  const ctx = currentRequest();
  log().info({
    msg: "action",
    requestId: ctx?.requestId,
    actorId: ctx?.actorId,
    action: name,
    ...(verb === "-" ? {} : { verb }),
    outcome,
    durationMs: Math.round(performance.now() - started),
  });
}

async function runChecked<S extends z.ZodType, R extends { ok: boolean }>(
  spec: ServerActionSpec<S, R>,
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
    // The id this request's log line carries (lib/ops/http.ts), so that its audit events do too.
    requestId = currentRequest()?.requestId ?? info.requestId;
    const db = await getDb();
    const result = await spec.run(
      {
        actor: state.actor,
        db,
        ...info,
        requestId,
        seatLimit: await seatLimit(db),
        now: new Date(),
      },
      input,
    );
    if (result.ok) for (const path of spec.revalidate ?? []) revalidatePath(path, "layout");
    return result;
  } catch (error) {
    unstable_rethrow(error);
    log().error({ msg: "action failed", action: spec.name, requestId, ...errorFields(error) });
    return { ok: false, error: SERVER_ERROR };
  }
}
