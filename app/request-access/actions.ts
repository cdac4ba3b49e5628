"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { takePublicRequest } from "@/lib/public-requests";
import { throttledMessage } from "@/lib/throttle";
import { domainAllowed, requestAccess } from "@/lib/users/access-requests";
import { ACCESS_REQUEST_LIMITS } from "@/model/limits";

type Field = "name" | "email" | "message";

export type RequestAccessState = {
  sent: boolean;
  error: string | null;
  fieldErrors: Partial<Record<Field, string>>;
  values: Record<Field, string>;
};

const requestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name.")
    .max(ACCESS_REQUEST_LIMITS.name, `Use at most ${ACCESS_REQUEST_LIMITS.name} characters.`),
  email: z
    .email("Enter your email address.")
    .max(ACCESS_REQUEST_LIMITS.email, "Enter your email address."),
  message: z
    .string()
    .trim()
    .max(ACCESS_REQUEST_LIMITS.message, `Use at most ${ACCESS_REQUEST_LIMITS.message} characters.`),
});

const NOT_SENT = "Your request couldn't be sent just now. Try again in a minute.";

/**
 * The same answer whether or not the address is already a user: a new address becomes a
 * pending request, a known one changes nothing.
 */
export async function requestAccessAction(
  _prev: RequestAccessState,
  form: FormData,
): Promise<RequestAccessState> {
  const text = (name: Field) => {
    const v = form instanceof FormData ? form.get(name) : null;
    return typeof v === "string" ? v.slice(0, 4000) : "";
  };
  const values = { name: text("name"), email: text("email").trim(), message: text("message") };
  const parsed = requestSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: RequestAccessState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field;
      fieldErrors[field] ??= issue.message;
    }
    return { sent: false, error: "Check the highlighted fields.", fieldErrors, values };
  }
  const domains = settings().accessDomains;
  if (!domainAllowed(parsed.data.email, domains)) {
    return {
      sent: false,
      error: null,
      fieldErrors: {
        email: `Requests are taken from addresses at ${domains?.join(", ")} only.`,
      },
      values,
    };
  }
  try {
    const db = await getDb();
    const gate = await takePublicRequest(db, "access-request", parsed.data.email, await headers());
    if (!gate.ok) {
      return {
        sent: false,
        error: throttledMessage(gate.retryAfterSeconds),
        fieldErrors: {},
        values,
      };
    }
    await requestAccess(db, { ...parsed.data, baseUrl: settings().publicUrl });
  } catch (error) {
    console.error("An access request failed", error);
    return { sent: false, error: NOT_SENT, fieldErrors: {}, values };
  }
  return { sent: true, error: null, fieldErrors: {}, values: { name: "", email: "", message: "" } };
}
