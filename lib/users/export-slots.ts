/**
 * Downloads one person may have in progress on one instance; the next is refused (429) until one
 * ends. With spooling (lib/users/export.ts) a download holds no database connection; this bounds
 * the spool files and COPYs one account can start.
 */
export const EXPORTS_PER_USER = 3;

const globalForSlots = globalThis as unknown as { rosterExportSlots?: Map<string, number> };

/** A slot for `userId`'s download, or null when they have EXPORTS_PER_USER already; release once. */
export function acquireExportSlot(userId: string): (() => void) | null {
  globalForSlots.rosterExportSlots ??= new Map();
  const slots = globalForSlots.rosterExportSlots;
  const held = slots.get(userId) ?? 0;
  if (held >= EXPORTS_PER_USER) return null;
  slots.set(userId, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (slots.get(userId) ?? 1) - 1;
    if (left > 0) slots.set(userId, left);
    else slots.delete(userId);
  };
}
