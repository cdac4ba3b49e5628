import type { Metadata } from "next";
import Link from "next/link";
import { RequestAccessForm } from "./request-access-form";

export const metadata: Metadata = { title: "Request access" };

export default function RequestAccessPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Request access</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Ask to join this workspace on Roster. Its admins review every request.
      </p>
      <RequestAccessForm />
      <Link
        href="/sign-in"
        className="mt-6 self-start text-sm text-indigo-700 underline hover:no-underline dark:text-indigo-300"
      >
        Back to sign-in
      </Link>
    </main>
  );
}
