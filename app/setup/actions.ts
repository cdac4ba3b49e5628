"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { PASSWORDS_DIFFER } from "@/lib/password";
import {
  createOwner,
  needsSetup,
  ownerSchema,
  SETUP_CLOSED,
  SETUP_CODE_WRONG,
  setupCodeMatches,
} from "@/lib/setup";

export type SetupState = {
  error: string | null;
  fieldErrors: {
    code?: string;
    name?: string;
    email?: string;
    password?: string;
    confirm?: string;
  };
  values: { code: string; name: string; email: string };
};

export async function setupAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const get = (name: string) => {
    const value = form instanceof FormData ? form.get(name) : null;
    return typeof value === "string" ? value : undefined;
  };
  const values = {
    code: (get("code") ?? "").slice(0, 100),
    name: get("name") ?? "",
    email: get("email") ?? "",
  };
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
  const db = await getDb();
  if (!(await needsSetup(db))) return { error: SETUP_CLOSED, fieldErrors: {}, values };
  // Whoever reaches a fresh workspace first must also hold the code its operator was shown.
  const code = get("code") ?? "";
  if (code.length > 600 || !(await setupCodeMatches(db, code, settings().setupToken))) {
    fieldErrors.code = code.trim() ? SETUP_CODE_WRONG : "Enter the setup code.";
  }
  if (!parsed.success || fieldErrors.confirm || fieldErrors.code) {
    return { error: "Check the highlighted fields.", fieldErrors, values };
  }
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
