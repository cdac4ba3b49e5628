import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const USER_STATUSES = [
  "pending",
  "invited",
  "active",
  "inactive",
  "archived",
  "rejected",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Highest rank first: owner > admin > manager > support > member. */
export const USER_ROLES = ["owner", "admin", "manager", "support", "member"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const RECORD_KINDS = ["project", "automation"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const userStatus = pgEnum("user_status", USER_STATUSES);
export const userRole = pgEnum("user_role", USER_ROLES);

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
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    // Plain ascending indexes: Postgres reads them backwards for ORDER BY ... DESC.
    index("users_status_name_idx").on(t.status, t.name, t.id),
    index("users_status_email_idx").on(t.status, t.email),
    index("users_status_created_idx").on(t.status, t.createdAt, t.id),
    index("users_status_last_sign_in_idx").on(t.status, t.lastSignInAt, t.id),
    index("users_status_role_idx").on(t.status, t.role),
    // The Active tab spans two statuses, so the (status, …) indexes can't hand it rows in order:
    // these serve its sorts (figures in bench/RESULTS.md).
    index("users_name_id_idx").on(t.name, t.id),
    index("users_email_id_idx").on(t.email, t.id),
    index("users_created_id_idx").on(t.createdAt, t.id),
    index("users_last_sign_in_id_idx").on(t.lastSignInAt, t.id),
    index("users_last_sign_in_desc_idx").on(t.lastSignInAt.desc().nullsLast(), t.id.desc()),
    index("users_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    index("users_email_trgm_idx").using("gin", sql`${t.email} gin_trgm_ops`),
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
    /** sha256 of the token; the token itself is only ever in the email. */
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

/** Emails to send, written in the same transaction as the change that causes them. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
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
 * Append-only history. It keeps ids, never names or emails, so erasing a user leaves it intact.
 * A trigger (migration 0002) refuses UPDATE and DELETE.
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
    reason: text("reason"),
    requestId: text("request_id"),
    /** Set when the change was applied by a background job: every event of one job shares it. */
    jobId: uuid("job_id"),
  },
  (t) => [
    index("audit_job_idx").on(t.jobId).where(sql`${t.jobId} is not null`),
    index("audit_target_at_idx").on(t.targetId, t.at),
    index("audit_actor_at_idx").on(t.actorId, t.at),
    index("audit_at_idx").on(t.at),
    index("audit_action_at_idx").on(t.action, t.at),
  ],
);

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
    runner: text("runner"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
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
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
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
