/**
 * Joins class names, dropping the falsy ones. No merging (tailwind-merge is 9 KB gzip in every
 * client bundle): a component's own classes and a caller's must not set the same property; a
 * component offers a variant or a flag instead (Button's `link`, ColumnLayout's `wrap`).
 */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
