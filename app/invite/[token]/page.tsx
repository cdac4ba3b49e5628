import type { Metadata } from "next";
import Link from "next/link";
import { LinkPasswordForm } from "@/components/ui/link-password-form";
import { getDb } from "@/lib/db";
import { INVITATION_MESSAGES, inspectInvitation } from "@/lib/users/invitations";
import { acceptInvitationAction } from "./actions";

export const metadata: Metadata = {
  title: "Accept invitation",
  // The token is in this page's address: never send it to another site, never index it.
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

const REFUSED = {
  used: { title: "Invitation already used", text: INVITATION_MESSAGES.used, signIn: true },
  expired: { title: "Invitation expired", text: INVITATION_MESSAGES.expired, signIn: false },
  unknown: { title: "Invitation not found", text: INVITATION_MESSAGES.unknown, signIn: false },
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { state, email } = await inspectInvitation(await getDb(), token);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      {state === "valid" && email ? (
        <>
          <h1 className="mb-1 text-2xl font-semibold tracking-tight">Set your password</h1>
          <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
            You&apos;ve been invited to your workspace on Roster. Choose a password to accept the
            invitation.
          </p>
          <LinkPasswordForm
            token={token}
            email={email}
            action={acceptInvitationAction}
            submit="Accept invitation"
          />
        </>
      ) : (
        <RefusedInvitation {...REFUSED[state === "valid" ? "unknown" : state]} />
      )}
    </main>
  );
}

function RefusedInvitation({
  title,
  text,
  signIn,
}: {
  title: string;
  text: string;
  signIn: boolean;
}) {
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mb-6 text-sm text-zinc-700 dark:text-zinc-300">{text}</p>
      <Link
        href="/sign-in"
        className={
          signIn
            ? "self-start rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
            : "self-start text-sm text-indigo-700 underline hover:no-underline dark:text-indigo-300"
        }
      >
        {signIn ? "Sign in" : "Go to sign-in"}
      </Link>
    </>
  );
}
