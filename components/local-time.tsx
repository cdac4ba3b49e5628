"use client";

import { useSyncExternalStore } from "react";
import { ToneBadge } from "@/components/ui/status-badge";

const never = () => () => {};

/**
 * The viewer's time zone (the browser's): dates an admin enters and reads are in it. The server
 * renders UTC, and the browser its own zone once hydrated (no mismatch: the server's snapshot
 * is used while hydrating).
 */
export function useTimeZone(): string {
  return useSyncExternalStore(
    never,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    () => "UTC",
  );
}

/** "Dec 3, 2026, 9:30 AM EST" (dateStyle and timeStyle can't be combined with a zone name). */
function zonedDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(at);
}

/** "Access ends Dec 3" in the viewer's zone, with the full time and zone as its title. */
export function AccessEndsBadge({ at }: { at: string }) {
  const timeZone = useTimeZone();
  const when = new Date(at);
  const day = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone }).format(
    when,
  );
  const full = zonedDateTime(when, timeZone);
  return (
    <ToneBadge tone="amber" title={`Access ends ${full}`}>
      <time dateTime={at}>Access ends {day}</time>
    </ToneBadge>
  );
}

/** A time in the viewer's zone, with the zone: "Dec 3, 2026, 9:30 AM CET". */
export function LocalDateTime({ at }: { at: string }) {
  const timeZone = useTimeZone();
  return <time dateTime={at}>{zonedDateTime(new Date(at), timeZone)}</time>;
}
