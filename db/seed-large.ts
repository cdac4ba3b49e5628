import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, type Tx } from "./client";

/**
 * A large workspace for benchmarks and load tests, generated inside the database: every row
 * comes from `generate_series`, chunk by chunk, never one statement per row. Seeded users have
 * no password (nobody signs in as them); numbers go on from the highest one already seeded, so
 * seeding twice adds users rather than clashing on emails.
 */

const SEED_EMAIL_DOMAIN = "example.test";
export const DEFAULT_CHUNK_SIZE = 100_000;
/** The tables whose secondary indexes are dropped during the load and rebuilt after it. */
const BULK_TABLES = ["users", "projects", "automations"] as const;

const FIRST_NAMES = (
  "Aaliyah,Aaron,Abigail,Adrian,Aisha,Alejandro,Alice," +
  "Amara,Ana,Andrei,Ava,Benjamin,Camille,Carmen,Chen,Chloe,Daniel,David,Diego," +
  "Elena,Elif,Emma,Ethan,Fatima,Felix,Gabriel,Grace,Gustavo,Hana,Hannah,Hiroshi," +
  "Ines,Isaac,Isabella,Ivan,Jack,James,Javier,Julia,Kai,Karim,Laura,Leila,Liam," +
  "Lucas,Lucia,Maria,Mateo,Mei,Mia,Mohammed,Nadia,Noah,Nora,Octavia,Oliver,Olivia," +
  "Omar,Priya,Rafael,Ravi,Sara,Sofia,Thomas,Yusuf,Zara"
).split(",");
const LAST_NAMES = (
  "Abbott,Adeyemi,Alvarez,Andersen,Bauer,Becker,Bianchi,Brown,Cavanagh,Chen,Costa," +
  "Dubois,Eriksen,Fernandes,Fischer,Garcia,Gonzalez,Haddad,Hansen,Hughes,Ibrahim," +
  "Ito,Jansen,Jensen,Kaur,Khan,Kim,Kowalski,Larsen,Lee,Lopez,Martin,Moreau,Muller," +
  "Nakamura,Navarro,Nguyen,Novak,Okafor,Olsen,Patel,Petrov,Quintero,Rossi,Santos," +
  "Schmidt,Silva,Singh,Smith,Suzuki,Tanaka,Taylor,Thompson,Van Dijk,Wagner,Walker," +
  "Wang,Weber,Williams,Wilson,Yamamoto,Yilmaz,Zhang,Zielinski"
).split(",");
const PROJECT_TOPICS = (
  "Website,Mobile app,Billing,Onboarding,Data warehouse,Support portal,Brand," +
  "Pricing,Security review,Hiring,Partner program,Docs,Analytics,Checkout"
).split(",");
const PROJECT_KINDS = "relaunch,roadmap,migration,research,redesign,launch,audit,rollout".split(
  ",",
);
const AUTOMATION_NAMES = (
  "Weekly digest,Invoice reminders,Lead routing,Churn alert,Daily standup notes," +
  "Backup check,Renewal reminder,Ticket triage,Release notes,Expense sync"
).split(",");

