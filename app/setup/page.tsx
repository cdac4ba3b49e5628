import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { ensureSetupCode, setupCodeBanner } from "@/lib/setup";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up Roster", robots: { index: false } };

/** First run: the owner account, once. Afterwards this page is closed for good. */
export default async function SetupPage() {
  // Rendered per request (never at build time): whether setup is open is the database's answer.
  await connection();
  const code = await ensureSetupCode(await getDb(), settings().setupToken);
  if (!code) redirect("/sign-in");
  // The workspace became fresh after this server started: its code is printed now.
  if (code.source === "generated" && code.created) {
    console.log(setupCodeBanner(code, settings().publicUrl));
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Set up Roster</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Create the owner account of this workspace. The owner can do everything in the console; this
        page closes once the account exists. The setup code proves you run this server: it is in the
        server's log.
      </p>
      <SetupForm />
    </main>
  );
}
