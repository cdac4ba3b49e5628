import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";

/**
 * The server's structured log: one JSON object a line on stdout (and, with ROSTER_LOG_FILE, a
 * copy in that file). What goes in: ids (request, actor, job), routes and action names, outcomes,
 * durations and error codes. What never does: emails, names, tokens, passwords, reasons typed by
 * admins, query strings (a search holds names), error details (PostgreSQL's DETAIL quotes values).
 */
export type RequestContext = { requestId: string; actorId?: string };

type LogGlobals = { rosterLog?: Logger; rosterRequestContext?: AsyncLocalStorage<RequestContext> };
const g = globalThis as unknown as LogGlobals;

/** The request being served (set by lib/ops/http.ts around Next's request handler). */
export function requestContext(): AsyncLocalStorage<RequestContext> {
  g.rosterRequestContext ??= new AsyncLocalStorage<RequestContext>();
  return g.rosterRequestContext;
}

export function currentRequest(): RequestContext | undefined {
  return requestContext().getStore();
}

/** The signed-in actor of the request being served (lib/session.ts), for its log line. */
export function noteActor(actorId: string): void {
  const ctx = currentRequest();
  if (ctx) ctx.actorId = actorId;
}

function create(file: string | undefined): Logger {
  const options = {
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (!file) return pino(options, pino.destination({ dest: 1, sync: true }));
  return pino(
    options,
    pino.multistream([
      { stream: pino.destination({ dest: 1, sync: true }) },
      { stream: pino.destination({ dest: file, sync: true, mkdir: true, append: true }) },
    ]),
  );
}

/** Opens the log once per process (lib/start.ts); before that, stdout only. */
export function openLog(file: string | undefined): Logger {
  g.rosterLog = create(file);
  return g.rosterLog;
}

export function log(): Logger {
  g.rosterLog ??= create(undefined);
  return g.rosterLog;
}

/**
 * What of an error may be logged: its class, its message (PostgreSQL's messages name
 * constraints, never values) and its code. Never `detail`, `where` or a query's parameters.
 */
export function errorFields(
  error: unknown,
  withMessage = true,
): { error: { type: string; message?: string; code?: string } } {
  if (!(error instanceof Error)) return { error: { type: typeof error } };
  // Drizzle's "Failed query: <sql> params: <values>" quotes the values: keep only its cause's code.
  if (error.message.startsWith("Failed query")) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const causeCode = typeof cause?.code === "string" ? cause.code : undefined;
    return {
      error: {
        type: error.name,
        message: "Failed query",
        ...(causeCode ? { code: causeCode } : {}),
      },
    };
  }
  const code = (error as { code?: unknown }).code;
  // PostgreSQL's messages may quote a value ('invalid input syntax for type uuid: "…"'): its
  // SQLSTATE says enough. Other messages keep their text, with anything like an email masked.
  const sqlState = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
  const message =
    withMessage && !sqlState
      ? error.message.slice(0, 500).replace(/[^\s"'<>@]+@[^\s"'<>@]+/g, "[email]")
      : undefined;
  return {
    error: {
      type: error.name,
      ...(message !== undefined ? { message } : {}),
      ...(typeof code === "string" ? { code } : {}),
    },
  };
}
