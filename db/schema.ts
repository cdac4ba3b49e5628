import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// Relative, not "@/": drizzle-kit loads this file without the tsconfig paths.
import { type RecordKind, USER_ROLES } from "../model/roles";
import { scimStatusesCondition, tabColumnExpression, USER_STATUSES } from "../model/statuses";
import { writtenColumns } from "../model/verbs/index";
import { eligibleOwnerSql } from "./eligible-owner";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export { RECORD_KINDS, type RecordKind, USER_ROLES, type UserRole } from "../model/roles";
export { USER_STATUSES, type UserStatus } from "../model/statuses";

export const userStatus = pgEnum("user_status", USER_STATUSES);
export const userRole = pgEnum("user_role", USER_ROLES);

/** The columns verbs write with a status (model/verbs/, `writes`), typed by their option's kind. */
function writtenUserColumns() {
  return Object.fromEntries(
    writtenColumns().map(({ column, kind }) => [
      column,
      kind === "datetime"
        ? timestamp(column, { withTimezone: true })
        : kind === "date"
          ? date(column, { mode: "string" })
          : userRole(column),
    ]),
  );
}

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    role: userRole("role").notNull().default("member"),
    status: userStatus("status").notNull().default("invited"),
    previousStatus: userStatus("previous_status"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    statusChangedBy: uuid("status_changed_by"),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    passwordHash: text("password_hash"),
    sessionVersion: integer("session_version").notNull().default(0),
    /** The identity provider's id for the user (SCIM `externalId`), unique where set. */
    externalId: text("external_id"),
    /** When the dormant-user policy last warned them (lib/policies/dormant.ts). */
    dormantWarnedAt: timestamp("dormant_warned_at", { withTimezone: true }),
    /**
     * The tab that lists the user (TAB_CODES, model/statuses.ts): what every list index starts
     * with. Its expression comes from the status registry; model-sync.test.ts checks the live one.
     */
    tab: smallint("tab").notNull().generatedAlwaysAs(sql.raw(tabColumnExpression())),
    ...writtenUserColumns(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    // (tab, sort column, id), plain ascending: read backwards for the descending order. Written
    // by hand in migration 0007 (Drizzle's .desc() would say DESC NULLS LAST).
    index("users_tab_name_idx").on(t.tab, t.name, t.id),
    index("users_tab_email_idx").on(t.tab, t.email, t.id),
    index("users_tab_role_idx").on(t.tab, t.role, t.id),
    // A role filter in the default order, by name: one index range (migration 0017).
    index("users_tab_role_name_idx").on(t.tab, t.role, t.name, t.id),
    index("users_tab_last_sign_in_idx").on(t.tab, t.lastSignInAt, t.id),
    index("users_tab_created_idx").on(t.tab, t.createdAt, t.id),
    index("users_tab_status_changed_idx").on(t.tab, t.statusChangedAt, t.id),
    index("users_search_trgm_idx").using(
      "gin",
      sql`(${t.name} || E'\\n' || ${t.email}) gin_trgm_ops`,
    ),
    uniqueIndex("users_external_id_idx").on(t.externalId).where(sql`${t.externalId} is not null`),
    // "Access ending in the next 30 days" and the expiry job's lookup: the few with a date
    // (migration 0026; the column is a verb's write, so it is named here rather than typed).
    index("users_access_ends_idx")
      .on(sql`"access_ends_at"`)
      .where(sql`"access_ends_at" is not null`),
    // SCIM's pages in id order (lib/scim/users.ts): a deep startIndex counts off this index
    // alone (migration 0029).
    index("users_scim_id_idx").on(t.id).where(sql.raw(scimStatusesCondition())),
    index("users_admins_name_idx").on(t.name, t.id).where(eligibleOwnerSql(t.status, t.role)),
    check("users_email_not_blank", sql`length(trim(${t.email})) > 0`),
  ],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("projects_owner_idx").on(t.ownerId)],
);

export const automations = pgTable(
  "automations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("automations_owner_idx").on(t.ownerId)],
);

/** Personal notes about a user: personal data, erased with the user. */
export const userNotes = pgTable(
  "user_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("user_notes_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** sha256 of the token; the token itself is only ever in the email. Collation "C" (0032). */
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_idx").on(t.tokenHash),
    index("invitations_user_idx").on(t.userId),
  ],
);

/** Password reset links (lib/users/password-resets.ts): kept like invitations, by token hash. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /** Who sent it: an admin's id, or null when the person asked on "Forgot password?". */
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("password_resets_token_hash_idx").on(t.tokenHash),
    index("password_resets_user_idx").on(t.userId),
  ],
);

/** What a person asking for access wrote (/request-access); digested once into an admins' email. */
export const accessRequests = pgTable(
  "access_requests",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    digestedAt: timestamp("digested_at", { withTimezone: true }),
  },
  (t) => [
    index("access_requests_undigested_idx").on(t.createdAt).where(sql`${t.digestedAt} is null`),
  ],
);

