const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function formatDate(iso: string | Date | null, empty = "Never"): string {
  return iso ? dateFormat.format(new Date(iso)) : empty;
}

export function formatDateTime(iso: string | Date | null, empty = "Never"): string {
  return iso ? `${dateTimeFormat.format(new Date(iso))} UTC` : empty;
}

const shortDayFormat = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

/** "Invitation sent Nov 27, expires Dec 4": an open invitation, in the list and on the detail page. */
export function invitationText(sentAt: string | Date, expiresAt: string | Date): string {
  return `Invitation sent ${shortDayFormat.format(new Date(sentAt))}, expires ${shortDayFormat.format(new Date(expiresAt))}`;
}

const countFormat = new Intl.NumberFormat("en");

/** Every count the console shows, one way: "17,123". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/**
 * The pager's words: "26–50 of 15,222", or "15,213–15,222 of 15,222" on the last page.
 * `start` is 0-based; null (an older link) says only how many are shown.
 */
export function formatRange(start: number | null, shown: number, total: string): string {
  if (shown === 0) return `0 of ${total}`;
  if (start === null) return `${formatCount(shown)} of ${total}`;
  return `${formatCount(start + 1)}–${formatCount(start + shown)} of ${total}`;
}

/** A count and its noun: "1 user", "3 users", "1,200 users" (`many` when it isn't one + "s"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
