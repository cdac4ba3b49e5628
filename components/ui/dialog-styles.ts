export const OVERLAY_CLASS =
  "fixed inset-0 z-40 bg-zinc-950/40 backdrop-blur-[2px] dark:bg-black/60";

export const PANEL_CLASS =
  "fixed left-1/2 top-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-2xl outline-none dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100";
