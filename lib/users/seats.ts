import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { seatsUsed } from "./queries";

/**
 * The one advisory-lock key that serializes every change of the seat count (reactivate, approve,
 * restore, accepting an invitation from inactive, …). Everyone who checks for a free seat takes
 * this lock with `pg_advisory_xact_lock` for the rest of their transaction.
 *
 * Lock order, to stay free of deadlocks: lock the user rows first, then take the seat lock, and
 * only then write (invitations, audit events). Whoever waits for the seat lock holds no lock a
 * seat holder will ask for, and the seat lock is held only across the writes: taken before the
 * planning, it queued every reactivation in the cluster behind one another's round trips
 * (bench/RESULTS.md, issue 21).
 */
const SEAT_LOCK_KEY = 7_265_110_001;

/** Takes the seat lock until the end of the transaction (re-entrant: taking it twice is fine). */
export async function lockSeats(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SEAT_LOCK_KEY}::bigint)`);
}

/**
 * Takes the seat lock, then returns how many seats are free (never below 0). Call it inside the
 * transaction that will use the seats: the count stays true until that transaction ends.
 */
export async function freeSeats(tx: Executor, limit: number): Promise<number> {
  await lockSeats(tx);
  return Math.max(0, limit - (await seatsUsed(tx)));
}
