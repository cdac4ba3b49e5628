import type { UserStatus } from "@/db/schema";

export const DEACTIVATED_MESSAGE =
  "Your account has been deactivated. Contact your workspace admin.";

/** Messages for people who may not sign in: why, and nothing more. */
export const SIGN_IN_MESSAGES = {
  invalid: "That email and password don't match an account. Check them and try again.",
  deactivated: DEACTIVATED_MESSAGE,
  pending: "Your request to join is waiting for approval. Contact your workspace admin.",
  rejected: "Your request to join was not approved. Contact your workspace admin.",
  invited: "Accept the invitation we emailed you to set your password, then sign in.",
  ended: "Your session has ended. Sign in again.",
  accepted: "Your password is set. Sign in with your email and new password.",
  "set-up": "Your workspace is ready. Sign in with the owner account you just created.",
} as const;
export type SignInMessageCode = keyof typeof SIGN_IN_MESSAGES;

export function signInRefusalCode(status: UserStatus): SignInMessageCode | null {
  switch (status) {
    case "active":
      return null;
    case "inactive":
    case "archived":
      return "deactivated";
    case "pending":
      return "pending";
    case "rejected":
      return "rejected";
    case "invited":
      return "invited";
  }
}

/** Codes that report something that went well, shown as success rather than as an error. */
export function isSuccessMessage(code: string | undefined | null): boolean {
  return code === "accepted";
}

export function signInMessage(code: string | undefined | null): string | null {
  if (!code) return null;
  return code in SIGN_IN_MESSAGES ? SIGN_IN_MESSAGES[code as SignInMessageCode] : null;
}
