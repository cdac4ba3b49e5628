import { twMerge } from "tailwind-merge";

/**
 * Joins class names, dropping the falsy ones; when two classes set the same property (a caller's
 * `px-0` over a default `px-3`), the later one wins instead of whichever the CSS lists last.
 */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return twMerge(parts);
}
