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
