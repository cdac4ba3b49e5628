import { columnVisibilityFeature, rowSelectionFeature, tableFeatures } from "@tanstack/react-table";

/** The TanStack features every console table uses: sorting and paging happen on the server. */
export const dataTableFeatures = tableFeatures({ rowSelectionFeature, columnVisibilityFeature });
export type DataTableFeatures = typeof dataTableFeatures;

/**
 * Where a column's cell goes when rows become cards on narrow screens: the title line (with the
 * menu beside it), the lines under it, or nowhere.
 */
export type CardSlot =
  | "select"
  | "title"
  | "subtitle"
  | "badge"
  | "meta"
  /** A labelled line below the others ("Reason: …"), shown only when the cell has something. */
  | "detail"
  | "menu"
  | "hidden";

export type ColumnLayout = {
  /** Width and alignment in the table, so rows keep one height and nothing jumps. */
  className?: string;
  /** Let the cell's text wrap (cells stay on one line otherwise). */
  wrap?: boolean;
  card: CardSlot;
  /** A "detail" line's label on a card, where the column header can't be seen. */
  cardLabel?: string;
};
