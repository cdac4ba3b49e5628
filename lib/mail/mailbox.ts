import { desc, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type OutboxEmail, outbox } from "@/db/schema";

export const MAILBOX_PAGE_SIZE = 20;

export type MailboxPage = {
  emails: OutboxEmail[];
  total: number;
  page: number;
  pages: number;
};

/** The outbox, newest first, one page at a time (a page past the end shows the last one). */
export async function listOutbox(
  db: Executor,
  args: { page: number; size?: number },
): Promise<MailboxPage> {
  const size = args.size ?? MAILBOX_PAGE_SIZE;
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox);
  const total = Number(count?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(args.page) || 1), pages);
  const emails = await db
    .select()
    .from(outbox)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(size)
    .offset((page - 1) * size);
  return { emails, total, page, pages };
}

/** Splits an email body into text and http(s) links, so the mailbox can make links clickable. */
export function linkify(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: match[0], href: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
