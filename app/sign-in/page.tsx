import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { DEMO_ACCOUNTS, DEMO_OTHER_ACCOUNTS, DEMO_PASSWORD, isDemoLoaded } from "@/lib/demo";
import { settings } from "@/lib/env";
import { needsSetup } from "@/lib/setup";
import { isSuccessMessage, signInMessage } from "@/lib/sign-in-messages";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const reason = typeof params.reason === "string" ? params.reason : null;
  // After accepting an invitation: the address they just saw, if it looks like one.
  const email =
    typeof params.email === "string" &&
    params.email.length <= 254 &&
    /^[^\s@]+@[^\s@]+$/.test(params.email)
      ? params.email
      : "";
  const db = await getDb();
  if (await needsSetup(db)) redirect("/setup");
  // The demo passwords are shown only where demo data is meant to be (never in production).
  const demo = settings().demo && (await isDemoLoaded(db));
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Sign in to Roster</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        The admin console for your workspace&apos;s people.
      </p>
      <SignInForm
        email={email}
        notice={signInMessage(reason)}
        noticeTone={isSuccessMessage(reason) ? "success" : "error"}
      />
      <p className="mt-4 flex flex-wrap justify-between gap-2 text-sm">
        <Link
          href="/forgot-password"
          className="text-indigo-700 underline hover:no-underline dark:text-indigo-300"
        >
          Forgot password?
        </Link>
        <Link
          href="/request-access"
          className="text-indigo-700 underline hover:no-underline dark:text-indigo-300"
        >
          Request access
        </Link>
      </p>
      {demo ? (
        <section
          aria-labelledby="demo-heading"
          className="mt-8 rounded-md border border-zinc-200 p-4 text-sm dark:border-zinc-800"
        >
          <h2 id="demo-heading" className="mb-2 font-medium">
            Demo accounts
          </h2>
          <p className="mb-2 text-zinc-600 dark:text-zinc-400">
            Password for every account: <code className="font-mono">{DEMO_PASSWORD}</code>
          </p>
          <ul className="space-y-1 font-mono text-xs">
            {DEMO_ACCOUNTS.map((a) => (
              <li key={a.email}>
                {a.email} <span className="text-zinc-500 dark:text-zinc-400">({a.role})</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 mb-1 text-zinc-600 dark:text-zinc-400">
            To try the flows on (same password):
          </p>
          <ul className="space-y-1 font-mono text-xs">
            {DEMO_OTHER_ACCOUNTS.map((a) => (
              <li key={a.email}>
                {a.email} <span className="text-zinc-500 dark:text-zinc-400">({a.note})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
