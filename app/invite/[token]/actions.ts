"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { settings } from "@/lib/env";
import {
  acceptInvitation,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from "@/lib/users/invitations";

export type AcceptFormState = {
  error: string | null;
  fieldErrors: { password?: string; confirm?: string };
};

const acceptSchema = z
  .object({
    token: z.string({ error: "This invitation link isn't valid." }).max(200),
    password: z
      .string({ error: "Enter a password." })
      .min(PASSWORD_MIN_LENGTH, `Use a password of at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use a password of at most ${PASSWORD_MAX_LENGTH} characters.`),
    confirm: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords don't match. Type the same password twice.",
  });

export async function acceptInvitationAction(
  _prev: AcceptFormState,
  form: FormData,
): Promise<AcceptFormState> {
  // A hand-made request may send anything: only a form is an answer to the invitation.
  if (!(form instanceof FormData)) {
    return { error: "This invitation link isn't valid.", fieldErrors: {} };
  }
  const parsed = acceptSchema.safeParse({
    token: form.get("token"),
    password: form.get("password"),
    confirm: form.get("confirm"),
  });
  if (!parsed.success) {
    const fieldErrors: AcceptFormState["fieldErrors"] = {};
    let error: string | null = null;
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "password" || field === "confirm") && !fieldErrors[field]) {
        fieldErrors[field] = issue.message;
      } else if (field === "token") {
        error = issue.message;
      }
    }
    return { error: error ?? "Check the highlighted fields.", fieldErrors };
  }
  try {
    const result = await acceptInvitation(await getDb(), {
      token: parsed.data.token,
      password: parsed.data.password,
      seatLimit: settings().seats,
    });
    if (!result.ok) {
      return {
        error: result.error,
        fieldErrors: result.code === "invalid-password" ? { password: result.error } : {},
      };
    }
  } catch (error) {
    console.error("Accepting an invitation failed", error);
    return {
      error: "Your password couldn't be set just now. Try again in a minute.",
      fieldErrors: {},
    };
  }
  redirect("/sign-in?reason=accepted");
}
