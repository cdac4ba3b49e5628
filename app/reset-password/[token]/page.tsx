import type { Metadata } from "next";
import Link from "next/link";
import { LinkPasswordForm } from "@/components/ui/link-password-form";
import { getDb } from "@/lib/db";
import { inspectPasswordReset, PASSWORD_RESET_MESSAGES } from "@/lib/users/password-resets";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = {
  title: "Reset password",
  // The token is in this page's address: never send it to another site, never index it.
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

const REFUSED = {
  used: { title: "Reset link already used", text: PASSWORD_RESET_MESSAGES.used },
  expired: { title: "Reset link expired", text: PASSWORD_RESET_MESSAGES.expired },
  unknown: { title: "Reset link not found", text: PASSWORD_RESET_MESSAGES.unknown },
} as const;

export default async function ResetPasswordPage({
  params,
}: {
  params: Promise<{ token: string }>;
}) {
  const { token } = await params;
  const { state, email } = await inspectPasswordReset(await getDb(), token);
  const refused = REFUSED[state === "valid" ? "unknown" : state];
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      {state === "valid" && email ? (
        <>
          <h1 className="mb-1 text-2xl font-semibold tracking-tight">Choose a new password</h1>
          <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
            Setting it signs you out on every other device.
          </p>
          <LinkPasswordForm
            token={token}
            email={email}
            action={resetPasswordAction}
            submit="Set new password"
          />
        </>
      ) : (
        <>
          <h1 className="mb-2 text-2xl font-semibold tracking-tight">{refused.title}</h1>
          <p className="mb-6 text-sm text-zinc-700 dark:text-zinc-300">{refused.text}</p>
          <Link
            href="/forgot-password"
            className="self-start text-sm text-indigo-700 underline hover:no-underline dark:text-indigo-300"
          >
            Ask for a new link
          </Link>
        </>
      )}
    </main>
  );
}
