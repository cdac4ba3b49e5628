import { sql } from "drizzle-orm";
import { tabColumnExpression, USER_STATUSES } from "../model/statuses";
import { type ColumnKind, writtenColumns } from "../model/verbs/index";
import { type Executor, queryRows } from "./client";

const COLUMN_TYPES: Record<ColumnKind, string> = {
  date: "date",
  datetime: "timestamp with time zone",
  role: "user_role",
};

/** The expression of a generated column, as this database writes it back. */
export async function generatedExpression(
  db: Executor,
  table: string,
  column: string,
): Promise<string | undefined> {
  const [row] = await queryRows<{ expr: string }>(
    db,
    sql`select pg_get_expr(d.adbin, d.adrelid) as expr
        from pg_attrdef d
        join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where d.adrelid = ${table}::regclass and a.attname = ${column}`,
  );
  return row?.expr;
}

/**
 * What the database lacks of the registries (model/): the SQL that brings it level, statement by
 * statement. Empty when it matches (db/model-sync.test.ts); scripts/model-migration.ts writes a
 * migration of it. New enum values go first and alone: PostgreSQL can't use a value in the
 * transaction that adds it, so a new status whose tab changes needs two generated migrations.
 */
export async function modelDrift(db: Executor): Promise<string[]> {
  const out: string[] = [];
  const labels = (
    await queryRows<{ label: string }>(
      db,
      sql`select enumlabel as label from pg_enum
          where enumtypid = 'user_status'::regtype order by enumsortorder`,
    )
  ).map((r) => r.label);
  if (labels.some((l, i) => USER_STATUSES[i] !== l)) {
    throw new Error(`user_status is ${labels.join(", ")}: statuses are only ever appended`);
  }
  for (const status of USER_STATUSES.slice(labels.length)) {
    out.push(`ALTER TYPE "user_status" ADD VALUE '${status}';`);
  }
  if (out.length > 0) return out;

  const columns = await queryRows<{ name: string; type: string }>(
    db,
    sql`select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
        from pg_attribute a where a.attrelid = 'users'::regclass and a.attnum > 0 and not a.attisdropped`,
  );
  for (const { column, kind } of writtenColumns()) {
    const found = columns.find((c) => c.name === column);
    if (!found) out.push(`ALTER TABLE "users" ADD COLUMN "${column}" ${COLUMN_TYPES[kind]};`);
    else if (found.type !== COLUMN_TYPES[kind]) {
      throw new Error(`users.${column} is ${found.type}, the registry says ${COLUMN_TYPES[kind]}`);
    }
  }

  // The registry's tab expression, written back by this database the way it writes the live one.
  await db.execute(sql.raw(`drop table if exists pg_temp.tab_check`));
  await db.execute(
    sql.raw(`create temp table tab_check (status user_status,
      tab smallint generated always as (${tabColumnExpression()}) stored)`),
  );
  const wanted = await generatedExpression(db, "pg_temp.tab_check", "tab");
  await db.execute(sql.raw(`drop table pg_temp.tab_check`));
  if (wanted !== (await generatedExpression(db, "users", "tab"))) {
    // No SET EXPRESSION before PostgreSQL 17: the column and its indexes are made again.
    const indexes = await queryRows<{ def: string }>(
      db,
      sql`select indexdef as def from pg_indexes
          where schemaname = 'public' and tablename = 'users' and indexdef ~ '[(, ]tab[,)]'`,
    );
    out.push(
      `ALTER TABLE "users" DROP COLUMN "tab";`,
      `ALTER TABLE "users" ADD COLUMN "tab" smallint NOT NULL GENERATED ALWAYS AS (${tabColumnExpression()}) STORED;`,
      ...indexes.map((i) => `${i.def};`),
    );
  }
  return out;
}
