import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <h1 className="mb-2 text-xl font-semibold">Page not found</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        There is nothing at this address. It may have moved, or the link may be mistyped.
      </p>
      <Link
        href="/users"
        className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Go to Users
      </Link>
    </main>
  );
}
