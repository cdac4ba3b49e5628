"use client";

export default function ConsoleError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg py-16 text-center">
      <h1 className="mb-2 text-xl font-semibold">This page didn&apos;t load</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Something went wrong on our side; nothing was changed. Try again, and if it keeps happening,
        tell your workspace admin.
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
      >
        Try again
      </button>
    </main>
  );
}
