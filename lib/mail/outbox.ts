import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { errorFields, log } from "@/lib/ops/log";
import { workspaceSettings } from "@/lib/workspace-settings";
import { renderBody } from "./sealed-link";

type MailMessage = { to: string; subject: string; text: string; from?: string };

/** What the sender needs from nodemailer: a Transporter fits, and so does a test double. */
export type MailTransport = { sendMail(message: MailMessage): Promise<unknown> };

const DELIVERY_BATCH_SIZE = 20;
/**
 * A claimed email is not picked again for this long: long enough for any send to finish or time
 * out (see the SMTP timeouts below). If the sender dies mid-send, the email is retried after it.
 */
const CLAIM_LEASE_MS = 10 * 60_000;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;

/** How long to wait after the n-th failed attempt: 1 min, 2, 4, … capped at 6 hours. Forever. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

type Claimed = {
  id: number;
  to_email: string;
  subject: string;
  body: string;
  sealed_token: string | null;
  attempts: number;
};

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 1000) || "Unknown error";
}

/** Why an email was never sent: its user was archived before it went out. */
export const ARCHIVED_BEFORE_SENT = "Not sent: the user was archived before it went out.";

/**
 * Sends the emails that are due, oldest first, and records each outcome. Never deletes an email:
 * a failure stays in the outbox with its error and a later `next_attempt_at` (exponential
 * backoff). Several senders may run at once: each claims its rows with FOR UPDATE SKIP LOCKED.
 * Delivery is at-least-once: only a crash between sending and recording can send twice.
 */
export async function deliverDueEmails(
  db: Db,
  transport: MailTransport,
  now: Date = new Date(),
  options: { batchSize?: number; from?: string; authSecret?: string } = {},
): Promise<{ sent: number; failed: number }> {
  const at = now.toISOString();
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS).toISOString();
  // Archived users never receive anything after the notice of their archiving (seed 004): an
  // email queued before, and still unsent, is set aside for good, with why (a restore doesn't
  // revive it: it would be stale by then). A deleted user's emails went with their row.
  await db.execute(
    sql`update outbox o set next_attempt_at = 'infinity', last_error = ${ARCHIVED_BEFORE_SENT}
        from users u
        where u.id = o.user_id and u.status = 'archived' and o.kind <> 'archived'
          and o.sent_at is null and o.next_attempt_at <= ${at}::timestamptz`,
  );
  // Claim in one short statement; sending happens outside any transaction, so the database
  // (PGlite has one connection) is never held while an SMTP server answers.
  const claimed = await queryRows<Claimed>(
    db,
    sql`update outbox set attempts = attempts + 1, next_attempt_at = ${leaseUntil}::timestamptz
        where id in (
          select id from outbox
          where sent_at is null and next_attempt_at <= ${at}::timestamptz
          order by next_attempt_at, id
          limit ${options.batchSize ?? DELIVERY_BATCH_SIZE}
          for update skip locked)
        returning id, to_email, subject, body, sealed_token, attempts`,
  );
  claimed.sort((a, b) => a.id - b.id);
  let sent = 0;
  let failed = 0;
  for (const email of claimed) {
    try {
      await transport.sendMail({
        ...(options.from ? { from: options.from } : {}),
        to: email.to_email,
        subject: email.subject,
        text: renderBody(email.body, email.sealed_token, options.authSecret ?? null),
      });
    } catch (error) {
      failed++;
      const retryAt = new Date(now.getTime() + retryDelayMs(email.attempts)).toISOString();
      await db.execute(
        sql`update outbox set last_error = ${errorText(error)}, next_attempt_at = ${retryAt}::timestamptz
            where id = ${email.id} and sent_at is null`,
      );
      continue;
    }
    sent++;
    await db.execute(
      sql`update outbox set sent_at = ${at}::timestamptz, last_error = null, sealed_token = null
          where id = ${email.id}`,
    );
  }
  return { sent, failed };
}

/** The sender address: the SMTP user when it is an address, else no-reply at the SMTP host. */
export function senderAddress(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const user = decodeURIComponent(url.username);
  return `Roster <${user.includes("@") ? user : `no-reply@${url.hostname}`}>`;
}

/** The From of the next emails: the one saved on /settings (or ROSTER_MAIL_FROM), else derived. */
export async function currentSender(db: Db, smtpUrl: string): Promise<string> {
  return (await workspaceSettings(db)).mailFrom ?? senderAddress(smtpUrl);
}

const POLL_MS = 5_000;
const globalForSender = globalThis as unknown as { rosterMailSender?: Promise<() => void> };

type SenderOptions = {
  smtpUrl: string;
  getDb: () => Promise<Db>;
  /** Opens the sealed invitation tokens. */
  authSecret: string;
  pollMs?: number;
};

/**
 * Polls the outbox and sends through SMTP until stopped. Started once per process (a second
 * call gets the running sender's stop function).
 */
export function startMailSender(options: SenderOptions): Promise<() => void> {
  globalForSender.rosterMailSender ??= runMailSender(options);
  return globalForSender.rosterMailSender;
}

async function runMailSender(options: SenderOptions): Promise<() => void> {
  const nodemailer = await import("nodemailer");
  const derived = senderAddress(options.smtpUrl);
  const transport = nodemailer.createTransport(
    {
      url: options.smtpUrl,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    },
    { from: derived },
  );
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = "";
  const tick = async () => {
    let again = false;
    try {
      const db = await options.getDb();
      // The sender address saved on /settings (or ROSTER_MAIL_FROM), read each round.
      const from = await currentSender(db, options.smtpUrl);
      const { sent, failed } = await deliverDueEmails(db, transport, new Date(), {
        from,
        authSecret: options.authSecret,
      });
      again = sent + failed >= DELIVERY_BATCH_SIZE;
      lastError = "";
    } catch (error) {
      // Log each new problem once, not every poll.
      const text = errorText(error);
      // Not the text: an SMTP server's answer may quote the recipient's address.
      if (text !== lastError)
        log().error({ msg: "mail sender failed", ...errorFields(error, false) });
      lastError = text;
    }
    if (!stopped) {
      timer = setTimeout(tick, again ? 0 : (options.pollMs ?? POLL_MS));
      timer.unref();
    }
  };
  timer = setTimeout(tick, 0);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    transport.close();
    globalForSender.rosterMailSender = undefined;
  };
}
