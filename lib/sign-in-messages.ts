import { DEACTIVATED_MESSAGE, STATUSES, USER_STATUSES, type UserStatus } from "@/model/statuses";
import { formatDateTime } from "./format";

export { DEACTIVATED_MESSAGE };

/** The refusals of the statuses that may not sign in (model/statuses.ts), by code. */
const REFUSALS = Object.fromEntries(
  USER_STATUSES.flatMap((s) => {
    const refusal = STATUSES[s].signIn;
    return refusal ? [[refusal.code, refusal.message] as const] : [];
  }),
);

/** Messages for people who may not sign in: why, and nothing more. */
export const SIGN_IN_MESSAGES = {
  invalid: "That email and password don't match an account. Check them and try again.",
  ...(Object.fromEntries(
    Object.entries(REFUSALS).map(([code, message]) => [code, message({})]),
  ) as {
    deactivated: string;
    pending: string;
    rejected: string;
    invited: string;
  }),
  "access-ended": "Your access to this workspace has ended. Contact your workspace admin.",
  ended: "Your session has ended. Sign in again.",
  accepted: "Your password is set. Sign in with your email and new password.",
  "password-reset":
    "Your password is changed, and you're signed out everywhere else. Sign in with your new password.",
  "set-up": "Your workspace is ready. Sign in with the owner account you just created.",
} as const;
type SignInMessageCode = keyof typeof SIGN_IN_MESSAGES;
/** A refusal's code, possibly with the status's data. */
export type RefusalCode = SignInMessageCode | `${SignInMessageCode}-until-${string}`;

/** A status's refusal with its data: the code, then "-until-" and the minute it ends (UTC). */
const WITH_UNTIL = /^([a-z-]+)-until-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)$/;

/**
 * Why someone in this status may not sign in, as the code the sign-in page reads (null: they
 * may). A status that ends by itself at a known time says until when.
 */
export function signInRefusalCode(
  status: UserStatus,
  data: { until?: Date | string | null } = {},
): RefusalCode | null {
  const refusal = STATUSES[status].signIn as { code: SignInMessageCode } | null;
  if (!refusal) return null;
  if (!data.until) return refusal.code;
  const until = new Date(data.until);
  if (Number.isNaN(until.getTime())) return refusal.code;
  return `${refusal.code}-until-${until.toISOString().slice(0, 16)}Z`;
}

/**
 * An access end date (schedule deactivation) refuses sign-in and ends sessions from its minute
 * on, whether or not the job that deactivates them has run yet.
 */
export function accessEndRefusal(
  endsAt: Date | string | null | undefined,
  now: Date,
): "access-ended" | null {
  if (!endsAt) return null;
  const at = new Date(endsAt).getTime();
  return !Number.isNaN(at) && at <= now.getTime() ? "access-ended" : null;
}

/** Codes that report something that went well, shown as success rather than as an error. */
export function isSuccessMessage(code: string | undefined | null): boolean {
  return code === "accepted" || code === "password-reset";
}

export function signInMessage(code: string | undefined | null): string | null {
  if (!code) return null;
  const withUntil = WITH_UNTIL.exec(code);
  if (withUntil) {
    const [, base, minute] = withUntil as unknown as [string, string, string];
    const until = new Date(`${minute.slice(0, -1)}:00Z`);
    const message = Object.hasOwn(REFUSALS, base) ? REFUSALS[base] : undefined;
    if (!message || Number.isNaN(until.getTime())) return null;
    return message({ until: formatDateTime(until) });
  }
  return Object.hasOwn(SIGN_IN_MESSAGES, code) ? SIGN_IN_MESSAGES[code as SignInMessageCode] : null;
}