/**
 * One row per scheduled policy run and period (lib/policies/scheduler.ts), inserted with its
 * job: the key lets one app instance in per period, however many tick at once.
 */
export const policyRuns = pgTable(
  "policy_runs",
  {
    policy: text("policy").notNull(),
    period: text("period").notNull(),
    jobId: uuid("job_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "policy_runs_pkey", columns: [t.policy, t.period] })],
);

/**
 * Four-eyes delete (lib/users/deletion-requests.ts): a person's Delete permanently, while the
 * workspace requires a second admin, waits here for another admin or the owner to approve or
 * decline it; pending ones expire after DELETION_REQUEST_DAYS.
 */
export const DELETION_REQUEST_STATUSES = ["pending", "approved", "declined", "expired"] as const;
export const deletionRequests = pgTable(
  "deletion_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    newOwnerId: uuid("new_owner_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason"),
    targetCount: integer("target_count").notNull(),
    status: text("status", { enum: DELETION_REQUEST_STATUSES }).notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    check(
      "deletion_requests_status_check",
      sql`${t.status} in ('pending', 'approved', 'declined', 'expired')`,
    ),
    index("deletion_requests_pending_idx").on(t.expiresAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** The exact users a deletion request deletes once approved. */
export const deletionRequestTargets = pgTable(
  "deletion_request_targets",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => deletionRequests.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ name: "deletion_request_targets_pk", columns: [t.requestId, t.userId] }),
    index("deletion_request_targets_user_idx").on(t.userId),
  ],
);

/**
 * Bearer tokens of identity providers for SCIM (/scim/v2, lib/scim/tokens.ts): only the sha256 of
 * the token is kept; revoked tokens stay listed.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Recorded at most once a minute. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("scim_tokens_token_hash_idx").on(t.tokenHash),
    check("scim_tokens_name_not_blank", sql`length(trim(${t.name})) > 0`),
  ],
);

/**
 * Import CSV (lib/users/csv-import.ts): a file read at its preview, for one admin, deleted once
 * applied or an hour old. Its rows are what the preview showed; the apply creates those alone.
 */
export const csvImports = pgTable(
  "csv_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    rows: integer("rows").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
  },
  (t) => [index("csv_imports_created_idx").on(t.createdAt)],
);

/** One line of data of an import, as read, and what the plan makes of it. */
export const csvImportRows = pgTable(
  "csv_import_rows",
  {
    importId: uuid("import_id").notNull(),
    line: integer("line").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    status: text("status").notNull(),
    /** What is wrong with the row on its own: [{ column, problem, fix }]. */
    problems: jsonb("problems"),
    /** "create", "skip" (already a user) or "error". */
    outcome: text("outcome").notNull().default("error"),
    reason: jsonb("reason"),
    userId: uuid("user_id"),
  },
  (t) => [primaryKey({ name: "csv_import_rows_pk", columns: [t.importId, t.line] })],
);

/** Emails to send, written in the same transaction as the change that causes them. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** An invitation's token, sealed (lib/mail/sealed-link.ts); null once the email is sent. */
    sealedToken: text("sealed_token"),
    kind: text("kind").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [
    index("outbox_unsent_idx").on(t.nextAttemptAt).where(sql`${t.sentAt} is null`),
    index("outbox_user_idx").on(t.userId),
  ],
);

/**
 * Reasons typed by admins, kept apart from the chained events so that erasure can redact them
 * (text and key set to null) without breaking the chain. Written by the audit trigger.
 */
export const auditReasons = pgTable("audit_reasons", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  text: text("text"),
  key: bytea("key"),
  redactedAt: timestamp("redacted_at", { withTimezone: true }),
});

/**
 * Append-only history. It keeps ids, never names or emails, so erasing a user leaves it intact.
 * Triggers (migrations 0002, 0008) refuse UPDATE, DELETE and TRUNCATE, and chain every event to
 * the one before by a hash computed in the database; `reason` is moved to `audit_reasons` on
 * insert (always null once stored). The app's role may only INSERT and SELECT.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    targetId: uuid("target_id"),
    fromStatus: userStatus("from_status"),
    toStatus: userStatus("to_status"),
    /** e.g. { "newOwnerId": "…", "project": 3, "automation": 1 } */
    recordsMoved: jsonb("records_moved").$type<RecordsMoved | null>(),
    /** Write-only: the trigger moves it to audit_reasons and stores null here. */
    reason: text("reason"),
    requestId: text("request_id"),
    reasonId: bigint("reason_id", { mode: "number" }).references(() => auditReasons.id),
    reasonDigest: bytea("reason_digest"),
    /** Set by the trigger: position in the chain, and sha256(previous hash ‖ this row). */
    chainSeq: bigint("chain_seq", { mode: "number" }),
    hash: bytea("hash"),
    /** Set when the change was applied by a background job: every event of one job shares it. */
    jobId: uuid("job_id"),
  },
  (t) => [
    uniqueIndex("audit_chain_seq_idx").on(t.chainSeq),
    index("audit_reason_idx").on(t.reasonId),
    index("audit_job_idx").on(t.jobId).where(sql`${t.jobId} is not null`),
    index("audit_target_at_idx").on(t.targetId, t.at, t.id),
    index("audit_actor_at_idx").on(t.actorId, t.at, t.id),
    // Both also INCLUDE (actor_id, target_id), which Drizzle cannot say (migration 0017): a
    // broad people filter reads the index alone.
    index("audit_at_idx").on(t.at, t.id),
    index("audit_action_at_idx").on(t.action, t.at, t.id),
  ],
);

