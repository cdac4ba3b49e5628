import { desc, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type OutboxEmail, outbox } from "@/db/schema";

const MAILBOX_PAGE_SIZE = 20;

export type MailboxPage = {
  emails: OutboxEmail[];
  total: number;
  page: number;
  pages: number;
};

/**
 * The outbox, newest first, one page at a time (a page past the end shows the last one),
 * optionally only emails whose recipient contains `to`.
 */
export async function listOutbox(
  db: Executor,
  args: { page: number; size?: number; to?: string },
): Promise<MailboxPage> {
  const size = args.size ?? MAILBOX_PAGE_SIZE;
  const to = args.to?.trim();
  const where: SQL | undefined = to
    ? sql`${outbox.toEmail} ilike ${`%${to.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
    : undefined;
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(where);
  const total = Number(count?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(args.page) || 1), pages);
  const emails = await db
    .select()
    .from(outbox)
    .where(where)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(size)
    .offset((page - 1) * size);
  return { emails, total, page, pages };
}

export type BodyPart = { at: number; text: string; href?: string };

/** Splits an email body into text and http(s) links (`at`: where each part starts). */
export function linkify(text: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ at: last, text: text.slice(last, start) });
    parts.push({ at: start, text: match[0], href: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ at: last, text: text.slice(last) });
  return parts;
}
