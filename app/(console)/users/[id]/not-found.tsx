import { IntentLink } from "@/components/intent-link";

export default function UserNotFound() {
  return (
    <main className="mx-auto max-w-lg py-16 text-center">
      <p className="mb-2 text-sm font-medium text-zinc-600 dark:text-zinc-400">404</p>
      <h1 className="mb-2 text-xl font-semibold">User not found</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        There is no user at this address. They may have been permanently deleted, or the link is
        mistyped.
      </p>
      <IntentLink
        href="/users"
        className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Back to users
      </IntentLink>
    </main>
  );
}
