"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { PASSWORDS_DIFFER } from "@/lib/password";
import { createOwner, needsSetup, ownerSchema, SETUP_CLOSED } from "@/lib/setup";

export type SetupState = {
  error: string | null;
  fieldErrors: { name?: string; email?: string; password?: string; confirm?: string };
  values: { name: string; email: string };
};

export async function setupAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const get = (name: string) => {
    const value = form instanceof FormData ? form.get(name) : null;
    return typeof value === "string" ? value : undefined;
  };
  const values = { name: get("name") ?? "", email: get("email") ?? "" };
  const parsed = ownerSchema.safeParse({
    name: get("name"),
    email: get("email"),
    password: get("password"),
  });
  const fieldErrors: SetupState["fieldErrors"] = {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0];
    if ((field === "name" || field === "email" || field === "password") && !fieldErrors[field]) {
      fieldErrors[field] = issue.message;
    }
  }
  if (get("confirm") !== get("password")) {
    fieldErrors.confirm = PASSWORDS_DIFFER;
  }
  if (!parsed.success || fieldErrors.confirm) {
    return { error: "Check the highlighted fields.", fieldErrors, values };
  }
  const db = await getDb();
  if (!(await needsSetup(db))) return { error: SETUP_CLOSED, fieldErrors: {}, values };
  try {
    const result = await createOwner(db, parsed.data);
    if (!result.ok) return { error: result.error, fieldErrors: {}, values };
  } catch (error) {
    console.error("First-run setup failed", error);
    return {
      error: "The owner account couldn't be created just now. Try again in a minute.",
      fieldErrors: {},
      values,
    };
  }
  redirect("/sign-in?reason=set-up");
}
