import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import {
  automations,
  type NewUser,
  projects,
  type User,
  type UserRole,
  type UserStatus,
  users,
} from "@/db/schema";
import { applyLifecycleAction } from "@/lib/lifecycle/apply";
import type { Person } from "@/model/permissions";
import { definition, type VerbOptions } from "@/model/verbs";
import { optionFields } from "@/model/verbs/fields";
import type { Verb } from "../lifecycle";
import type { ApplyArgs } from "../transitions";
import type { ParsedVerbInput, Selection } from "../verb-types";
import { lifecycleInputSchema } from "../verbs/input";

let counter = 0;

/** Inserts users with unique names and emails (tests share one database per file). */
export async function addUsers(
  db: Executor,
  specs: Partial<Pick<NewUser, "name" | "email" | "role" | "status" | "previousStatus">>[],
): Promise<User[]> {
  if (specs.length === 0) return [];
  const tag = randomBytes(3).toString("hex");
  const rows = specs.map((s) => {
    counter++;
    return {
      name: s.name ?? `Fixture ${tag} ${counter}`,
      email: s.email ?? `fixture.${tag}.${counter}@example.test`,
      role: s.role ?? ("member" as UserRole),
      status: s.status ?? ("active" as UserStatus),
      previousStatus: s.previousStatus ?? null,
    };
  });
  return db.insert(users).values(rows).returning();
}

/** The usual cast of a lifecycle test: the workspace owner and two admins, in that order. */
export async function addOwnerAndAdmins(db: Executor): Promise<[User, User, User]> {
  return (await addUsers(db, [{ role: "owner" }, { role: "admin" }, { role: "admin" }])) as [
    User,
    User,
    User,
  ];
}

export async function addUser(
  db: Executor,
  spec: Parameters<typeof addUsers>[1][number] = {},
): Promise<User> {
  const [user] = await addUsers(db, [spec]);
  if (!user) throw new Error("addUser: nothing inserted");
  return user;
}

export async function addRecords(
  db: Executor,
  ownerId: string,
  counts: { project?: number; automation?: number },
): Promise<void> {
  const p = Array.from({ length: counts.project ?? 0 }, (_, i) => ({ name: `P${i}`, ownerId }));
  const a = Array.from({ length: counts.automation ?? 0 }, (_, i) => ({ name: `A${i}`, ownerId }));
  if (p.length) await db.insert(projects).values(p);
  if (a.length) await db.insert(automations).values(a);
}

export function asActor(user: Pick<User, "id" | "role">): Person {
  return { id: user.id, role: user.role };
}

/** An explicit selection of these users, each expected in the status it has now. */
export function selectionOf(targets: Pick<User, "id" | "status">[]): Selection {
  return {
    kind: "ids",
    targets: targets.map((t) => ({ id: t.id, expectedStatus: t.status })),
  };
}

/** Everyone on Active whose name holds `tag`, as a "Select all matching" of a search for it. */
export function searchSelection(tag: string) {
  const filter = {
    tab: "active" as const,
    q: tag,
    roles: [] as never[],
    neverSignedIn: false,
    lastSignInBefore: null,
    accessEnding: false,
  };
  return { kind: "filter" as const, filter, excludeIds: [] as string[] };
}

export type RunOptions = Partial<Omit<ApplyArgs, "actor" | "action" | "input">>;

/** A test's input to an action: what the server action takes, less the action, options optional. */
export type ActionInput = {
  selection: Selection;
  options?: VerbOptions;
  reason?: string;
  newOwnerId?: string;
  onConflict?: "skip" | "abort";
  undoOf?: string;
};

/** A time that "a time in the future" accepts in any test: a day from now, to the minute. */
export function aDayFromNow(now = new Date()): string {
  const at = new Date(now.getTime() + 86_400_000);
  at.setUTCSeconds(0, 0);
  return at.toISOString();
}

/**
 * Options an admin who completed the dialog sends: typed confirmations typed, boxes unchecked,
 * required dates and times given (a day from now), a required role Support.
 */
export function filledOptions(action: Verb): VerbOptions {
  return Object.fromEntries(
    optionFields(definition(action)).flatMap((f) => {
      if (f.kind === "typed") return [[f.key, f.word]];
      if (f.kind === "datetime" && f.required) return [[f.key, aDayFromNow()]];
      if (f.kind === "date" && f.required) return [[f.key, aDayFromNow().slice(0, 10)]];
      // Below an admin's (who may give roles), and not the members most fixtures are.
      if (f.kind === "role" && f.required) return [[f.key, "support"]];
      return [];
    }),
  );
}

/** Parses the input like the server action does (less the preview's token), for the pipeline. */
export function parseInput(action: Verb, input: ActionInput): ParsedVerbInput {
  const {
    action: _,
    token: __,
    ...parsed
  } = lifecycleInputSchema.parse({
    action,
    options: {},
    ...input,
  });
  return parsed as ParsedVerbInput;
}

/** Parses the input like the action layer does, then applies it. */
export function run(
  db: Executor,
  actor: Person,
  action: Verb,
  input: ActionInput,
  options: RunOptions = {},
) {
  return applyLifecycleAction(db, {
    ...options,
    actor,
    action,
    input: parseInput(action, input),
    seatLimit: options.seatLimit ?? 1_000_000,
    requestId: options.requestId ?? "test-request",
    baseUrl: options.baseUrl ?? "http://roster.test",
  });
}

/** Everything an action may touch, to prove that a refused or failed one changed nothing. */
export async function snapshot(db: Executor) {
  const [state] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select coalesce(jsonb_agg(to_jsonb(u) order by u.id), '[]') from users u) as users,
      (select coalesce(jsonb_agg(jsonb_build_array(p.id, p.owner_id) order by p.id), '[]') from projects p) as projects,
      (select coalesce(jsonb_agg(jsonb_build_array(a.id, a.owner_id) order by a.id), '[]') from automations a) as automations,
      (select count(*)::int from audit_events) as audit,
      (select coalesce(jsonb_agg(to_jsonb(i) order by i.id), '[]') from invitations i) as invitations,
      (select count(*)::int from outbox) as outbox,
      (select count(*)::int from user_notes) as notes,
      (select coalesce(jsonb_agg(jsonb_build_array(r.record_id, r.from_owner_id, r.to_owner_id, r.undone_at) order by r.id), '[]') from record_transfers r) as transfers`,
  );
  return state;
}

export type AuditRow = {
  actor_id: string | null;
  action: string;
  target_id: string | null;
  from_status: UserStatus | null;
  to_status: UserStatus | null;
  records_moved: Record<string, unknown> | null;
  reason: string | null;
  request_id: string | null;
};

export async function auditFor(db: Executor, targetIds: string[]): Promise<AuditRow[]> {
  if (targetIds.length === 0) return [];
  return queryRows<AuditRow>(
    db,
    sql`select e.actor_id, e.action, e.target_id, e.from_status, e.to_status, e.records_moved,
          r.text as reason, e.request_id
        from audit_events e left join audit_reasons r on r.id = e.reason_id
        where e.action <> 'redact-reason' and e.target_id in (${sql.join(
          targetIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) order by e.id`,
  );
}

export async function usersById(db: Executor, ids: string[]): Promise<Map<string, User>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(users)
    .where(
      sql`${users.id} in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  return new Map(rows.map((r) => [r.id, r]));
}