/** A constant word list as a SQL array literal (the words are ours; quotes are escaped anyway). */
function textArray(words: readonly string[]): SQL {
  return sql.raw(`array[${words.map((w) => `'${w.replaceAll("'", "''")}'`).join(",")}]::text[]`);
}

/** A deterministic pseudo-random integer in [0, m) from the series number `n` and a salt. */
function roll(salt: number, m: number): SQL {
  return sql.raw(`abs(hashint8extended(n, ${salt}) % ${m})::int`);
}

export type IndexDefinition = { table: string; name: string; definition: string };

/** Secondary indexes of the bulk tables: those not backing a constraint (primary keys stay). */
export async function secondaryIndexes(db: Db | Tx): Promise<IndexDefinition[]> {
  return queryRows<IndexDefinition>(
    db,
    sql`select i.tablename as "table", i.indexname as name, i.indexdef as definition
        from pg_indexes i
        where i.schemaname = current_schema()
          and i.tablename in (${sql.join(
            BULK_TABLES.map((t) => sql`${t}`),
            sql`, `,
          )})
          and not exists (
            select 1 from pg_constraint c
            where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass
          )
        order by i.tablename, i.indexname`,
  );
}

export type SeedLargeEvent =
  | { kind: "start"; from: number; to: number; newOwner: boolean }
  | { kind: "indexes-dropped"; names: string[]; ms: number }
  | {
      kind: "chunk";
      usersDone: number;
      usersTotal: number;
      records: number;
      elapsedMs: number;
    }
  | { kind: "index-built"; name: string; ms: number }
  | { kind: "vacuumed"; ms: number };

export type SeedLargeOptions = {
  users: number;
  chunkSize?: number;
  /** Drop the secondary indexes of the bulk tables during the load and rebuild them after. */
  rebuildIndexes?: boolean;
  /** For the index builds, e.g. "256MB"; null leaves the server's setting. */
  maintenanceWorkMem?: string | null;
  now?: Date;
  onProgress?: (event: SeedLargeEvent) => void;
};

export type SeedLargeResult = {
  users: number;
  projects: number;
  automations: number;
  firstNumber: number;
  lastNumber: number;
  newOwner: boolean;
  ms: { load: number; indexes: number; vacuum: number; total: number };
};

const TWO_YEARS_S = 730 * 24 * 60 * 60;
/** Owner plus admins created when the workspace has no owner yet. */
const FOUNDERS = 4;

/**
 * Adds `users` seeded users, with the projects and automations some of them own, in one
 * transaction: a failure (or Ctrl-C on PostgreSQL) leaves the database as it was, indexes
 * included. On PostgreSQL the bulk tables are locked (dropped indexes) until it commits. Then
 * VACUUM ANALYZE.
 */
export async function seedLargeWorkspace(
  db: Db,
  options: SeedLargeOptions,
): Promise<SeedLargeResult> {
  const total = options.users;
  if (!Number.isSafeInteger(total) || total < 1) {
    throw new RangeError(`users must be a positive whole number (got ${total})`);
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive whole number (got ${chunkSize})`);
  }
  const rebuild = options.rebuildIndexes ?? true;
  const workMem = options.maintenanceWorkMem === undefined ? "256MB" : options.maintenanceWorkMem;
  const now = (options.now ?? new Date()).toISOString();
  const emit = options.onProgress ?? (() => {});
  const started = performance.now();

  const loaded = await db.transaction(async (tx) => {
    const [state] = await queryRows<{ base: string | null; has_owner: boolean }>(
      tx,
      sql`select
            (select max(substring(email from ${`\\.([0-9]+)@${SEED_EMAIL_DOMAIN.replaceAll(".", "\\.")}$`})::bigint)
               from users where email like ${`%@${SEED_EMAIL_DOMAIN}`}) as base,
            exists (select 1 from users where role = 'owner') as has_owner`,
    );
    const base = Number(state?.base ?? 0);
    const newOwner = !state?.has_owner;
    const from = base + 1;
    const to = base + total;
    emit({ kind: "start", from, to, newOwner });

    let indexes: IndexDefinition[] = [];
    if (rebuild) {
      const t = performance.now();
      indexes = await secondaryIndexes(tx);
      for (const index of indexes) {
        await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
      }
      emit({ kind: "indexes-dropped", names: indexes.map((i) => i.name), ms: ms(t) });
    }

    // Without an owner, the first users become the owner and admins, in a chunk of their own
    // so that the users seeded after them can name one as who changed their status.
    const ranges: [number, number][] = [];
    let next = from;
    if (newOwner) {
      const end = Math.min(to, from + FOUNDERS - 1);
      ranges.push([next, end]);
      next = end + 1;
    }
    for (; next <= to; next += chunkSize) ranges.push([next, Math.min(to, next + chunkSize - 1)]);

    const loadStarted = performance.now();
    let usersDone = 0;
    let projects = 0;
    let automations = 0;
    let changer: string | null = null;
    for (const [lo, hi] of ranges) {
      changer ??= await adminId(tx);
      const [counts] = await queryRows<{ users: number; projects: number; automations: number }>(
        tx,
        chunkStatement({
          from: lo,
          to: hi,
          ownerNumber: newOwner ? from : 0,
          foundersTo: newOwner ? from + FOUNDERS - 1 : 0,
          changer,
          now,
        }),
      );
      usersDone += Number(counts?.users ?? 0);
      projects += Number(counts?.projects ?? 0);
      automations += Number(counts?.automations ?? 0);
      emit({
        kind: "chunk",
        usersDone,
        usersTotal: total,
        records: projects + automations,
        elapsedMs: ms(started),
      });
    }
    const loadMs = ms(loadStarted);

    const indexStarted = performance.now();
    if (rebuild && indexes.length > 0) {
      if (workMem)
        await tx.execute(sql`select set_config('maintenance_work_mem', ${workMem}, true)`);
      for (const index of indexes) {
        const t = performance.now();
        await tx.execute(sql.raw(index.definition));
        emit({ kind: "index-built", name: index.name, ms: ms(t) });
      }
      const after = await secondaryIndexes(tx);
      const key = (i: IndexDefinition) => `${i.table}|${i.name}|${i.definition}`;
      const missing = indexes.map(key).filter((k) => !after.some((a) => key(a) === k));
      if (missing.length > 0)
        throw new Error(`indexes not rebuilt as they were: ${missing.join("; ")}`);
    }
    const indexMs = ms(indexStarted);

    return {
      users: usersDone,
      projects,
      automations,
      firstNumber: from,
      lastNumber: to,
      newOwner,
      ms: { load: loadMs, indexes: indexMs },
    };
  });

  // Outside the transaction (VACUUM refuses to run in one). Besides statistics, it sets the
  // visibility map so that counts can be index-only scans, and PGlite has no autovacuum to do it.
  const vacuumStarted = performance.now();
  await db.execute(
    sql`vacuum (analyze) ${sql.join(
      BULK_TABLES.map((t) => sql.identifier(t)),
      sql`, `,
    )}`,
  );
  const vacuumMs = ms(vacuumStarted);
  emit({ kind: "vacuumed", ms: vacuumMs });
  return { ...loaded, ms: { ...loaded.ms, vacuum: vacuumMs, total: ms(started) } };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}

async function adminId(tx: Tx): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select id from users where role in ('owner', 'admin') and status = 'active'
        order by role, created_at limit 1`,
  );
  return row?.id ?? null;
}

type Chunk = {
  from: number;
  to: number;
  /** Series number that becomes the owner, 0 for none. */
  ownerNumber: number;
  /** Series numbers up to this one are active founders (owner, admins), 0 for none. */
  foundersTo: number;
  changer: string | null;
  now: string;
};

/**
 * One statement per chunk: the users of series numbers [from, to], and the projects and
 * automations that about one in five active or inactive users own (1 to 5 each). Archived
 * users own nothing: their records were handed over when they were archived.
 */
function chunkStatement(c: Chunk): SQL {
  const now = sql`${c.now}::timestamptz`;
  const first = textArray(FIRST_NAMES);
  const last = textArray(LAST_NAMES);
  return sql`
    with g as (
      select n,
        (${first})[1 + ${roll(1, FIRST_NAMES.length)}] as first,
        (${last})[1 + ${roll(2, LAST_NAMES.length)}] as last,
        ${roll(3, 1000)} as s_roll,
        ${roll(4, 1000)} as r_roll,
        ${roll(5, 1000)} as p_roll,
        ${roll(6, 1000)} as t_roll,
        ${roll(7, 1000)} as c_roll,
        ${now} - make_interval(secs => ${roll(8, TWO_YEARS_S)}) as created_at
      from generate_series(${c.from}::bigint, ${c.to}::bigint) as n
    ),
    s as (
      select g.*,
        (case
          when n <= ${c.foundersTo}::bigint then 'active'
          when s_roll < 800 then 'active'
          when s_roll < 850 then 'invited'
          when s_roll < 890 then 'pending'
          when s_roll < 950 then 'inactive'
          when s_roll < 990 then 'archived'
          else 'rejected'
        end)::user_status as status
      from g
    ),
    r as (
      select s.*,
        (case
          when n = ${c.ownerNumber}::bigint then 'owner'
          when n <= ${c.foundersTo}::bigint then 'admin'
          when status in ('pending', 'rejected') then 'member'
          when r_roll < 5 then 'admin'
          when r_roll < 25 then 'manager'
          when r_roll < 65 then 'support'
          else 'member'
        end)::user_role as role,
        (case when status = 'archived' then
          case
            when p_roll < 600 then 'active'
            when p_roll < 850 then 'inactive'
            when p_roll < 950 then 'invited'
            else 'pending'
          end
        end)::user_status as previous_status,
        case when status in ('inactive', 'archived', 'rejected')
          then created_at + (${now} - created_at) * (0.2 + c_roll / 1250.0)
        end as status_changed_at
      from s
    ),
    u as (
      insert into users (name, email, role, status, previous_status, status_changed_at,
                         status_changed_by, last_sign_in_at, created_at)
      select
        first || ' ' || last,
        lower(replace(first || '.' || last, ' ', '')) || '.' || n || ${`@${SEED_EMAIL_DOMAIN}`},
        role,
        status,
        previous_status,
        status_changed_at,
        case when status_changed_at is not null then ${c.changer}::uuid end,
        case
          when n <= ${c.foundersTo}::bigint then ${now} - make_interval(hours => (n % 48)::int)
          when t_roll >= 80 and (status in ('active', 'inactive')
                                 or previous_status in ('active', 'inactive'))
            then created_at + (coalesce(status_changed_at, ${now}) - created_at) * ((t_roll - 80) / 920.0)
        end,
        created_at
      from r
      returning id, email, status, created_at
    ),
    owners as (
      select id, email, created_at, 1 + abs(hashtextextended(email, 1) % 5)::int as k
      from u
      where status in ('active', 'inactive') and abs(hashtextextended(email, 2) % 5) = 0
    ),
    items as (
      select o.id as owner_id, o.created_at as owner_created_at, i,
             abs(hashtextextended(o.email || ':' || i, 3) % 1000)::int as roll
      from owners o cross join lateral generate_series(1, o.k) as i
    ),
    p as (
      insert into projects (name, owner_id, created_at)
      select
        (${textArray(PROJECT_TOPICS)})[1 + roll % ${sql.raw(String(PROJECT_TOPICS.length))}]
          || ' ' || (${textArray(PROJECT_KINDS)})[1 + (roll / 7) % ${sql.raw(String(PROJECT_KINDS.length))}],
        owner_id,
        owner_created_at + (${now} - owner_created_at) * (roll / 1000.0)
      from items where roll < 650
      returning 1
    ),
    a as (
      insert into automations (name, owner_id, created_at)
      select
        (${textArray(AUTOMATION_NAMES)})[1 + roll % ${sql.raw(String(AUTOMATION_NAMES.length))}],
        owner_id,
        owner_created_at + (${now} - owner_created_at) * (roll / 1000.0)
      from items where roll >= 650
      returning 1
    )
    select (select count(*) from u)::int as users,
           (select count(*) from p)::int as projects,
           (select count(*) from a)::int as automations`;
}

/**
 * Empties the workspace: users and everything that hangs off them (records, notes,
 * invitations, outbox, and any later table that references users), the audit history (as the
 * owner: its triggers refuse TRUNCATE otherwise) and the "demo loaded" marker, so a server started on
 * the empty database loads the demo again.
 */
export async function resetWorkspace(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    // Starting over is the owner's call (the app's role can't): the audit's TRUNCATE guard is
    // off for this transaction only, and the hash chain starts again from its genesis.
    await tx.execute(sql`alter table audit_events disable trigger audit_events_no_truncate`);
    await tx.execute(
      sql`truncate users, projects, automations, user_notes, invitations, outbox, audit_events,
            audit_reasons, jobs, job_items restart identity cascade`,
    );
    await tx.execute(sql`alter table audit_events enable trigger audit_events_no_truncate`);
    await tx.execute(sql`update audit_chain_head set seq = 0, hash = audit_chain_genesis()`);
    // The chain's running head of this transaction (migration 0010), if any, is stale now.
    await tx.execute(sql`select set_config('roster.audit_head', '', true)`);
    await tx.execute(sql`delete from workspace_meta where key = 'demo'`);
  });
}
