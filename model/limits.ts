/**
 * Limits shared by the server and the browser.
 * No imports: model/ is the bottom layer, read by db/, lib/ and client code alike.
 */

/** The most users a selection may name one by one; beyond it, "Select all matching". */
export const MAX_EXPLICIT_TARGETS = 1000;

/** Length limits of a password someone chooses. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

/** The longest reason an action keeps in the audit log; longer is refused, never cut. */
export const REASON_MAX_LENGTH = 500;

/**
 * The workspace's list of reasons (/settings, "Reasons"): how many, and how long each. The
 * confirmations offer them as choices; a choice is kept as the reason's text (free text may follow).
 */
export const REASON_LIST_LIMITS = { entries: 20, length: 80 } as const;

/** The list a workspace starts with, until someone saves its own. */
export const DEFAULT_REASONS = [
  "Left the company",
  "Contract ended",
  "Duplicate account",
  "Security",
  "Other",
] as const;

/** How long after a job ends its Undo is offered: as long as its card shows on /users. */
export const JOB_UNDO_MINUTES = 10;

/** Lengths of what someone asking for access (/request-access) may type. */
export const ACCESS_REQUEST_LIMITS = { name: 200, email: 320, message: 1000 } as const;

/**
 * A paste of addresses to invite: how much text, and how many addresses in it. The text limit
 * keeps the request under the 1 MB every body is held to (proxy.ts) even when JSON doubles it
 * (a line break is written "\n").
 */
export const PASTE_LIMITS = { bytes: 480 * 1024, entries: 10_000 } as const;

/** What a paste over the limits is told (the browser checks the size before sending it). */
export const PASTE_MESSAGES = {
  empty: "Paste at least one email address.",
  tooLong: `That's too much text: paste at most ${PASTE_LIMITS.bytes / 1024} KB at a time.`,
  tooMany: (n: number) =>
    `That's ${n.toLocaleString("en-US")} addresses: paste at most ${PASTE_LIMITS.entries.toLocaleString("en-US")} at a time.`,
} as const;

/** The Archived tab warns this many days before the retention policy deletes a user. */
export const RETENTION_WARNING_DAYS = 7;