/**
 * One row per signed-in browser: the session cookie names its id, and a session is valid only
 * while its row exists (sign-out deletes it; "end sessions" deletes them all).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed sign-in and invitation attempts per account and per address (lib/throttle.ts). */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
  /** Whether the last attempt was turned away unevaluated (read back by the upsert). */
  refused: boolean("refused").notNull().default(false),
});

/** The head of the audit hash chain (one row, written only by the audit trigger). */
export const auditChainHead = pgTable("audit_chain_head", {
  id: integer("id").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: bytea("hash").notNull(),
});

/**
 * Which records an action moved from whom to whom, so that its Undo can give them back. Written
 * by the action in one INSERT … SELECT with the move; ids only, gone with either user.
 */
export const recordTransfers = pgTable(
  "record_transfers",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** One per applied action: what an Undo names. */
    changeId: uuid("change_id").notNull(),
    action: text("action").notNull(),
    kind: text("kind").$type<RecordKind>().notNull(),
    recordId: uuid("record_id").notNull(),
    fromOwnerId: uuid("from_owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toOwnerId: uuid("to_owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    undoneAt: timestamp("undone_at", { withTimezone: true }),
  },
  (t) => [
    index("record_transfers_change_idx").on(t.changeId, t.fromOwnerId),
    index("record_transfers_from_owner_idx").on(t.fromOwnerId),
    index("record_transfers_to_owner_idx").on(t.toOwnerId),
  ],
);

/**
 * Users per status as signed deltas: sum(n) by status is count(*) by status. Kept by statement
 * triggers on users (migration 0007) in the transaction of every change; compacted as it grows.
 */
export const userStatusCounts = pgTable("user_status_counts", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  status: userStatus("status").notNull(),
  n: bigint("n", { mode: "number" }).notNull(),
});

/**
 * Records per owner, one column per kind, with the owner's status and role: only owners of at
 * least one record have a row. Kept equal to count(*) by statement triggers on the record tables
 * and on users (migration 0009) in the transaction of every change; the preview of a transfer
 * totals what moves from here.
 */
export const ownerRecordCounts = pgTable("owner_record_counts", {
  ownerId: uuid("owner_id").primaryKey(),
  status: userStatus("status"),
  role: userRole("role"),
  project: integer("project").notNull().default(0),
  automation: integer("automation").notNull().default(0),
});

export const JOB_STATUSES = ["queued", "running", "done", "cancelled", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Long work, applied in batches by the job runner (lib/jobs). `cursor` is the last item applied:
 * it moves in the same transaction as the batch, so a batch is applied once or not at all.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    actorId: uuid("actor_id"),
    params: jsonb("params").notNull(),
    total: integer("total").notNull().default(0),
    cursor: integer("cursor").notNull().default(0),
    done: integer("done").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    skippedByReason: jsonb("skipped_by_reason")
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    error: text("error"),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** The runner leaves the job alone until then (a change that ends by itself at a time). */
    notBefore: timestamp("not_before", { withTimezone: true }),
    runner: text("runner"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** When its starter closed its result card on /users (it stays on /jobs). */
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_created_idx").on(t.createdAt, t.id),
    index("jobs_open_idx").on(t.createdAt).where(sql`${t.status} in ('queued', 'running')`),
    check(
      "jobs_status_check",
      sql`${t.status} in ('queued', 'running', 'done', 'cancelled', 'failed')`,
    ),
  ],
);

/** A job's frozen selection: the users, in id order (the lock order), and the status each was seen in. */
export const jobItems = pgTable(
  "job_items",
  {
    /** No foreign key (migration 0011): checking it cost one lookup per item at confirm. */
    jobId: uuid("job_id").notNull(),
    seq: integer("seq").notNull(),
    userId: uuid("user_id").notNull(),
    seenStatus: userStatus("seen_status").notNull(),
  },
  (t) => [primaryKey({ name: "job_items_pk", columns: [t.jobId, t.seq] })],
);

/** Small key/value facts about the workspace (demo data loaded, …). */
export const workspaceMeta = pgTable("workspace_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type RecordsMoved = { newOwnerId: string } & Partial<Record<RecordKind, number>>;

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Project = typeof projects.$inferSelect;
export type Automation = typeof automations.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type OutboxEmail = typeof outbox.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Job = typeof jobs.$inferSelect;
