import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Reset your password</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Enter the email address you sign in with. We&apos;ll email you a link to choose a new
        password.
      </p>
      <ForgotPasswordForm />
      <Link
        href="/sign-in"
        className="mt-6 self-start text-sm text-indigo-700 underline hover:no-underline dark:text-indigo-300"
      >
        Back to sign-in
      </Link>
    </main>
  );
}
