import type { Db } from "@/db/client";
import { settings } from "@/lib/env";
import {
  clientAddress,
  type Gate,
  type ThrottleRule,
  takeAttempt,
  throttleKey,
} from "@/lib/throttle";

/**
 * Forms anyone may send without signing in ("Forgot password?", "Request access"): every request
 * counts, whatever its outcome, so that nobody learns from the limits whether an address exists.
 */
const PER_EMAIL: ThrottleRule = {
  free: 3,
  baseSeconds: 20 * 60,
  maxSeconds: 60 * 60,
  forgetSeconds: 60 * 60,
};

const PER_CLIENT: ThrottleRule = {
  free: 10,
  baseSeconds: 60,
  maxSeconds: 15 * 60,
  forgetSeconds: 60 * 60,
};

export type PublicRequestKind = "password-reset" | "access-request";

/** Charges one request to the address asked about and to the client asking. */
export function takePublicRequest(
  db: Db,
  kind: PublicRequestKind,
  email: string,
  headers: Headers,
): Promise<Gate> {
  return takeAttempt(db, {
    own: throttleKey(`${kind}:email`, email.trim().toLowerCase(), PER_EMAIL),
    shared: [
      throttleKey(`${kind}:client`, clientAddress(headers, settings().trustedProxies), PER_CLIENT),
    ],
  });
}

export const PUBLIC_REQUEST_LIMITS = { perEmail: PER_EMAIL.free, perClient: PER_CLIENT.free };
